"""Where documents come from: files, directories, standard input and URLs, each routed to its reader."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import BinaryIO

import httpx

from survindex.ingest.base import Parsed
from survindex.ingest.documents import to_document
from survindex.ingest.errors import IngestError
from survindex.ingest.feed import FEED_MIME
from survindex.ingest.fetch import Fetcher
from survindex.ingest.formats import EXTENSIONS, READERS, detect, not_text, sniff
from survindex.ingest.html import read_html
from survindex.ingest.limits import LimitExceeded, deadline
from survindex.ingest.jsonl import read_jsonl_stream
from survindex.ingest.plain import read_markdown, read_text
from survindex.model import Document

Item = tuple[Document, bytes]
HEAD = 8192


@dataclass(frozen=True)
class Unit:
    kind: str  # "file" | "url" | "stdin"
    target: str


@dataclass
class Plan:
    units: list[Unit] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)
    skipped: int = 0


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def plan(inputs: Iterable[str]) -> Plan:
    """Expand inputs into files and URLs; directories recursively, hidden entries and binary files skipped."""
    p = Plan()
    for value in inputs:
        if is_url(value):
            p.units.append(Unit("url", value))
        elif value == "-":
            p.units.append(Unit("stdin", "-"))
        elif os.path.isdir(value):
            _walk(Path(value), p)
        elif os.path.isfile(value):
            p.units.append(Unit("file", value))
        else:
            p.errors.append(IngestError(value, "no such file, directory or http(s) URL"))
    return p


def _walk(root: Path, p: Plan) -> None:
    """Files under ``root``; a symbolic link that leads out of ``root`` is refused (not followed)."""
    top = os.path.realpath(root)
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            if name.startswith(".") or not os.path.isfile(path):
                continue
            if os.path.islink(path) and os.path.commonpath([top, os.path.realpath(path)]) != top:
                p.errors.append(IngestError(path, "a symbolic link out of the ingested directory: refused "
                                                  "(ingest its target by name if it is wanted)"))
                continue
            if _wanted(path, Path(name).suffix.lower()):
                p.units.append(Unit("file", path))
            else:
                p.skipped += 1


def _wanted(path: str, suffix: str) -> bool:
    """In a directory: known extensions; files without one that look like a document; .xml/.json files
    that are feeds or JSONL. Anything else (code, spreadsheets, images) is skipped."""
    if suffix in EXTENSIONS:
        return True
    if suffix not in ("", ".xml", ".json"):
        return False
    try:
        with open(path, "rb") as fh:
            head = fh.read(HEAD)
    except OSError:
        return True  # reading it later reports the error
    fmt = sniff(head) if head else None
    return fmt is not None and (suffix == "" or fmt in ("feed", "jsonl"))


def _charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    msg = Message()
    msg["content-type"] = content_type
    value = msg.get_param("charset")
    return value if isinstance(value, str) else None


def parse_bytes(data: bytes, name: str, content_type: str | None = None,
                url: str | None = None) -> Iterator[Parsed | IngestError]:
    """Route bytes to their reader; raises IngestError when the content is empty or of no known type."""
    if not data.strip():
        raise IngestError(name, "the file is empty")
    fmt = detect(name, content_type, data[:HEAD])
    if fmt is None:
        raise IngestError(name, f"unsupported content ({content_type or 'binary data of unknown type'})")
    if fmt == "html":
        return read_html(data, name, url=url, charset=_charset(content_type))
    if fmt in ("text", "markdown"):
        if not_text(data[:HEAD]):
            raise IngestError(name, "binary data in a text file: refused (it is not text)")
        return (read_text if fmt == "text" else read_markdown)(data, name, _charset(content_type))
    return READERS[fmt](data, name)


def to_items(parsed: Callable[[], Iterable[Parsed | IngestError]], source: str, raw: bytes,
             url: str | None = None, stream: bool = False) -> Iterator[Item | IngestError]:
    """Documents (with the raw bytes to archive) from a reader; every failure becomes an IngestError.
    A whole file is parsed under the parse deadline (``limits.deadline``); a stream (JSONL) item by item."""
    if stream:
        try:
            yield from _convert(parsed, source, raw, url)
        except IngestError as err:
            yield err
        except LimitExceeded as exc:
            yield IngestError(source, f"refused: {exc}")
        return
    items: list[Item | IngestError] = []
    try:
        with deadline(what="parsing it"):
            for item in _convert(parsed, source, raw, url):
                items.append(item)
    except LimitExceeded as exc:
        items = [IngestError(source, f"refused: {exc}")]
    except IngestError as err:
        items.append(err)
    yield from items


def _convert(parsed: Callable[[], Iterable[Parsed | IngestError]], source: str, raw: bytes,
             url: str | None) -> Iterator[Item | IngestError]:
    try:
        for p in parsed():
            if isinstance(p, IngestError):
                yield p
                continue
            if p.url is None and url is not None:
                p.url = url
            try:
                yield to_document(p, source), (p.raw if p.raw is not None else raw)
            except IngestError as err:
                yield err
    except (IngestError, LimitExceeded):
        raise  # to_items reports them
    except Exception as exc:  # noqa: BLE001 - a reader bug must cost one file, not the run
        yield IngestError(source, f"unexpected {type(exc).__name__}: {str(exc)[:200]}")


def read_unit(unit: Unit, fetcher: Callable[[], Fetcher], max_bytes: int,
              follow_links: bool = False) -> Iterator[Item | IngestError]:
    """Everything one file, URL or standard input holds; feed entries replaced by their pages on request.
    Whatever goes wrong becomes an IngestError for this unit: the run goes on."""
    try:
        if unit.kind == "url":
            items = _read_url(unit.target, fetcher)
        elif unit.kind == "stdin":
            items = _read_stream(sys.stdin.buffer, "-", max_bytes)
        else:
            items = _read_file(unit.target, max_bytes)
        for item in items:
            if follow_links and not isinstance(item, IngestError) and item[0].mime == FEED_MIME:
                yield from _follow(item, fetcher)
            else:
                yield item
    except IngestError as err:
        yield err
    except (OSError, ValueError, httpx.HTTPError, httpx.InvalidURL) as exc:
        yield IngestError(unit.target, f"cannot read it ({type(exc).__name__}: {str(exc)[:200]})")


def _read_data(data: bytes, name: str, max_bytes: int) -> Iterator[Item | IngestError]:
    if len(data) > max_bytes:
        yield IngestError(name, f"larger than the limit of {max_bytes} bytes (raise it with --max-bytes)")
        return
    yield from to_items(lambda: parse_bytes(data, name), name, data)


def _read_file(path: str, max_bytes: int) -> Iterator[Item | IngestError]:
    try:
        with open(path, "rb") as fh:
            yield from _read_stream(fh, path, max_bytes)
    except OSError as exc:
        yield IngestError(path, f"cannot read the file ({exc.strerror or exc})")


class _Prefixed:
    """A stream whose first bytes were already read (to sniff them): those first, then the rest."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self.head, self.rest = io.BytesIO(head), rest

    def readline(self, size: int = -1, /) -> bytes:
        return self.head.readline(size) or self.rest.readline(size)


def _read_stream(fh: BinaryIO, name: str, max_bytes: int) -> Iterator[Item | IngestError]:
    """A file or stdin: JSONL is streamed line by line whatever its size; anything else is read whole."""
    head = fh.read(HEAD)
    if detect(name, None, head) == "jsonl":
        head += fh.readline()  # complete the last line so the prefix ends at a line boundary
        yield from to_items(lambda: read_jsonl_stream(_Prefixed(head, fh), name, max_bytes), name, b"",
                            stream=True)
        return
    yield from _read_data(head + fh.read(max_bytes + 1 - len(head)), name, max_bytes)


def _read_url(url: str, fetcher: Callable[[], Fetcher]) -> Iterator[Item | IngestError]:
    try:
        resp = fetcher().get(url)
    except IngestError as err:
        yield err
        return
    yield from to_items(lambda: parse_bytes(resp.data, resp.url, resp.content_type, url=resp.url),
                        resp.url, resp.data, url=resp.url)


def _follow(item: Item, fetcher: Callable[[], Fetcher]) -> Iterator[Item | IngestError]:
    """A feed entry replaced by the page it links to; the entry's summary stays when the page fails."""
    entry, _raw = item
    if not entry.url or not is_url(entry.url):
        yield item
        return
    pages = list(_read_url(entry.url, fetcher))
    docs = [x for x in pages if not isinstance(x, IngestError)]
    if not docs:
        yield from pages
        yield item
        return
    for doc, raw in docs:
        meta = {**entry.meta, **doc.meta, "feed_entry": entry.id}
        yield Document.from_text(doc.text, title=doc.title or entry.title, url=doc.url,
                                 published=doc.published or entry.published, source=doc.source,
                                 publisher=doc.publisher or entry.publisher, language=doc.language,
                                 mime=doc.mime, meta=meta), raw
