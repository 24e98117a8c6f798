"""PDF with pypdf: the text of every page, title and creation date from the document info."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from typing import Any

from survindex.ingest.base import Parsed, clean_date, clean_str
from survindex.ingest.errors import IngestError

logging.getLogger("pypdf").setLevel(logging.CRITICAL)
MAX_PAGES = 5000


def _info(reader: Any) -> dict[str, Any]:
    try:
        info = reader.metadata or {}
        return {"title": clean_str(info.get("/Title"), 500), "date": _pdf_date(info.get("/CreationDate")),
                "author": clean_str(info.get("/Author"), 300)}
    except Exception:  # noqa: BLE001 - a broken info dictionary loses metadata, not the text
        return {}


def _pdf_date(value: Any) -> str | None:
    s = str(value or "")
    s = s[2:] if s.startswith("D:") else s
    if len(s) >= 8 and s[:8].isdigit():
        return clean_date(f"{s[:4]}-{s[4:6]}-{s[6:8]}")
    return clean_date(s[:4]) if s[:4].isdigit() else None


def _pages(reader: Any, source: str) -> list[str]:
    texts: list[str] = []
    for i, page in enumerate(reader.pages):
        if i >= MAX_PAGES:
            break
        try:
            texts.append(page.extract_text() or "")
        except Exception:  # noqa: BLE001 - one broken page must not lose the others
            texts.append("")
    return texts


def read_pdf(data: bytes, source: str) -> Iterator[Parsed]:
    """A PDF file; a broken or encrypted one raises IngestError."""
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError(source, "the PDF is encrypted")
        pages = _pages(reader, source)
    except IngestError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types on broken files
        raise IngestError(source, f"not a readable PDF ({type(exc).__name__}: {str(exc)[:200]})") from None
    info = _info(reader)
    meta: dict[str, Any] = {"pages": len(pages)}
    if info.get("author"):
        meta["author"] = info["author"]
    yield Parsed(text="\n\n".join(pages), mime="application/pdf", title=info.get("title"),
                 published=info.get("date"), meta=meta)
