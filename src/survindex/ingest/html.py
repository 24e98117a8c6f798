"""HTML: main text and metadata with trafilatura; a plain tag-stripper when trafilatura finds nothing."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

from survindex.ingest.base import Parsed, clean_date, clean_str
from survindex.ingest.text import decode

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)
_SKIP = {"script", "style", "noscript", "template", "svg", "head", "iframe", "object", "canvas"}
_BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "blockquote",
          "pre", "table", "ul", "ol", "dd", "dt", "header", "footer", "main", "aside", "figcaption", "hr", "td"}
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)


def html_charset(data: bytes) -> str | None:
    """The charset a page declares in its first 4 KB, if any."""
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii", "replace") if m else None


class _Stripper(HTMLParser):
    """Text outside script/style, with block tags as line breaks, and the <title>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self.skip = 0
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag == "title":
            self.in_title = True
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP and self.skip:
            self.skip -= 1
        elif tag == "title":
            self.in_title = False
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif not self.skip:
            self.parts.append(data)


def strip_tags(html: str) -> tuple[str, str | None]:
    """Tag-stripped text and title of an HTML string; never raises on broken markup."""
    parser = _Stripper()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # noqa: BLE001 - keep what was parsed before the breakage
        pass
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    text = "\n".join(line for line in lines if line)
    return text, clean_str("".join(parser.title), 500)


def _trafilatura(html: str, url: str | None) -> dict[str, Any] | None:
    try:
        import trafilatura

        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                          date_extraction_params={"extensive_search": False,
                                                                  "original_date": True})
        if doc is None or isinstance(doc, dict):
            return doc
        return dict(doc.as_dict())
    except Exception:  # noqa: BLE001 - trafilatura/lxml fail on hostile markup; the stripper takes over
        return None


def read_html(data: bytes, source: str, url: str | None = None, charset: str | None = None) -> Iterator[Parsed]:
    """An HTML page: one document with title, date and site name when the page gives them."""
    html = decode(data, charset or html_charset(data))
    found = (_trafilatura(html, url) if "<" in html else None) or {}
    text = found.get("text") or ""
    title = clean_str(found.get("title"), 500)
    meta: dict[str, Any] = {}
    if not text.strip() or not title:
        fallback_text, fallback_title = strip_tags(html)
        title = title or fallback_title
        if not text.strip():
            text = fallback_text
            meta["extractor"] = "strip-tags"
    if found.get("sitename"):
        meta["site"] = clean_str(found["sitename"], 300)
    if found.get("author"):
        meta["author"] = clean_str(found["author"], 300)
    yield Parsed(text=text, mime="text/html", title=title,
                 url=url or clean_str(found.get("url")), published=clean_date(found.get("date")),
                 publisher=clean_str(found.get("sitename"), 300), meta=meta)
