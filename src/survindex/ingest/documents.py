"""From what a reader found to a content-addressed ``Document``: normalised text, language, provenance."""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from typing import Any

from survindex.ingest.base import Parsed
from survindex.ingest.errors import IngestError, printable
from survindex.ingest.text import normalise
from survindex.model import Document

LANGUAGE_SAMPLE = 1_500  # characters given to the language identifier (enough for a confident guess)
MIN_LANGUAGE_WORDS = 3
_LETTERS = re.compile(r"[^\W\d_]")


@functools.lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language (py3langid), or None when too short or unsure."""
    sample = text[:LANGUAGE_SAMPLE]
    if len(sample.split()) < MIN_LANGUAGE_WORDS or len(_LETTERS.findall(sample, 0, 2000)) < 10:
        return None
    (lang, prob), (_second, runner_up) = _identifier().rank(sample)[:2]
    return str(lang) if prob >= 0.25 and prob >= 2 * runner_up else None


def with_language(doc: Document) -> Document:
    """The document with its detected language (done after deduplication: exact duplicates skip it)."""
    return doc if doc.language else replace(doc, language=detect_language(doc.text))


def to_document(parsed: Parsed, source: str) -> Document:
    """Normalise and hash one parsed item (language not yet set); an item without text raises IngestError."""
    text = normalise(parsed.text)
    if not text.strip():
        raise IngestError(source, "no text could be extracted", parsed.location)
    meta = {k: v for k, v in parsed.meta.items() if v is not None}
    if parsed.location:
        meta["location"] = parsed.location
    published = parsed.published
    if published is None:  # front matter, a "Date:" or "Posted on" line, a byline or an HTML meta date in the text
        from survindex.extract.structure import published_date

        published = published_date(text)
    return Document.from_text(text, title=parsed.title, url=parsed.url, published=published,
                              source=printable(source), publisher=parsed.publisher,
                              mime=parsed.mime, meta=meta)
