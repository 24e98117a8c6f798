"""Cases in the web app: the case review queue (editors), accept / reject / correct a case or some of its claims,
split a claim out, merge two cases, bulk accept, undo; case pages (old ids redirect); ``/api/cases``.

Every write answers JSON when asked (``.json`` path or ``Accept: application/json``: what the queue's script uses
to keep its place) and otherwise redirects back to the page it came from (``next``), so plain forms work too."""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from starlette.responses import RedirectResponse, Response

from survindex import review
from survindex.store import case_reads as cr
from survindex.store import cases as sc
from survindex.web import case_views as cv
from survindex.web.auth import Actor, require, require_page
from survindex.web.case_params import ApiCaseQuery, CaseQuery, PublicQuery, QueueQuery
from survindex.web.errors import WebError
from survindex.web.render import json_response, render_html, twin
from survindex.web.state import app_state

router = APIRouter()
CaseId = Annotated[str, Path(max_length=80)]
Editor = Annotated[Actor, Depends(require("editor"))]


def _json_wanted(request: Request) -> bool:
    return request.url.path.endswith(".json") or "application/json" in request.headers.get("accept", "")


def _page(request: Request, template: str, data: dict[str, Any]) -> Response:
    if request.url.path.endswith(".json"):
        return json_response({"ok": True, **cv.without_markup(data)})
    return render_html(request, template, data)


@twin(router, "/review")
def queue(request: Request, q: QueueQuery) -> Response:
    """The review queue (editors): cases with unreviewed claims, most corroborated and most confident first."""
    require_page(request, "editor")
    data = cv.review_queue(app_state(request).store, q)
    data["undo"] = request.session.get("undo")
    return _page(request, "review_cases.html", data)


@twin(router, "/cases")
def cases(request: Request, q: PublicQuery) -> Response:
    """Cases (deployment records) with filters, most corroborated first; keyset pages."""
    data = cv.case_index(app_state(request).store, q)
    return _page(request, "cases.html", data)


@twin(router, "/case/{case_id}")
def case(request: Request, case_id: CaseId) -> Response:
    """A case: timeline of stages, independent sources with their strongest quote, financing, claims, sources."""
    store = app_state(request).store
    live = cr.live_id(store, case_id)
    if live != case_id:
        suffix = ".json" if request.url.path.endswith(".json") else ""
        return RedirectResponse(f"/case/{live}{suffix}", status_code=301)
    return _page(request, "case.html", cv.case_page(store, case_id))


@router.get("/map/world.svg", include_in_schema=False)
def world_svg() -> Response:
    """The grey world map that case pages' locator maps are drawn over."""
    return Response(_world(), media_type="image/svg+xml", headers={"cache-control": "public, max-age=86400"})


@cache
def _world() -> str:
    from survindex.report.map import base_svg

    return base_svg("110m")


def _after_write(request: Request, actor: Actor, body: dict[str, Any], fallback: str) -> Response:
    app_state(request).cache.invalidate()
    if _json_wanted(request):
        return json_response({"ok": True, **body})
    if body.get("undo") is not None:
        request.session["undo"] = str(body["undo"])
    return RedirectResponse(_back(actor.data.get("next"), fallback), status_code=303)


def _back(value: object, fallback: str) -> str:
    if isinstance(value, str) and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return fallback


async def _listed(request: Request, actor: Actor, name: str) -> list[str] | None:
    """A list field: a JSON list, repeated form fields, or one comma-separated value; None when absent."""
    raw = actor.data.get(name)
    if isinstance(raw, list):
        return [str(v) for v in raw]
    if request.headers.get("content-type", "").startswith(("application/x-www-form-urlencoded", "multipart/")):
        values = [v for v in (await request.form()).getlist(name) if isinstance(v, str)]
        if values:
            return [p for v in values for p in v.replace(",", " ").split() if p]
    if isinstance(raw, str) and raw.strip():
        return raw.replace(",", " ").split()
    return None


def _username(actor: Actor) -> str:
    assert actor.user is not None
    return actor.user.username


def _review(request: Request, case_id: str, data: dict[str, Any], actor: Actor) -> dict[str, Any]:
    store = app_state(request).store
    try:
        done = review.review_case(store, case_id, data, _username(actor))
    except review.ReviewError as exc:
        raise WebError(400, str(exc), exc.errors) from exc
    finally:
        app_state(request).cache.invalidate()
    return {**done, "token": review.case_token(store, done["case"]), "undo_url": f"/review/undo/{done['undo']}"}


@router.post("/case/{case_id}/review", include_in_schema=False)
@router.post("/case/{case_id}/review.json", include_in_schema=False)
async def review_case(request: Request, case_id: CaseId, actor: Editor) -> Response:
    """Accept, reject (with a reason) or correct a case, or only the claims listed in ``claims`` (editor)."""
    data = {**actor.data, "claims": await _listed(request, actor, "claims")}
    body = _review(request, case_id, data, actor)
    return _after_write(request, actor, body, f"/case/{body['case']}")


@router.post("/review/accept", include_in_schema=False)
@router.post("/review/accept.json", include_in_schema=False)
async def bulk_accept(request: Request, actor: Editor) -> Response:
    """Accept the selected cases at once (``cases``: ``id~token`` each); one undo id per case (editor)."""
    picked = await _listed(request, actor, "cases") or []
    if not picked:
        raise WebError(400, "select at least one case", [{"param": "cases", "msg": "required"}])
    done = []
    for item in picked[:200]:
        case_id, _, token = item.partition("~")
        done.append(_review(request, case_id, {"action": "accept", "token": token}, actor))
    undo = [d["undo"] for d in done]
    body = {"cases": done, "undo": undo[0] if len(undo) == 1 else None, "undo_all": undo}
    if not _json_wanted(request):
        request.session["undo"] = ",".join(str(u) for u in undo)
    return _after_write(request, actor, body, "/review")


@router.post("/review/undo/{undo_id}", include_in_schema=False)
@router.post("/review/undo/{undo_id}.json", include_in_schema=False)
async def undo(request: Request, undo_id: int, actor: Editor) -> Response:
    """Take back a case review (and the further ones listed in ``more``) if nobody changed its claims since."""
    store = app_state(request).store
    ids = [undo_id, *[int(x) for x in (await _listed(request, actor, "more") or []) if x.isdigit()]]
    claims: dict[str, int] = {}
    try:
        for uid in ids:
            claims.update(review.undo(store, uid, _username(actor)))
    finally:
        app_state(request).cache.invalidate()
    cases = sorted(set(cr.cases_of_claims(store, sorted(claims)).values()))
    request.session.pop("undo", None)
    tokens = {c: review.case_token(store, c) for c in cases}
    return _after_write(request, actor, {"undone": ids, "claims": claims, "cases": tokens}, "/review")


@router.post("/case/{case_id}/split", include_in_schema=False)
@router.post("/case/{case_id}/split.json", include_in_schema=False)
async def split(request: Request, case_id: CaseId, actor: Editor) -> Response:
    """Move one claim (``claim``) out of the case into a case of its own; kept across re-runs (editor)."""
    store = app_state(request).store
    claim_id = str(actor.data.get("claim") or "")
    live = cr.live_id(store, case_id)
    if cr.cases_of_claims(store, [claim_id]).get(claim_id) != live:
        raise WebError(400, f"claim {claim_id!r} is not in case {case_id}", [{"param": "claim", "msg": "not in case"}])
    done = review.split(store, claim_id, _username(actor), _reason(actor))
    new = done["case"]
    body = {"case": live, "new_case": new, "claim": claim_id, "undo": done["undo"],
            "undo_url": f"/review/undo/{done['undo']}"}
    return _after_write(request, actor, body, f"/case/{new}")


@router.post("/case/{case_id}/merge", include_in_schema=False)
@router.post("/case/{case_id}/merge.json", include_in_schema=False)
async def merge(request: Request, case_id: CaseId, actor: Editor) -> Response:
    """Merge another case (``other``, same country) into this one; kept across re-runs (editor)."""
    other = str(actor.data.get("other") or "").strip()
    if not other:
        raise WebError(400, "name the case to merge in", [{"param": "other", "msg": "required"}])
    if other.startswith("/case/"):
        other = other.removeprefix("/case/")
    try:
        done = review.merge(app_state(request).store, case_id, other, _username(actor), _reason(actor))
    except ValueError as exc:
        raise WebError(400, str(exc), [{"param": "other", "msg": "different country"}]) from exc
    body = {"case": done["case"], "merged": other, "undo": done["undo"], "undo_url": f"/review/undo/{done['undo']}"}
    return _after_write(request, actor, body, f"/case/{done['case']}")


def _reason(actor: Actor) -> str | None:
    reason = actor.data.get("reason")
    return str(reason).strip()[:2000] if isinstance(reason, str) and reason.strip() else None


@router.get("/api/cases", summary="Cases (deployment records) matching the filters, keyset pages", tags=["api"])
def api_cases(request: Request, q: ApiCaseQuery) -> Response:
    store = app_state(request).store
    rows = sc.list_cases(store, q.filter, limit=q.limit + 1, after=q.after)
    nxt = str(request.url.include_query_params(after=CaseQuery.cursor(rows[q.limit - 1]))) \
        if len(rows) > q.limit else None
    return json_response({"ok": True, "total": sc.count_cases(store, q.filter), "limit": q.limit, "next": nxt,
                          "filters": q.params, "rows": [cv.case_summary(r) for r in rows[:q.limit]]})


@router.get("/api/cases/{case_id}", summary="One case with its timeline, sources, financing and claims",
            tags=["api"])
def api_case(request: Request, case_id: CaseId) -> Response:
    return json_response({"ok": True, **cv.without_markup(cv.case_page(app_state(request).store, case_id))})
