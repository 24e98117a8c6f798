"""Which reader reads a file: by extension, then Content-Type, then by sniffing the first bytes."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import PurePosixPath

from survindex.ingest.base import Parsed
from survindex.ingest.errors import IngestError
from survindex.ingest.feed import read_feed
from survindex.ingest.html import read_html
from survindex.ingest.jsonl import read_jsonl
from survindex.ingest.office import read_docx
from survindex.ingest.pdf import read_pdf
from survindex.ingest.plain import read_markdown, read_text

Reader = Callable[[bytes, str], Iterator[Parsed | IngestError]]

READERS: dict[str, Reader] = {
    "text": read_text, "markdown": read_markdown, "html": read_html, "pdf": read_pdf,
    "docx": read_docx, "jsonl": read_jsonl, "feed": read_feed,
}
EXTENSIONS = {
    ".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html",
    ".htm": "html", ".xhtml": "html", ".pdf": "pdf", ".docx": "docx", ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".rss": "feed", ".atom": "feed",
}
_TYPES = (
    ("application/pdf", "pdf"), ("wordprocessingml", "docx"), ("rss", "feed"), ("atom", "feed"),
    ("rdf", "feed"), ("html", "html"), ("markdown", "markdown"), ("jsonl", "jsonl"), ("ndjson", "jsonl"),
    ("json-seq", "jsonl"), ("text/plain", "text"),
)
_FEED = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_HTML = re.compile(rb"<(!doctype\s+html|html|head|body|p|div|article|title)[\s>]", re.IGNORECASE)


def from_content_type(content_type: str | None) -> str | None:
    ct = (content_type or "").split(";")[0].strip().lower()
    return next((fmt for key, fmt in _TYPES if key in ct), None) if ct else None


def sniff(head: bytes) -> str | None:
    """The format of bytes that start with ``head``; None when they look binary and unknown."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1024]
    if start.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    if start.startswith(b"PK\x03\x04"):
        return "docx" if b"word/" in head or b"[Content_Types].xml" in head else None
    if _FEED.search(start) and (start.startswith(b"<?xml") or start.startswith(b"<rss") or b"<feed" in start):
        return "feed"
    if _HTML.search(start[:512]):
        return "html"
    if start.startswith(b"{") and b'"text"' in head:
        return "jsonl"
    return None if looks_binary(head) else "text"


def not_text(head: bytes) -> bool:
    """For a file named as text: True when its bytes are clearly binary (a few stray NULs or controls in real text
    are tolerated and removed by normalisation; UTF-16/32 with a BOM is text)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        return False
    sample = head[:4096]
    nuls = sample.count(0)
    controls = sum(1 for b in sample if b < 9 or 13 < b < 27 or 27 < b < 32)
    return nuls > max(2, len(sample) // 100) or controls > max(4, len(sample) // 20)


def looks_binary(head: bytes) -> bool:
    """True for bytes that are not text: NULs (unless UTF-16/32 with a BOM) or many control characters."""
    if not head:
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        return False  # UTF-16 text has many NULs
    sample = head[:4096]
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return b"\x00" in sample or controls > len(sample) // 10


def detect(name: str, content_type: str | None, head: bytes) -> str | None:
    """Extension first, then a specific Content-Type, then the bytes themselves."""
    ext = PurePosixPath(name.split("?")[0].split("#")[0]).suffix.lower()
    if ext in EXTENSIONS:
        return EXTENSIONS[ext]
    fmt = from_content_type(content_type)
    if fmt and fmt != "text":
        if fmt == "html" and sniff(head) == "feed":
            return "feed"
        return fmt
    if ext == ".xml" and _FEED.search(head[:2048]):
        return "feed"
    return sniff(head)
