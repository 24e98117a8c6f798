"""Editors add a document by pasting its text: stored, claims extracted as unreviewed, ready for review."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from survindex.model import Document
from survindex.web.auth import Actor, require, require_page
from survindex.web.errors import WebError
from survindex.web.render import json_response, page, safe_url, twin
from survindex.web.state import app_state

router = APIRouter()
MAX_TEXT = 500_000  # characters; the request body limit (1 MB) applies before this


@twin(router, "/ingest")
def ingest_form(request: Request) -> Response:
    """The form to add a document by pasting its text (editors)."""
    require_page(request, "editor")
    return page(request, "ingest.html", {"title": "Add a document", "max_text": MAX_TEXT})


@router.post("/ingest", include_in_schema=False)
def ingest(request: Request, actor: Annotated[Actor, Depends(require("editor"))]) -> Response:
    """Store pasted text as a document and extract its claims (all unreviewed)."""
    from survindex.extract import extract

    assert actor.user is not None
    text = str(actor.data.get("text") or "").strip()
    if not text:
        raise WebError(400, "the document text is empty", [{"param": "text", "msg": "required"}])
    if len(text) > MAX_TEXT:
        raise WebError(413, f"the text is longer than {MAX_TEXT} characters")
    title = str(actor.data.get("title") or "").strip()[:500] or None
    url = safe_url(str(actor.data.get("url") or "")[:2000])
    doc = Document.from_text(text, title=title, url=url, source=f"web:{actor.user.username}")
    claims = extract(doc.id, doc.text, doc.title)
    st = app_state(request)
    with st.store.transaction() as conn:
        new = st.store.put_document(doc, conn=conn)
        added = st.store.put_claims(claims, conn=conn)
        st.store.audit(actor.user.username, "ingest", doc.id, None, {"claims": len(claims), "new": added},
                       conn=conn)
    st.store.refresh_cases()
    st.cache.invalidate()
    if "application/json" in request.headers.get("accept", ""):
        return json_response({"ok": True, "id": doc.id, "new": new, "claims": len(claims), "claims_new": added})
    return RedirectResponse(f"/document/{doc.id}", status_code=303)
