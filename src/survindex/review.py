"""Reviewing claims and cases: accept, reject (with a reason), correct; a whole case at once; undo.

The library behind the web app's review queue (and any other client): it validates what an editor sent, applies it
through the store (optimistic concurrency, decisions kept apart from imported values, audit log) and returns what
the client needs to show the result or take it back."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from survindex.model import STAGES, TECHNOLOGY_KEYS, sha256_hex
from survindex.store import ConflictError, NotFound, Store
from survindex.store import cases as store_cases
from survindex.store import reviews
from survindex.store import schema as s

CORRECTABLE = ("country", "supplier", "technology", "stage", "year", "deployer")
_ISO3 = re.compile(r"^[A-Z]{3}$")


class ReviewError(ValueError):
    """What an editor sent cannot be applied; ``errors`` lists each bad parameter."""

    def __init__(self, message: str, errors: list[dict[str, str]] | None = None):
        super().__init__(message)
        self.errors = errors or []


def correction(data: dict[str, Any]) -> dict[str, Any]:
    """The corrected fields, validated; empty form fields mean "leave as is". A corrected supplier takes its
    registry name and headquarters (or no headquarters, when the registry does not know it)."""
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
        elif key in ("supplier", "deployer") and len(value) > 200:
            errors.append({"param": key, "msg": "at most 200 characters"})
        changes[key] = int(value) if key == "year" and value.isdigit() else (
            value.upper() if key == "country" else value)
    if errors:
        raise ReviewError("invalid correction", errors)
    if not changes:
        raise ReviewError("a correction needs at least one of " + ", ".join(CORRECTABLE))
    if "supplier" in changes:
        changes.update(registry_supplier(changes["supplier"]))
    return changes


def registry_supplier(name: str) -> dict[str, Any]:
    from survindex.reference import resolve_company

    company = resolve_company(name)
    if company is None:
        return {"supplier": name, "supplier_country": None, "supplier_resolved": False}
    return {"supplier": company.canonical, "supplier_country": company.hq_country, "supplier_resolved": True}


def _decision(data: dict[str, Any]) -> tuple[str, dict[str, Any], str | None]:
    """(action, changes, reason) of an accept / reject / correct request."""
    action = data.get("action")
    reason = data.get("reason")
    reason = str(reason).strip()[:2000] if reason not in (None, "") else None
    if action == "accept":
        return "accept", {"status": "accepted"}, reason
    if action == "reject":
        if not reason:
            raise ReviewError("a rejection needs a reason", [{"param": "reason", "msg": "required"}])
        return "reject", {"status": "rejected"}, reason
    if action == "correct":
        return "correct", {**correction(data), "status": "accepted"}, reason
    raise ReviewError("action must be accept, reject or correct", [{"param": "action", "msg": "invalid"}])


def review_claim(store: Store, claim_id: str, data: dict[str, Any], actor: str) -> int:
    """Accept, reject or correct one claim at the version the editor saw; returns the new version."""
    version = data.get("version")
    if not isinstance(version, int) and not (isinstance(version, str) and version.isdigit()):
        raise ReviewError("the claim version you reviewed is missing", [{"param": "version", "msg": "required"}])
    action, changes, reason = _decision(data)
    new = store.update_claim(claim_id, changes, actor=actor, expected_version=int(version), action=action,
                             reason=reason)
    store.refresh_cases()
    return new


def _case_rows(conn: Any, case_id: str) -> list[dict[str, Any]]:
    cl = s.claims.c
    cols = [cl.id, cl.version, cl.status, cl.review_reason, cl.original, cl.aigs_category,
            *(cl[k] for k in reviews.CORRECTABLE)]
    return [dict(r._mapping) for r in conn.execute(select(*cols).where(cl.case_id == case_id).order_by(cl.id))]


def token(rows: list[dict[str, Any]]) -> str:
    """The state of a case as a reviewer saw it: its claims and their versions."""
    return sha256_hex("|".join(f"{r['id']}:{r['version']}" for r in rows))[:16]


def case_token(store: Store, case_id: str) -> str:
    with store.engine.connect() as conn:
        return token(_case_rows(conn, store_cases.resolve(conn, case_id)))


def review_case(store: Store, case_id: str, data: dict[str, Any], actor: str) -> dict[str, Any]:
    """Accept, reject or correct every claim of a case in one transaction, as the editor saw the case (``token``
    from ``case_token``; ConflictError when a claim changed since). Accept and correct leave rejected claims
    alone; reject leaves nothing accepted. Returns {"case", "claims": {id: version}, "undo": id for ``undo``}."""
    action, changes, reason = _decision(data)
    only = data.get("claims")  # an optional subset of the case's claims (bulk accept of some)
    with store.transaction() as conn:
        cid = store_cases.resolve(conn, case_id)
        rows = _case_rows(conn, cid)
        if not rows:
            raise NotFound(f"no case {case_id}")
        if data.get("token") != token(rows):
            raise ConflictError(f"case {case_id} changed since you opened it (a claim was added or reviewed); "
                                "reload and review it again")
        targets = [r for r in rows if (only is None or r["id"] in only)
                   and (r["status"] != "rejected" or action == "reject")
                   and not (r["status"] == "accepted" and action == "accept")]
        before: dict[str, Any] = {}
        after: dict[str, int] = {}
        decisions = reviews.load(conn, [r["id"] for r in targets])
        for r in targets:
            keep = {k: r[k] for k in ("status", "review_reason", "original", "aigs_category", *changes)}
            before[r["id"]] = {"decision": decisions.get(r["id"]), "values": keep}
            after[r["id"]] = store.update_claim(r["id"], changes, actor, r["version"], action=action, reason=reason,
                                                conn=conn)
        undo_id = store.audit(actor, f"case-{action}", cid, before, after, reason, conn=conn)
    store.refresh_cases()
    return {"case": cid, "claims": after, "undo": undo_id}


def merge(store: Store, into: str, other: str, actor: str, reason: str | None = None) -> dict[str, Any]:
    """Merge case ``other`` into case ``into``; returns {"case": the merged case, "undo": id for ``undo``}."""
    case, undo_id = store_cases.merge_decision(store, into, other, actor, reason)
    return {"case": case, "undo": undo_id}


def split(store: Store, claim_id: str, actor: str, reason: str | None = None) -> dict[str, Any]:
    """Move a claim out of its case; returns {"case": its new case, "undo": id for ``undo``}."""
    case, undo_id = store_cases.split_decision(store, claim_id, actor, reason)
    return {"case": case, "undo": undo_id}


def undo(store: Store, undo_id: int, actor: str) -> dict[str, int]:
    """Take back a case review (``review_case``'s ``undo``): every claim returns to its decision and values of
    before, if nobody changed it since (else ConflictError, and nothing is undone). A merge or split (``merge``'s
    or ``split``'s ``undo``) is withdrawn and the country's cases rebuilt without it (``store.cases.withdraw``).
    Returns the claims undone (or moved back), with their versions."""
    with store.engine.connect() as conn:
        action = conn.execute(select(s.audit_log.c.action).where(s.audit_log.c.id == undo_id)).scalar()
    if action in ("merge", "split"):
        return store_cases.withdraw(store, undo_id, actor)
    with store.transaction() as conn:
        entry = conn.execute(select(s.audit_log).where(s.audit_log.c.id == undo_id)).first()
        if entry is None or not str(entry.action).startswith("case-"):
            raise NotFound(f"no case review, merge or split {undo_id} to undo")
        out = {}
        for claim_id, version in (entry.after or {}).items():
            prior = entry.before[claim_id]
            out[claim_id] = store.restore_review(claim_id, prior["decision"], prior["values"], int(version), actor,
                                                 conn)
        store.audit(actor, "undo", entry.object_id, {"undone": undo_id}, out, None, conn=conn)
    store.refresh_cases()
    return out
