"""Review decisions, kept apart from the values an import or extraction writes.

A claim row holds the *effective* values: what the importer or extractor stated, with the reviewer's decision
applied on top (status, reason, corrected fields; each corrected field's stated value kept in ``original``). The
decision itself lives in ``reviews`` and is re-applied to every row written for that claim, so running an import or
``extract`` again can update what the source says but never undoes review work."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, select

from survindex.store import schema as s

# Fields a reviewer may correct (besides status); re-applied on every write of the claim.
CORRECTABLE = ("country", "supplier", "supplier_country", "supplier_resolved", "technology", "stage", "year",
               "deployer", "financier", "flow_type", "amount", "currency", "amount_usd")


def load(conn: Connection, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The decisions on these claims, by claim id."""
    ids = list(ids)
    out: dict[str, dict[str, Any]] = {}
    for i in range(0, len(ids), 500):
        for r in conn.execute(select(s.reviews).where(s.reviews.c.claim_id.in_(ids[i:i + 500]))):
            out[r.claim_id] = dict(r._mapping)
    return out


def apply(row: dict[str, Any], decision: Mapping[str, Any]) -> dict[str, Any]:
    """``row`` (a claims row as the source states it) with ``decision`` applied, in place."""
    from survindex.model import vocabulary

    original = dict(row.get("original") or {})
    for field, value in (decision.get("changes") or {}).items():
        if field not in CORRECTABLE:
            continue
        if row.get(field) != value and field not in original:
            original[field] = row.get(field)
        row[field] = value
    if "technology" in (decision.get("changes") or {}):
        row["aigs_category"] = vocabulary().aigs_for(row["technology"])
    row["original"] = original
    row["status"] = decision["status"]
    row["review_reason"] = decision.get("reason")
    return row


def merged(old: Mapping[str, Any] | None, status: str, changes: Mapping[str, Any], reason: str | None,
           actor: str, at: str) -> dict[str, Any]:
    """The decision after one more: its status and reason, and every correction so far."""
    corrections = dict((old or {}).get("changes") or {})
    corrections.update({k: v for k, v in changes.items() if k in CORRECTABLE})
    return {"status": status, "changes": corrections,
            "reason": reason if reason is not None else (old or {}).get("reason"), "actor": actor, "at": at,
            "decisions": int((old or {}).get("decisions") or 0) + 1}
