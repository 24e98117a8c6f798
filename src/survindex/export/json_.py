"""JSON: one array of objects with the schema's fields."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from survindex.export.schema import Row, Schema, normalise

EXTENSION = "json"
MEDIATYPE = "application/json"


def write(path: Path, rows: Iterable[Row], schema: Schema) -> Path:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(normalise(rows, schema), f, ensure_ascii=False, indent=1)
        f.write("\n")
    return path


def read(path: Path, schema: Schema) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        data: list[dict[str, Any]] = json.load(f)
    return [{name: row.get(name) for name in schema.names} for row in data]
