"""GeoJSON: a FeatureCollection of points at each row's country (centroid of its largest world-atlas piece);
rows without a known country get a null geometry. Properties are the schema's fields."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from survindex.export import json_
from survindex.export.schema import Row, Schema, encode, write_with

EXTENSION = "geojson"
MEDIATYPE = "application/geo+json"


def _centroids() -> Mapping[str, tuple[float, float]]:
    from survindex.report.atlas import centroids

    return centroids()


class Writer(json_.Writer):
    """The features streamed one a line, as the JSON array of ``json_.Writer``."""

    HEAD, TAIL = b'{"type": "FeatureCollection", "features": [', b"\n]}\n"

    def __init__(self, path: Path, schema: Schema) -> None:
        self.points = _centroids() if schema.geo_field else {}
        self.geo = schema.geo_field
        super().__init__(path, schema)

    def item(self, row: dict[str, Any]) -> bytes:
        iso = row.get(self.geo) if self.geo else None
        point = self.points.get(iso) if iso else None
        geometry = {"type": "Point", "coordinates": list(point)} if point else None
        return encode({"type": "Feature", "geometry": geometry, "properties": row})


def write(path: Path, rows: Iterable[Row], schema: Schema) -> Path:
    write_with(Writer(path, schema), rows, schema)
    return path


def read(path: Path, schema: Schema) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    return [{n: feat["properties"].get(n) for n in schema.names} for feat in data["features"]]
