"""CSV (UTF-8, header row; arrays and objects as JSON, booleans as true/false, missing as empty; text cells that
would start a spreadsheet formula get a leading ')."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from survindex.export.cells import neutralise_text, restore
from survindex.export.schema import Field, Row, Schema, from_text, normalise, to_text

EXTENSION = "csv"
MEDIATYPE = "text/csv"


def write(path: Path, rows: Iterable[Row], schema: Schema) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(schema.names)
        for row in normalise(rows, schema):
            w.writerow([_cell(fd, row[fd.name]) for fd in schema.fields])
    return path


def _cell(fd: Field, value: Any) -> str:
    """Text cells are formula-safe (``export.cells``); numbers, booleans and JSON cells cannot start a formula
    that matters (a negative number stays a number)."""
    text = to_text(fd, value)
    return neutralise_text(text) if fd.type == "string" else text


def _back(fd: Field, cell: str) -> Any:
    return from_text(fd, restore(cell) if fd.type == "string" else cell)


def read(path: Path, schema: Schema) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8", newline="") as f:
        r = csv.reader(f)
        header = next(r)
        by_name = {fd.name: fd for fd in schema.fields}
        return [{h: _back(by_name[h], cell) for h, cell in zip(header, line)} for line in r]
