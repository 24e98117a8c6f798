"""GeoJSON: a FeatureCollection of points at each row's country (centroid of its largest world-atlas piece);
rows without a known country get a null geometry. Properties are the schema's fields."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from survindex.export.schema import Row, Schema, encode, rows_of

EXTENSION = "geojson"
MEDIATYPE = "application/geo+json"


def _centroids() -> Mapping[str, tuple[float, float]]:
    from survindex.report.atlas import centroids

    return centroids()


def write(path: Path, rows: Iterable[Row], schema: Schema) -> Path:
    points = _centroids() if schema.geo_field else {}
    with open(path, "wb") as f:  # streamed: one feature a line
        f.write(b'{"type": "FeatureCollection", "features": [')
        for i, row in enumerate(rows_of(rows, schema)):
            iso = row.get(schema.geo_field) if schema.geo_field else None
            point = points.get(iso) if iso else None
            geometry = {"type": "Point", "coordinates": list(point)} if point else None
            f.write((b"\n" if i == 0 else b",\n") + encode({"type": "Feature", "geometry": geometry,
                                                             "properties": row}))
        f.write(b"\n]}\n")
    return path


def read(path: Path, schema: Schema) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    return [{n: feat["properties"].get(n) for n in schema.names} for feat in data["features"]]
