"""RSS and Atom feeds with feedparser: each entry is a document made from its content or summary."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

from survindex.ingest.base import Parsed, clean_date, clean_str
from survindex.ingest.errors import IngestError
from survindex.ingest.html import strip_tags

FEED_MIME = "application/rss+xml"


def _entry_text(entry: Any) -> str:
    parts = [c.get("value", "") for c in entry.get("content", []) if isinstance(c, dict)]
    html = max(parts, key=len) if parts else ""
    summary = entry.get("summary") or ""
    if len(summary) > len(html):
        html = summary
    return strip_tags(html)[0] if "<" in html else " ".join(html.split())


def _entry(entry: Any, feed_title: str | None, index: int) -> Parsed:
    meta: dict[str, Any] = {"feed": feed_title} if feed_title else {}
    if entry.get("id"):
        meta["entry_id"] = clean_str(entry["id"], 500)
    with warnings.catch_warnings():  # feedparser warns about its updated/published fallback
        warnings.simplefilter("ignore", DeprecationWarning)
        published = entry.get("published_parsed") or entry.get("updated_parsed")
    return Parsed(text=_entry_text(entry), mime=FEED_MIME, title=clean_str(entry.get("title"), 500),
                  url=clean_str(entry.get("link")), published=clean_date(published),
                  publisher=feed_title, meta=meta, location=f"entry {index}")


def read_feed(data: bytes, source: str) -> Iterator[Parsed | IngestError]:
    """Entries of an RSS/Atom feed; a file that is no feed at all raises IngestError."""
    try:
        import feedparser

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            parsed = feedparser.parse(data)
        entries = list(parsed.entries)
        feed_title = clean_str(parsed.feed.get("title"), 300)
    except Exception as exc:  # noqa: BLE001 - feedparser is lenient, but XML libraries can still raise
        raise IngestError(source, f"not a readable feed ({type(exc).__name__})") from None
    if not entries:
        why = f" ({str(parsed.get('bozo_exception'))[:150]})" if parsed.get("bozo") else ""
        raise IngestError(source, f"the feed has no entries{why}")
    for index, entry in enumerate(entries, start=1):
        try:
            yield _entry(entry, feed_title, index)
        except Exception as exc:  # noqa: BLE001 - one odd entry must not lose the others
            yield IngestError(source, f"unreadable entry ({type(exc).__name__})", f"entry {index}")
