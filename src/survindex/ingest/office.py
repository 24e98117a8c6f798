"""Word documents (DOCX) with python-docx: paragraphs and table cells, title and date from core properties."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from survindex.ingest.base import Parsed, clean_date, clean_str
from survindex.ingest.errors import IngestError
from survindex.ingest.limits import LimitExceeded, check_zip

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _check_zip(data: bytes, source: str) -> None:
    """A zip bomb is refused before python-docx unpacks it (limits: survindex.ingest.limits)."""
    try:
        check_zip(data, "the DOCX")
    except LimitExceeded as exc:
        raise IngestError(source, f"refused: {exc}") from None


def _table_lines(doc: Any) -> list[str]:
    lines: list[str] = []
    for table in doc.tables:
        for row in table.rows:
            cells = [" ".join(c.text.split()) for c in row.cells]
            lines.append(" | ".join(c for c in cells if c))
    return lines


def read_docx(data: bytes, source: str) -> Iterator[Parsed]:
    """A .docx file; a broken one raises IngestError."""
    try:
        import docx

        _check_zip(data, source)
        doc = docx.Document(io.BytesIO(data))
        lines = [p.text for p in doc.paragraphs] + _table_lines(doc)
        props = doc.core_properties
        title, created, author = props.title, props.created, props.author
    except IngestError:
        raise
    except Exception as exc:  # noqa: BLE001 - zip, XML and python-docx errors all mean "not readable"
        raise IngestError(source, f"not a readable DOCX ({type(exc).__name__}: {str(exc)[:200]})") from None
    meta = {"author": clean_str(author, 300)} if clean_str(author, 300) else {}
    yield Parsed(text="\n".join(lines), mime=DOCX_MIME, title=clean_str(title, 500),
                 published=clean_date(created), meta=meta)
