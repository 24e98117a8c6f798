"""Read a CSV or XLSX file into sheets of rows, and render it as the text of one document.

The document text is the file rendered as CSV (for XLSX, each sheet under a ``# sheet: <name>`` line), so every row
has a character span that a claim's quote can cite. Row numbers are the ones a spreadsheet user sees (header = 1).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from survindex.ingest.datasets.csvrows import read_records
from survindex.ingest.limits import LimitExceeded, check_zip, deadline

csv.field_size_limit(2**31 - 1)  # AidData descriptions exceed the 128 KiB default


class FileFormatError(ValueError):
    """The file is not a readable CSV or XLSX table (binary, undecodable, empty, missing a named column)."""


@dataclass(frozen=True)
class Row:
    number: int  # spreadsheet row number: the header is row 1
    cells: dict[str, str]  # column name -> raw cell text
    text: str  # the row rendered as one CSV record
    start: int  # span of ``text`` in the document text
    end: int


def require_columns(sheet: str | None, columns: list[str], names: tuple[str, ...]) -> None:
    """FileFormatError naming the columns of ``names`` that a sheet (None: a CSV file) lacks."""
    missing = [n for n in names if n not in columns]
    if missing:
        where = f"sheet {sheet!r}" if sheet else "the file"
        raise FileFormatError(f"column {', '.join(repr(m) for m in missing)} is not in {where} "
                              f"(columns: {', '.join(columns)})")


@dataclass(frozen=True)
class Sheet:
    name: str | None  # None for a CSV file
    columns: list[str]  # unique names: blanks become column_<n>, repeats get _2, _3
    rows: list[Row]

    def require(self, *names: str) -> None:
        require_columns(self.name, self.columns, names)


@dataclass
class TableFile:
    path: Path
    raw: bytes
    mime: str
    encoding: str
    text: str = ""
    sheets: list[Sheet] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (row, reason): rows read as best could be

    def notes(self) -> list[str]:
        """Warnings about the whole file, then rows read as best they could be (``row 3: …``)."""
        return self.warnings + [f"row {row}: {reason}" for row, reason in self.problems]

    def sheet(self, name: str | None = None) -> Sheet:
        if name is None:
            return self.sheets[0]
        for s in self.sheets:
            if s.name == name:
                return s
        raise FileFormatError(f"no sheet {name!r} (sheets: {', '.join(str(s.name) for s in self.sheets)})")


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def read_table(path: str | Path) -> TableFile:
    """Read ``path`` (CSV in UTF-8 with or without BOM, UTF-16/32, else cp1252/latin-1 with a warning; or XLSX)
    under the resource limits (``survindex.ingest.limits``). Whatever goes wrong is a FileFormatError."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FileFormatError(f"cannot read {path}: {exc.strerror or exc}") from None
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileFormatError("this is a legacy .xls workbook; save it as .xlsx or CSV")
    try:
        with deadline(what="reading the table"):
            return _read_xlsx(path, raw) if raw.startswith(b"PK\x03\x04") else _read_csv(path, raw)
    except (FileFormatError, LimitExceeded) as exc:
        raise FileFormatError(str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - a corrupt file must end in the one named error, never a traceback
        raise FileFormatError(f"the file is damaged ({type(exc).__name__}: {str(exc)[:200]})") from None


def _read_csv(path: Path, raw: bytes) -> TableFile:
    text, encoding, warnings = _decode(raw)
    table = TableFile(path=path, raw=raw, mime="text/csv", encoding=encoding, warnings=warnings)
    records = read_records(text, _delimiter(text), table.problems)
    _render(table, [(None, list(enumerate(records, start=1)))])
    return table


def _decode(raw: bytes) -> tuple[str, str, list[str]]:
    unicode = _unicode_encoding(raw[:65536])
    if unicode is not None:
        try:
            return raw.decode(unicode).lstrip("\ufeff"), unicode.replace("-sig", ""), []
        except UnicodeDecodeError:
            raise FileFormatError(f"the file looks like {unicode} but cannot be decoded as it") from None
    if b"\x00" in raw[:65536]:
        raise FileFormatError("this is a binary file, not CSV or XLSX")
    try:
        return raw.decode("utf-8-sig"), "utf-8", []
    except UnicodeDecodeError as exc:
        where = f"byte {exc.start}"
    for enc in ("cp1252", "latin-1"):
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        return text, enc, [f"the file is not valid UTF-8 ({where}); read it as {enc}: check accented names"]
    raise FileFormatError("the file cannot be decoded as UTF-8, cp1252 or latin-1")  # pragma: no cover


def _unicode_encoding(head: bytes) -> str | None:
    """UTF-16/32 by byte-order mark, or UTF-16 without one when every other byte is NUL (ASCII-range text)."""
    for bom, name in ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
                      (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if head.startswith(bom):
            return name
    sample = head[:4096] if len(head) % 2 == 0 else head[:4095]
    if len(sample) >= 4:
        even, odd = sample[0::2], sample[1::2]
        if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
            return "utf-16-le"
        if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
            return "utf-16-be"
    return None


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_xlsx(path: Path, raw: bytes) -> TableFile:
    import openpyxl

    try:
        check_zip(raw, "the workbook")
        wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except LimitExceeded:
        raise
    except Exception as exc:  # noqa: BLE001 - zip, XML and openpyxl errors all mean "not readable"
        raise FileFormatError(f"this is not a readable XLSX workbook ({type(exc).__name__}: {str(exc)[:200]})") \
            from None
    table = TableFile(path=path, raw=raw, mime=XLSX_MIME, encoding="xlsx")
    try:
        sheets = [(ws.title, [(i, [_cell(v) for v in values])
                              for i, values in enumerate(ws.iter_rows(min_row=1, values_only=True), start=1)])
                  for ws in wb.worksheets]
    finally:
        wb.close()
    _render(table, sheets)
    return table


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _render(table: TableFile, sheets: Sequence[tuple[str | None, Iterable[tuple[int, list[str]]]]]) -> None:
    """Render every sheet as CSV text, recording each data row's span."""
    out: list[str] = []
    pos = 0
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    for name, records in sheets:
        if name is not None:
            out.append(("\n" if pos else "") + f"# sheet: {name}\n")
            pos += len(out[-1])
        columns: list[str] | None = None
        rows: list[Row] = []
        for number, values in records:
            if not any(v.strip() for v in values):
                continue
            buf.seek(0)
            buf.truncate()
            writer.writerow(values)
            line = buf.getvalue()[:-1]
            start = pos
            out.append(line + "\n")
            pos += len(line) + 1
            if columns is None:
                columns = _unique(values)
                continue
            cells = {c: (values[i] if i < len(values) else "") for i, c in enumerate(columns)}
            for i in range(len(columns), len(values)):
                cells[f"column_{i + 1}"] = values[i]
            rows.append(Row(number=number, cells=cells, text=line, start=start, end=start + len(line)))
        if columns is None and name is None:
            raise FileFormatError("the file is empty: no header row")
        table.sheets.append(Sheet(name=name, columns=columns or [], rows=rows))
    table.text = "".join(out)
    if not table.sheets:
        raise FileFormatError("the workbook has no sheets")


def _unique(header: list[str]) -> list[str]:
    names: list[str] = []
    for i, h in enumerate(header):
        name = h.strip().lstrip("\ufeff") or f"column_{i + 1}"
        base, k = name, 2
        while name in names:
            name, k = f"{base}_{k}", k + 1
        names.append(name)
    return names
