"""The review workflow: queue ordered by confidence, accept / reject (with reason) / correct."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from survindex import review
from survindex.store import Store
from survindex.web import views
from survindex.web.auth import Actor, require, require_page
from survindex.web.errors import WebError
from survindex.web.params import FiltersDep, PageDep
from survindex.web.render import json_response, page, twin
from survindex.web.state import app_state

router = APIRouter()


@twin(router, "/review/claims")
def queue(request: Request, f: FiltersDep, p: PageDep) -> Response:
    """The claim review queue (editors): unreviewed claims one by one, most confident first."""
    require_page(request, "editor")
    after = request.query_params.get("after")
    state = app_state(request)
    return page(request, "review.html", views.review_queue(state.store, f, p, after, state.cache))


def apply_review(store: Store, claim_id: str, data: dict[str, Any], actor: str) -> int:
    """``review.review_claim``, its validation errors as 400s."""
    try:
        return review.review_claim(store, claim_id, data, actor)
    except review.ReviewError as exc:
        raise WebError(400, str(exc), exc.errors) from exc


def review_as(request: Request, claim_id: str, actor: Actor) -> int:
    """``apply_review`` by a signed-in editor, then drop the cached pages the claim is on (before and after the
    change: its country, supplier and technology, and the pages of everything) whether or not it succeeded."""
    st = app_state(request)
    assert actor.user is not None
    before = views.claim_tags(st.store, claim_id)
    try:
        return apply_review(st.store, claim_id, actor.data, actor.user.username)
    finally:
        st.cache.invalidate(before | views.claim_tags(st.store, claim_id) if before else None)


@router.post("/claim/{claim_id}/review", include_in_schema=False)
def review_form(request: Request, claim_id: str, actor: Annotated[Actor, Depends(require("editor"))]) -> Response:
    """Accept, reject (with a reason) or correct a claim at the version shown (editor)."""
    version = review_as(request, claim_id, actor)
    if request.url.path.endswith(".json") or "application/json" in request.headers.get("accept", ""):
        return json_response({"ok": True, "id": claim_id, "version": version})
    return RedirectResponse(_back(actor.data.get("next"), claim_id), status_code=303)


def _back(value: object, claim_id: str) -> str:
    if isinstance(value, str) and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return f"/claim/{claim_id}"
