"""Read a CSV table row by row, in constant memory, with the same rows, spans and notes as ``reader.read_table``.

``stream_table`` checks the file first (its encoding, validated by decoding it incrementally; its delimiter; its
header), under the parse deadline; then every call of ``rows()`` reads the file again from disk, one record at a time
(``csvrows.iter_records``): neither the file's bytes nor its text nor its rows are held. An XLSX workbook is read
whole by ``read_table`` (openpyxl in read-only mode, rows materialised) and served through the same interface.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from survindex.ingest.datasets.csvrows import iter_records
from survindex.ingest.datasets.reader import (
    FileFormatError,
    Row,
    Sheet,
    TableFile,
    _unicode_encoding,
    _unique,
    read_table,
    require_columns,
)
from survindex.ingest.limits import LimitExceeded, deadline

_CHUNK = 1 << 20
_UTF8_BOM = b"\xef\xbb\xbf"


@dataclass
class TableStream:
    """One sheet of a table file: its header now, its rows on demand (``rows()``, a fresh pass each call)."""

    path: Path
    mime: str
    encoding: str
    columns: list[str]
    name: str | None = None  # the sheet's name; None for a CSV file
    warnings: list[str] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)  # of the last full pass of rows()
    filled: set[str] = field(default_factory=set)  # columns holding a value in some row seen by rows()
    whole: TableFile | None = None  # an XLSX workbook, read whole
    _sheet: Sheet | None = None  # its chosen sheet
    _pass: Callable[[list[tuple[int, str]]], Iterator[tuple[int, list[str]]]] | None = None
    _header: str = ""

    @property
    def source(self) -> bytes | Path:
        """What the archive keeps: the workbook's bytes, or the CSV file's path (read when archived)."""
        return self.whole.raw if self.whole is not None else self.path

    def rows(self) -> Iterator[Row]:
        """The data rows, numbered and spanned exactly as ``read_table`` numbers and spans them."""
        if self._sheet is not None:
            for row in self._sheet.rows:
                self.filled.update(c for c, v in row.cells.items() if v.strip())
                yield row
            return
        assert self._pass is not None
        self.problems = []
        pos, columns = len(self._header) + 1, self.columns
        for number, values in self._pass(self.problems):
            cells = {c: (values[i] if i < len(values) else "") for i, c in enumerate(columns)}
            for i in range(len(columns), len(values)):
                cells[f"column_{i + 1}"] = values[i]
            self.filled.update(c for c, v in cells.items() if v.strip())
            text = _render(values)
            yield Row(number=number, cells=cells, text=text, start=pos, end=pos + len(text))
            pos += len(text) + 1

    def text(self) -> str:
        """The table rendered as CSV, as ``read_table`` renders it (for importers whose document is the file)."""
        if self.whole is not None:
            return self.whole.text
        return "".join([self._header + "\n", *(row.text + "\n" for row in self.rows())])

    def notes(self) -> list[str]:
        """Warnings about the whole file, then rows read as best they could be (complete after a full pass)."""
        return self.warnings + [f"row {row}: {reason}" for row, reason in self.problems]

    def require(self, *names: str) -> None:
        require_columns(self.name, self.columns, names)

    def never_read(self, read: list[str]) -> list[str]:
        """Columns holding a value in some row that the import never looked at (after a full pass)."""
        used = set(read)
        return [c for c in self.columns if c not in used and c in self.filled]


def stream_table(path: str | Path, sheet: str | None = None) -> TableStream:
    """Open ``path`` for streaming (``sheet``: an XLSX sheet's name). Whatever is wrong with the file's
    encoding or header is a FileFormatError now; a damaged record later is one too, raised by ``rows()``."""
    path = Path(path)
    try:
        with path.open("rb") as f:
            head = f.read(65536)
    except OSError as exc:
        raise FileFormatError(f"cannot read {path}: {exc.strerror or exc}") from None
    if head.startswith(b"\xd0\xcf\x11\xe0") or head.startswith(b"PK\x03\x04"):
        whole = read_table(path)  # XLSX (or the legacy-.xls error): read whole
        chosen = whole.sheet(sheet)
        return TableStream(path=path, mime=whole.mime, encoding=whole.encoding, columns=chosen.columns,
                           name=chosen.name, warnings=list(whole.warnings), problems=list(whole.problems),
                           whole=whole, _sheet=chosen)
    try:
        with deadline(what="reading the table"):
            table = _open_csv(path, head)
    except (FileFormatError, LimitExceeded) as exc:
        raise FileFormatError(str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - a corrupt file must end in the one named error, never a traceback
        raise FileFormatError(f"the file is damaged ({type(exc).__name__}: {str(exc)[:200]})") from None
    if sheet is not None:
        raise FileFormatError(f"no sheet {sheet!r} (sheets: None)")
    return table


def _open_csv(path: Path, head: bytes) -> TableStream:
    codec, encoding, warnings = _encoding(path, head)
    unicode = _unicode_encoding(head) is not None  # its leading BOMs are dropped, as reader._decode drops them
    delimiter = _delimiter(path, codec)

    def records(problems: list[tuple[int, str]]) -> Iterator[tuple[int, list[str]]]:
        """``(row number, values)`` of every non-blank record; a failure mid-file is a FileFormatError."""
        try:
            with path.open("r", encoding=codec, newline="") as f:
                lines = _lines(f, strip_bom=unicode)
                for number, values in enumerate(iter_records(lines, delimiter, problems), start=1):
                    if any(v.strip() for v in values):
                        yield number, values
        except (OSError, ValueError, csv.Error, MemoryError) as exc:
            raise FileFormatError(f"the file is damaged ({type(exc).__name__}: {str(exc)[:200]})") from None

    first = next(records([]), None)
    if first is None:
        raise FileFormatError("the file is empty: no header row")
    table = TableStream(path=path, mime="text/csv", encoding=encoding, columns=_unique(first[1]),
                        warnings=warnings, _header=_render(first[1]))

    def data(problems: list[tuple[int, str]]) -> Iterator[tuple[int, list[str]]]:
        it = records(problems)
        next(it, None)  # the header
        yield from it

    table._pass = data
    return table


def _lines(f: TextIO, strip_bom: bool) -> Iterator[str]:
    """Physical lines as written (``\\n``, ``\\r\\n``, ``\\r``); leading BOMs of a UTF-16/32 text dropped."""
    for i, line in enumerate(f):
        yield line.lstrip("\ufeff") if strip_bom and i == 0 else line


def _encoding(path: Path, head: bytes) -> tuple[str, str, list[str]]:
    """``(codec to read with, encoding to report, warnings)``: the rules of ``reader._decode``, checked by
    decoding the whole file incrementally."""
    unicode = _unicode_encoding(head)
    if unicode is not None:
        if _first_error(path, unicode) is not None:
            raise FileFormatError(f"the file looks like {unicode} but cannot be decoded as it")
        return unicode, unicode, []
    if b"\x00" in head:
        raise FileFormatError("this is a binary file, not CSV or XLSX")
    bad = _first_error(path, "utf-8")
    if bad is None:
        return "utf-8-sig", "utf-8", []
    where = f"byte {bad - len(_UTF8_BOM) if head.startswith(_UTF8_BOM) else bad}"
    for enc in ("cp1252", "latin-1"):
        if _first_error(path, enc) is None:
            return enc, enc, [f"the file is not valid UTF-8 ({where}); read it as {enc}: check accented names"]
    raise FileFormatError("the file cannot be decoded as UTF-8, cp1252 or latin-1")  # pragma: no cover


def _first_error(path: Path, encoding: str) -> int | None:
    """Offset of the first byte that ``encoding`` cannot decode, or None (the file is read in chunks)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    fed = 0
    with path.open("rb") as f:
        while True:
            chunk = f.read(_CHUNK)
            held = len(getattr(decoder, "buffer", b""))
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                return fed - held + exc.start
            if not chunk:
                return None
            fed += len(chunk)


def _delimiter(path: Path, codec: str) -> str:
    """The most frequent of ``,`` ``;`` tab on the first line (up to the first ``\\n``), else a comma."""
    counts = dict.fromkeys((",", ";", "\t"), 0)
    with path.open("r", encoding=codec, newline="") as f:
        while chunk := f.read(65536):
            part = chunk.split("\n", 1)[0]
            for d in counts:
                counts[d] += part.count(d)
            if len(part) < len(chunk):
                break
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _render(values: list[str]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(values)
    return buf.getvalue()[:-1]
