"""CSV (UTF-8, header row; arrays and objects as JSON, booleans as true/false, missing as empty)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from survindex.export.schema import Row, Schema, from_text, rows_of, to_text

EXTENSION = "csv"
MEDIATYPE = "text/csv"


def write(path: Path, rows: Iterable[Row], schema: Schema) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(schema.names)
        fields = schema.fields
        for row in rows_of(rows, schema):
            w.writerow([to_text(fd, row[fd.name]) for fd in fields])
    return path


def read(path: Path, schema: Schema) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8", newline="") as f:
        r = csv.reader(f)
        header = next(r)
        by_name = {fd.name: fd for fd in schema.fields}
        return [{h: from_text(by_name[h], cell) for h, cell in zip(header, line)} for line in r]
