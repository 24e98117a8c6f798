"""CSV records that a stray quote cannot swallow.

Python's ``csv`` reader lets an unbalanced ``"`` run on to the end of the file, so one stray quote in row 2 turns
every later row into one cell ("rows read: 1"). Here each record is assembled from physical lines while its quotes
are unbalanced, parsed strictly, and when that fails (a quote that never closes, text after a closing quote, a quoted
field spanning more than ``MAX_RECORD_LINES`` lines) only the record's first line is taken, with its quotes read as
written, and reported by row; reading resumes on the next line.
"""

from __future__ import annotations

import csv
import io
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice

MAX_RECORD_LINES = 1000  # a quoted field spanning more lines is treated as a stray quote
MAX_RECORD_CHARS = 4 * 1024 * 1024


def _strict(lines: list[str], delimiter: str) -> list[str] | None:
    try:
        rows = list(csv.reader(io.StringIO("".join(lines), newline=""), delimiter=delimiter, strict=True))
    except csv.Error:
        return None
    return rows[0] if len(rows) == 1 else ([] if not rows else None)


def _literal(line: str, delimiter: str) -> list[str]:
    rows = list(csv.reader(io.StringIO(line, newline=""), delimiter=delimiter, quoting=csv.QUOTE_NONE))
    return rows[0] if rows else []


def read_records(text: str, delimiter: str, problems: list[tuple[int, str]]) -> list[list[str]]:
    """Every record of ``text``; a record damaged by a stray quote adds ``(row, reason)`` to ``problems``
    (rows are numbered as records, the header being 1, as the importers number them)."""
    return list(iter_records(io.StringIO(text, newline=""), delimiter, problems))  # split at \n, \r\n, \r only


def iter_records(lines: Iterable[str], delimiter: str, problems: list[tuple[int, str]]) -> Iterator[list[str]]:
    """The records of ``lines`` (physical lines ending as written), one at a time: at most one record's lines
    (``MAX_RECORD_LINES``, ``MAX_RECORD_CHARS``) are held, so a file of any size streams."""
    source = iter(lines)
    buf: deque[str] = deque()
    count = 0
    while buf or _pull(source, buf):
        j, quotes, size = 0, 0, 0
        while j < len(buf) or _pull(source, buf):
            quotes += buf[j].count('"')
            size += len(buf[j])
            j += 1
            if quotes % 2 == 0 or j >= MAX_RECORD_LINES or size > MAX_RECORD_CHARS:
                break
        record = _strict(list(islice(buf, 0, j)), delimiter) if quotes % 2 == 0 else None
        if record is None:
            problems.append((count + 1, "unbalanced or misplaced quote: the row was read with its quotes as "
                                        "written; check it"))
            record, j = _literal(buf[0], delimiter), 1
        for _ in range(j):
            buf.popleft()
        count += 1
        yield record


def _pull(source: Iterator[str], buf: deque[str]) -> bool:
    """Append the next line of ``source`` to ``buf``; False at the end."""
    line = next(source, None)
    if line is None:
        return False
    buf.append(line)
    return True
