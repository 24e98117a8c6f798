"""The one place provenance is stamped: document, exact quote, character span, extractor name and version."""

from __future__ import annotations

from typing import Any

from survindex.model import Claim

EXTRACTOR = "survindex.extract"
EXTRACTOR_VERSION = "0.3.0"


class SpanError(ValueError):
    """A rule produced a span that does not quote the document exactly."""


def emit(doc_id: str, text: str, start: int, end: int, draft: dict[str, Any]) -> Claim:
    """A claim from a rule's draft; ``text[start:end]`` is its quote, so a span can never drift."""
    if not 0 <= start < end <= len(text):
        raise SpanError(f"span {start}:{end} outside document of {len(text)} characters")
    fields = {k: v for k, v in draft.items() if v is not None or k in ("country", "supplier")}
    fields.pop("quote", None)
    return Claim(doc_id=doc_id, quote=text[start:end], start=start, end=end, extractor=EXTRACTOR,
                 extractor_version=EXTRACTOR_VERSION, **fields)
