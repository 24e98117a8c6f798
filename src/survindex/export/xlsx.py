"""XLSX (openpyxl): one sheet, header row; arrays and objects as JSON text; text never becomes a formula;
numbers keep 15 significant digits (Excel's precision)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from survindex.export.schema import Field, Row, Schema, from_text, normalise, to_text

EXTENSION = "xlsx"
MEDIATYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # characters XML 1.0 cannot hold


def _cell(field: Field, value: Any) -> Any:
    if value is None:
        return None
    if field.type in ("integer", "number", "boolean"):
        return value
    return _ILLEGAL.sub("\ufffd", to_text(field, value))


def write(path: Path, rows: Iterable[Row], schema: Schema) -> Path:
    from openpyxl import Workbook

    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = schema.name[:31]
    ws.append(list(schema.names))
    for r, row in enumerate(normalise(rows, schema), start=2):
        for c, field in enumerate(schema.fields, start=1):
            value = _cell(field, row[field.name])
            cell = ws.cell(row=r, column=c)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # '=...' stays text: no formula injection
    wb.save(path)
    return path


def _back(field: Field, value: Any) -> Any:
    if value is None:
        return None
    if field.type == "integer":
        return int(value)
    if field.type == "number":
        return float(value)
    if field.type == "boolean":
        return bool(value)
    return from_text(field, str(value))


def read(path: Path, schema: Schema) -> list[dict[str, Any]]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [str(h) for h in next(rows)]
    by_name = {fd.name: fd for fd in schema.fields}
    out = [{h: _back(by_name[h], v) for h, v in zip(header, line)} for line in rows]
    wb.close()
    return out
