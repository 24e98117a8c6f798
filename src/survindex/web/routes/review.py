"""The review workflow: queue ordered by confidence, accept / reject (with reason) / correct."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from survindex.model import STAGES, TECHNOLOGY_KEYS
from survindex.store import Store
from survindex.web import views
from survindex.web.auth import Actor, require, require_page
from survindex.web.errors import WebError
from survindex.web.params import FiltersDep, PageDep
from survindex.web.render import json_response, page, twin
from survindex.web.state import app_state

router = APIRouter()
CORRECTABLE = ("country", "supplier", "technology", "stage", "year")
_ISO3 = re.compile(r"^[A-Z]{3}$")


@twin(router, "/review")
def queue(request: Request, f: FiltersDep, p: PageDep) -> Response:
    """The review queue (editors): unreviewed claims, most confident first."""
    require_page(request, "editor")
    return page(request, "review.html", views.review_queue(app_state(request).store, f, p))


def _correction(data: dict[str, Any]) -> dict[str, Any]:
    """The corrected fields, validated; empty form fields mean "leave as is"."""
    changes: dict[str, Any] = {}
    errors: list[dict[str, str]] = []
    for key in CORRECTABLE:
        raw = data.get(key)
        if raw in (None, ""):
            continue
        value = str(raw).strip()
        if key == "country" and not _ISO3.match(value.upper()):
            errors.append({"param": key, "msg": "expected an ISO 3166 alpha-3 code"})
        elif key == "technology" and value not in TECHNOLOGY_KEYS:
            errors.append({"param": key, "msg": "unknown technology"})
        elif key == "stage" and value not in STAGES:
            errors.append({"param": key, "msg": "unknown stage"})
        elif key == "year" and not (value.isdigit() and 1900 <= int(value) <= 2100):
            errors.append({"param": key, "msg": "expected a year between 1900 and 2100"})
        elif key == "supplier" and len(value) > 200:
            errors.append({"param": key, "msg": "at most 200 characters"})
        changes[key] = int(value) if key == "year" and value.isdigit() else (
            value.upper() if key == "country" else value)
    if errors:
        raise WebError(400, "invalid correction", errors)
    if not changes:
        raise WebError(400, "a correction needs at least one of " + ", ".join(CORRECTABLE))
    if "supplier" in changes:
        changes.update(_registry_supplier(changes["supplier"]))
    return changes


def _registry_supplier(name: str) -> dict[str, Any]:
    """A corrected supplier takes its registry name and headquarters when the registry knows it."""
    from survindex.reference import resolve_company

    company = resolve_company(name)
    if company is None:
        return {"supplier": name, "supplier_country": None, "supplier_resolved": False}
    return {"supplier": company.canonical, "supplier_country": company.hq_country, "supplier_resolved": True}


def apply_review(store: Store, claim_id: str, data: dict[str, Any], actor: str) -> int:
    """Accept, reject or correct a claim at the version the editor saw; returns the new version."""
    action = data.get("action")
    version = data.get("version")
    if not isinstance(version, int) and not (isinstance(version, str) and version.isdigit()):
        raise WebError(400, "the claim version you reviewed is missing", [{"param": "version", "msg": "required"}])
    reason = data.get("reason")
    reason = str(reason).strip()[:2000] if reason not in (None, "") else None
    if action == "accept":
        changes: dict[str, Any] = {"status": "accepted"}
    elif action == "reject":
        if not reason:
            raise WebError(400, "a rejection needs a reason", [{"param": "reason", "msg": "required"}])
        changes = {"status": "rejected"}
    elif action == "correct":
        changes = {**_correction(data), "status": "accepted"}
    else:
        raise WebError(400, "action must be accept, reject or correct", [{"param": "action", "msg": "invalid"}])
    return store.update_claim(claim_id, changes, actor=actor, expected_version=int(version), action=str(action),
                              reason=reason)


def review_as(request: Request, claim_id: str, actor: Actor) -> int:
    """``apply_review`` by a signed-in editor, then drop the cached index whether or not it succeeded."""
    st = app_state(request)
    assert actor.user is not None
    try:
        return apply_review(st.store, claim_id, actor.data, actor.user.username)
    finally:
        st.store.refresh_cases()
        st.cache.invalidate()


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
