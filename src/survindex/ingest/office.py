"""Word documents (DOCX) with python-docx: paragraphs and table cells, title and date from core properties."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from survindex.ingest.base import Parsed, clean_date, clean_str
from survindex.ingest.errors import IngestError

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_UNPACKED = 256 * 1024 * 1024  # a zip bomb is refused before python-docx unpacks it
MAX_RATIO = 200


def _check_zip(data: bytes, source: str) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        unpacked = sum(i.file_size for i in z.infolist())
    if unpacked > MAX_UNPACKED or unpacked > MAX_RATIO * max(len(data), 1) + 10_000_000:
        raise IngestError(source, f"the DOCX unpacks to {unpacked} bytes from {len(data)}: refused as a zip bomb")


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
