"""CSV (UTF-8, header row; arrays and objects as JSON, booleans as true/false, missing as empty)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from survindex.export.schema import Row, Schema, from_text, text_of, write_with

EXTENSION = "csv"
MEDIATYPE = "text/csv"


class Writer:
    def __init__(self, path: Path, schema: Schema) -> None:
        self.f = open(path, "w", encoding="utf-8", newline="")
        self.w = csv.writer(self.f, lineterminator="\r\n")
        self.w.writerow(schema.names)
        self.cells = [(fd.name, text_of(fd)) for fd in schema.fields]

    def add(self, rows: list[dict[str, Any]]) -> None:
        cells = self.cells
        self.w.writerows([[text(row[name]) for name, text in cells] for row in rows])

    def close(self) -> None:
        self.f.close()


def write(path: Path, rows: Iterable[Row], schema: Schema) -> Path:
    write_with(Writer(path, schema), rows, schema)
    return path


def read(path: Path, schema: Schema) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8", newline="") as f:
        r = csv.reader(f)
        header = next(r)
        by_name = {fd.name: fd for fd in schema.fields}
        return [{h: from_text(by_name[h], cell) for h, cell in zip(header, line)} for line in r]
