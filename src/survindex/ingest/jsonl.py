"""JSONL: one document a line, ``{"id", "text", "title", "url", "published", "meta"}``; bad lines are
reported by line number and the rest of the file is still read."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

from survindex.ingest.base import Parsed, clean_date, clean_meta, clean_str
from survindex.ingest.errors import IngestError
from survindex.ingest.text import decode


def _parse_line(line: bytes, source: str, where: str) -> Parsed:
    try:
        obj = json.loads(decode(line))
    except (ValueError, RecursionError) as exc:
        raise IngestError(source, f"not valid JSON ({str(exc)[:120]})", where) from None
    if not isinstance(obj, dict):
        raise IngestError(source, f"expected a JSON object, got {type(obj).__name__}", where)
    text = obj.get("text")
    if not isinstance(text, str):
        raise IngestError(source, 'the "text" field is missing or not a string', where)
    meta: dict[str, Any] = clean_meta(obj["meta"]) if isinstance(obj.get("meta"), dict) else {}
    if obj.get("id") is not None:
        meta["source_id"] = clean_str(obj["id"], 500)
    return Parsed(text=text, mime="application/jsonl", title=clean_str(obj.get("title"), 500),
                  url=clean_str(obj.get("url")), published=clean_date(obj.get("published")),
                  publisher=clean_str(obj.get("publisher"), 300), meta=meta, location=where, raw=line)


def read_jsonl_lines(lines: Iterable[bytes], source: str) -> Iterator[Parsed | IngestError]:
    """Stream documents from JSONL lines; an unreadable line yields an IngestError and the file goes on."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"line {number}"
        try:
            yield _parse_line(line.rstrip(b"\r\n"), source, where)
        except IngestError as err:
            yield err


class LineReader(Protocol):
    def readline(self, size: int = -1, /) -> bytes: ...


def bounded_lines(fh: LineReader, max_line: int) -> Iterator[bytes | None]:
    """Lines of a binary stream; a line longer than ``max_line`` is skipped (read in pieces) and given
    as None, so one huge line never sits in memory."""
    while True:
        line = fh.readline(max_line + 1)
        if not line:
            return
        if len(line) > max_line and not line.endswith(b"\n"):
            while (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield None
        else:
            yield line


def read_jsonl_stream(fh: LineReader, source: str, max_line: int) -> Iterator[Parsed | IngestError]:
    """Stream documents from a binary file or stdin, line by line."""
    for number, line in enumerate(bounded_lines(fh, max_line), start=1):
        if line is None:
            yield IngestError(source, f"the line is longer than {max_line} bytes (raise --max-bytes)",
                              f"line {number}")
        elif line.strip():
            try:
                yield _parse_line(line.rstrip(b"\r\n"), source, f"line {number}")
            except IngestError as err:
                yield err


def read_jsonl(data: bytes, source: str) -> Iterator[Parsed | IngestError]:
    """JSONL held in memory (a fetched URL); files are streamed line by line instead."""
    return read_jsonl_lines(data.splitlines(), source)
