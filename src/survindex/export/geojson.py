"""GeoJSON: a FeatureCollection of points at each row's country (centroid of its largest world-atlas piece);
rows without a known country get a null geometry. Properties are the schema's fields."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from survindex.export.schema import Row, Schema, encode, write_with

EXTENSION = "geojson"
MEDIATYPE = "application/geo+json"


def _centroids() -> Mapping[str, tuple[float, float]]:
    from survindex.report.atlas import centroids

    return centroids()


class Writer:
    def __init__(self, path: Path, schema: Schema) -> None:
        self.points = _centroids() if schema.geo_field else {}
        self.geo = schema.geo_field
        self.f = open(path, "wb")  # streamed: one feature a line
        self.f.write(b'{"type": "FeatureCollection", "features": [')
        self.sep = b"\n"

    def _feature(self, row: dict[str, Any]) -> bytes:
        iso = row.get(self.geo) if self.geo else None
        point = self.points.get(iso) if iso else None
        geometry = {"type": "Point", "coordinates": list(point)} if point else None
        return encode({"type": "Feature", "geometry": geometry, "properties": row})

    def add(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            self.f.write(self.sep + b",\n".join(map(self._feature, rows)))
            self.sep = b",\n"

    def close(self) -> None:
        self.f.write(b"\n]}\n")
        self.f.close()


def write(path: Path, rows: Iterable[Row], schema: Schema) -> Path:
    write_with(Writer(path, schema), rows, schema)
    return path


def read(path: Path, schema: Schema) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    return [{n: feat["properties"].get(n) for n in schema.names} for feat in data["features"]]
