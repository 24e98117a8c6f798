"""The JSON API under ``/api/`` (described at ``/api/openapi.json``): filtered lists with ``next`` links,
single records, statistics, search, CSV export and the review action for scripts (Bearer token)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool
from starlette.responses import Response, StreamingResponse

from survindex.store import csvlines
from survindex.store import search as ss
from survindex.web import views
from survindex.web.auth import Actor, require
from survindex.web.names import country_name
from survindex.web.params import Filters, FiltersDep, Page, PageDep
from survindex.web.render import json_response, public_data
from survindex.web.routes.review import review_as
from survindex.web.state import app_state

router = APIRouter(prefix="/api", tags=["api"])
CSV_COLUMNS = ("id", "kind", "country", "supplier", "supplier_country", "technology", "aigs_category", "financier",
               "amount_usd", "year", "stage", "status", "confidence", "quote", "doc_id", "version")
_REVIEW_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": {
    "type": "object", "required": ["action", "version"], "properties": {
        "action": {"type": "string", "enum": ["accept", "reject", "correct"]},
        "version": {"type": "integer"}, "reason": {"type": "string"},
        "country": {"type": "string"}, "supplier": {"type": "string"}, "technology": {"type": "string"},
        "stage": {"type": "string"}, "year": {"type": "integer"}}}}}}}
Id = Annotated[str, Path(max_length=80)]


def listing(request: Request, rows: list[dict[str, Any]], total: int, p: Page, **extra: Any) -> Response:
    """A page of rows with ``next``/``previous`` links."""
    nxt = str(request.url.include_query_params(offset=p.offset + p.limit)) if p.offset + len(rows) < total else None
    prev = str(request.url.include_query_params(offset=max(0, p.offset - p.limit))) if p.offset else None
    return json_response({"ok": True, "total": total, "limit": p.limit, "offset": p.offset, "next": nxt,
                          "previous": prev, "rows": rows, **extra})


@router.get("/claims", summary="Claims matching the filters")
def claims(request: Request, f: FiltersDep, p: PageDep) -> Response:
    store = app_state(request).store
    rows = [views.claim_summary(r) for r in ss.claim_rows(store, f.query, p.limit, p.offset)]
    return listing(request, rows, ss.count(store, f.query), p, filters=f.params)


_TEXT = tuple(c for c in CSV_COLUMNS if c not in ("id", "kind", "technology", "aigs_category", "stage", "status",
                                                  "amount_usd", "year", "confidence", "version"))


async def _csv_chunks(request: Request, f: Filters) -> AsyncIterator[str | bytes]:
    """The CSV a batch at a time (constant memory, linear time) with its lines written by the database
    (``store.csvlines``); stops reading, and lets go of its database connection, as soon as the client has gone."""
    yield ",".join(CSV_COLUMNS) + "\r\n"
    lines = csvlines.csv_lines(app_state(request).store, f.query, CSV_COLUMNS, _TEXT)  # text never a formula
    try:
        async for chunk in iterate_in_threadpool(lines):
            yield chunk
            if await request.is_disconnected():
                return
    finally:
        await run_in_threadpool(lines.close)


@router.get("/claims.csv", summary="Claims matching the filters, as CSV", response_class=StreamingResponse)
def claims_csv(request: Request, f: FiltersDep) -> Response:
    return StreamingResponse(_csv_chunks(request, f), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="claims.csv"'})


@router.get("/claims/{claim_id}", summary="One claim with its source and history")
def claim(request: Request, claim_id: Id) -> Response:
    return json_response({"ok": True, **views.claim(app_state(request).store, claim_id)})


@router.post("/claims/{claim_id}/review", summary="Accept, reject or correct a claim (editor)",
             openapi_extra=_REVIEW_BODY)
def review(request: Request, claim_id: Id, actor: Annotated[Actor, Depends(require("editor"))]) -> Response:
    version = review_as(request, claim_id, actor)
    return json_response({"ok": True, "id": claim_id, "version": version})


@router.get("/documents", summary="Documents")
def documents(request: Request, p: PageDep) -> Response:
    store = app_state(request).store
    return listing(request, ss.documents_page(store, p.limit, p.offset), ss.count_documents(store), p)


@router.get("/documents/{doc_id}", summary="One document with its claims")
def document(request: Request, doc_id: Id) -> Response:
    data = views.document(app_state(request).store, doc_id)
    return json_response({"ok": True, "document": data["document"], "claims": data["claims"]})


@router.get("/countries", summary="Countries with claims (all statuses and accepted)")
def countries(request: Request) -> Response:
    store = app_state(request).store
    everything = dict(ss.facet(store, ss.ClaimQuery(), "country", limit=400))
    accepted = dict(ss.facet(store, ss.ClaimQuery(views.ACCEPTED), "country", limit=400))
    rows = [{"iso3": c, "name": country_name(c), "claims": n, "accepted_deployments": accepted.get(c, 0),
             "url": f"/country/{c}"} for c, n in sorted(everything.items())]
    return json_response({"ok": True, "total": len(rows), "rows": rows})


@router.get("/countries/{iso3}", summary="One country's profile")
def country(request: Request, iso3: Annotated[str, Path(max_length=3)], p: PageDep) -> Response:
    st = app_state(request)
    data = views.country(st.store, st.cache, iso3, p)
    return json_response({"ok": True, **public_data(data)})


@router.get("/suppliers", summary="Suppliers with their reach")
def suppliers(request: Request, f: FiltersDep) -> Response:
    rows = ss.suppliers(app_state(request).store, f.query, limit=1000)
    return json_response({"ok": True, "total": len(rows), "rows": rows, "filters": f.params})


@router.get("/stats", summary="Headline figures and counts")
def stats(request: Request) -> Response:
    st = app_state(request)
    store = st.store
    return json_response({"ok": True, "figures": views.home(store, st.cache)["figures"],
                          "by_status": dict(ss.facet(store, ss.ClaimQuery(), "status"))})


@router.get("/search", summary="Full-text search over documents and claims, with filters")
def search(request: Request, f: FiltersDep, p: PageDep) -> Response:
    st = app_state(request)
    return json_response({"ok": True, **views.search(st.store, f, p, st.cache)})


@router.get("/corrections", summary="The public corrections log")
def corrections(request: Request, p: PageDep) -> Response:
    return json_response({"ok": True, **views.corrections(app_state(request).store, p)})
