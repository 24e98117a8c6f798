"""JSON: one array of objects with the schema's fields, one object a line (written as a stream)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from survindex.export.schema import Row, Schema, encode, rows_of

EXTENSION = "json"
MEDIATYPE = "application/json"


def write(path: Path, rows: Iterable[Row], schema: Schema) -> Path:
    with open(path, "wb") as f:
        f.write(b"[")
        for i, row in enumerate(rows_of(rows, schema)):
            f.write((b"\n" if i == 0 else b",\n") + encode(row))
        f.write(b"\n]\n")
    return path


def read(path: Path, schema: Schema) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        data: list[dict[str, Any]] = json.load(f)
    return [{name: row.get(name) for name in schema.names} for row in data]
