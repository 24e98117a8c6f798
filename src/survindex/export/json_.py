"""JSON: one array of objects with the schema's fields, one object a line (written as a stream)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from survindex.export.schema import Row, Schema, encode, write_with

EXTENSION = "json"
MEDIATYPE = "application/json"


class Writer:
    """A JSON array streamed one item a line, between ``HEAD`` and ``TAIL`` (``geojson`` wraps it in a
    FeatureCollection); ``item`` encodes a row."""

    HEAD, TAIL = b"[", b"\n]\n"

    def __init__(self, path: Path, schema: Schema) -> None:
        self.f = open(path, "wb")
        self.f.write(self.HEAD)
        self.sep = b"\n"

    def item(self, row: dict[str, Any]) -> bytes:
        return encode(row)

    def add(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            self.f.write(self.sep + b",\n".join(map(self.item, rows)))
            self.sep = b",\n"

    def close(self) -> None:
        self.f.write(self.TAIL)
        self.f.close()


def write(path: Path, rows: Iterable[Row], schema: Schema) -> Path:
    write_with(Writer(path, schema), rows, schema)
    return path


def read(path: Path, schema: Schema) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        data: list[dict[str, Any]] = json.load(f)
    return [{name: row.get(name) for name in schema.names} for row in data]
