"""CSV (UTF-8, header row; arrays and objects as JSON, booleans as true/false, missing as empty; text cells that
would start a spreadsheet formula get a leading ')."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from survindex.export.cells import QUOTED, neutralise_text, restore
from survindex.export.schema import Field, Row, Schema, from_text, text_of, write_with

EXTENSION = "csv"
MEDIATYPE = "text/csv"


def _safe(fd: Field) -> Callable[[Any], str]:
    """Text cells are formula-safe (``export.cells``); numbers, booleans and JSON cells cannot start a formula
    that matters (a negative number stays a number)."""
    text = text_of(fd)
    if fd.type != "string":
        return text
    # ``neutralise_text`` inline for a str (a call less per cell)
    return lambda v: "" if v is None else ("'" + v if v[:1] in QUOTED else v) if type(v) is str else \
        neutralise_text(str(v))


class Writer:
    def __init__(self, path: Path, schema: Schema) -> None:
        self.f = open(path, "w", encoding="utf-8", newline="")
        self.w = csv.writer(self.f, lineterminator="\r\n")
        self.w.writerow(schema.names)
        self.cells = [(fd.name, _safe(fd)) for fd in schema.fields]

    def add(self, rows: list[dict[str, Any]]) -> None:
        cells = self.cells
        self.w.writerows([[text(row[name]) for name, text in cells] for row in rows])

    def close(self) -> None:
        self.f.close()


def write(path: Path, rows: Iterable[Row], schema: Schema) -> Path:
    write_with(Writer(path, schema), rows, schema)
    return path


def _back(fd: Field, cell: str) -> Any:
    return from_text(fd, restore(cell) if fd.type == "string" else cell)


def read(path: Path, schema: Schema) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8", newline="") as f:
        r = csv.reader(f)
        header = next(r)
        by_name = {fd.name: fd for fd in schema.fields}
        return [{h: _back(by_name[h], cell) for h, cell in zip(header, line)} for line in r]
