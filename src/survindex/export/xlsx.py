"""XLSX (openpyxl, write-only: streamed, constant memory): a header row, then the rows; arrays and objects as JSON
text; text never becomes a formula; numbers keep 15 significant digits (Excel's precision). A sheet holds at most
Excel's 1,048,576 rows: past that the rows go on in sheets ``<name>_2``, ``<name>_3``, ... (each with the header),
and ``read`` reads every sheet back in order."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from survindex.export.schema import Field, Row, Schema, from_text, rows_of, to_text

EXTENSION = "xlsx"
MEDIATYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 1_048_576  # Excel's limit per sheet, the header row included
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # characters XML 1.0 cannot hold


def sheet_names(name: str, rows: int, per_sheet: int = MAX_ROWS - 1) -> list[str]:
    """The sheets ``rows`` data rows take: ``name``, then ``name_2``, ... (Excel's 31-character names)."""
    n = max(1, -(-rows // per_sheet))
    return [name[:31]] + [f"{name[:28]}_{i}" for i in range(2, n + 1)]


def write(path: Path, rows: Iterable[Row], schema: Schema, per_sheet: int = MAX_ROWS - 1) -> Path:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws, filled, sheets = None, per_sheet, 0
    kinds = [f.type in ("integer", "number", "boolean") for f in schema.fields]
    for row in rows_of(rows, schema):
        if filled == per_sheet:
            sheets += 1
            ws = wb.create_sheet(schema.name[:31] if sheets == 1 else f"{schema.name[:28]}_{sheets}")
            ws.append(list(schema.names))
            filled = 0
        assert ws is not None
        cells: list[Any] = []
        for field, numeric in zip(schema.fields, kinds):
            value = row[field.name]
            if value is None or numeric:
                cells.append(value)
                continue
            text = _ILLEGAL.sub("\ufffd", to_text(field, value))
            if text[:1] == "=":  # stays text: no formula injection
                cell = WriteOnlyCell(ws, value=text)
                cell.data_type = "s"
                cells.append(cell)
            else:
                cells.append(text)
        ws.append(cells)
        filled += 1
    if ws is None:
        wb.create_sheet(schema.name[:31]).append(list(schema.names))
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
    by_name = {fd.name: fd for fd in schema.fields}
    out: list[dict[str, Any]] = []
    for ws in wb.worksheets:
        rows = ws.iter_rows(values_only=True)
        header = [str(h) for h in next(rows)]
        pad = (None,) * len(header)  # a streamed sheet leaves trailing empty cells out
        out += [{h: _back(by_name[h], v) for h, v in zip(header, (*line, *pad))} for line in rows]
    wb.close()
    return out
