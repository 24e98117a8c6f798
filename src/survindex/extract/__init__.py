"""Documents in, cited claims out: pure functions, no I/O (see ``pipeline.extract``)."""

from survindex.extract.emit import EXTRACTOR, EXTRACTOR_VERSION, emit
from survindex.extract.pipeline import extract, extract_document, extract_jsonl

__all__ = ["EXTRACTOR", "EXTRACTOR_VERSION", "emit", "extract", "extract_document", "extract_jsonl"]
