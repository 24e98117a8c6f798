"""Documents in: files, directories, URLs and feeds, read into content-addressed documents.

The names below load lazily, so ``survindex.ingest.datasets`` does not pay for the HTML/PDF readers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from survindex.ingest.errors import IngestError

if TYPE_CHECKING:
    from survindex.ingest.fetch import Fetcher
    from survindex.ingest.pipeline import IngestReport, ingest_paths, iter_documents, read_bytes

__all__ = ["Fetcher", "IngestError", "IngestReport", "ingest_paths", "iter_documents", "read_bytes"]
_LAZY = {"IngestReport": "pipeline", "ingest_paths": "pipeline", "iter_documents": "pipeline",
         "read_bytes": "pipeline", "Fetcher": "fetch"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"survindex.ingest.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'survindex.ingest' has no attribute {name!r}")
