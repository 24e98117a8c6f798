"""Plain text and Markdown."""

from __future__ import annotations

import re
from collections.abc import Iterator

from survindex.ingest.base import Parsed, clean_date, clean_str
from survindex.ingest.text import decode

_FRONT = re.compile(r"\A---\n(.{0,4000}?)\n---\n", re.DOTALL)
_FIELD = re.compile(r"^(title|date|published|url|source):[ \t]*(.+)$", re.MULTILINE | re.IGNORECASE)
_HEADING = re.compile(r"^#{1,6}[ \t]+(.{1,300})$", re.MULTILINE)
_IMAGE = re.compile(r"!\[([^\[\]\n]{0,300})\]\([^()\n]{0,1000}\)")
_LINK = re.compile(r"\[([^\[\]\n]{0,300})\]\([^()\n]{0,1000}\)")


def read_text(data: bytes, source: str, charset: str | None = None) -> Iterator[Parsed]:
    """A plain-text file: the whole file is one document."""
    yield Parsed(text=decode(data, charset), mime="text/plain")


def read_markdown(data: bytes, source: str, charset: str | None = None) -> Iterator[Parsed]:
    """A Markdown file: front matter and the first heading give metadata; link syntax becomes its text."""
    text = decode(data, charset).replace("\r\n", "\n")
    fields: dict[str, str] = {}
    front = _FRONT.match(text)
    if front:
        fields = {k.lower(): v.strip().strip("\"'") for k, v in _FIELD.findall(front.group(1))}
        text = text[front.end():]
    heading = _HEADING.search(text)
    title = fields.get("title") or (heading.group(1).strip(" #") if heading else None)
    text = _LINK.sub(r"\1", _IMAGE.sub(r"\1", text))
    yield Parsed(text=text, mime="text/markdown", title=clean_str(title),
                 published=clean_date(fields.get("date") or fields.get("published")),
                 url=clean_str(fields.get("url") or fields.get("source")))
