"""What an extraction run writes for one document: its claims, the fate of the claims an earlier version made of
it, and the record that this version has read it (so ``extract --db`` reads each document once per version).

A claim an earlier version made that this version no longer states is *superseded*: ``superseded_by`` names the
claim this version made of the same fact (same kind, country, technology, supplier, financier), or ``-`` when it
states the fact no more. A reviewer's decision moves to the successor, and a reviewed claim without one stays as
it is: review work is never dropped. Superseded claims keep their ids (links to them keep working) but count no
more."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, select, update

from survindex.model import Claim
from survindex.store import reviews
from survindex.store import schema as s
from survindex.store.core import Store, utcnow

NO_SUCCESSOR = "-"


def _fact(c: Any) -> tuple[Any, ...]:
    return (c.kind, c.country, c.technology, c.supplier, c.financier)


def record(store: Store, conn: Connection, doc_id: str, extractor: str, version: str,
           claims: Sequence[Claim]) -> int:
    """Store this version's claims of one document and supersede what it no longer states; returns how many
    claims were new."""
    new = store.put_claims(claims, conn=conn)
    ids = {c.id for c in claims}
    successor: dict[tuple[Any, ...], str] = {}
    for c in sorted(claims, key=lambda c: c.id):
        successor.setdefault(_fact(c), c.id)
    cl = s.claims.c
    stale = [r for r in conn.execute(select(cl.id, cl.kind, cl.country, cl.technology, cl.supplier, cl.financier)
                                     .where(cl.doc_id == doc_id, cl.extractor == extractor,
                                            cl.superseded_by.is_(None)))
             if r.id not in ids]
    store.mark_cases(conn, (r.country for r in stale))
    decisions = reviews.load(conn, [r.id for r in stale])
    inherited = reviews.load(conn, successor.values())
    for r in stale:
        heir = successor.get(_fact(r))
        if r.id in decisions:
            if heir is None:
                continue
            if heir not in inherited:
                _inherit(store, conn, r.id, heir, decisions[r.id])
                inherited[heir] = decisions[r.id]
        conn.execute(update(s.claims).where(cl.id == r.id).values(superseded_by=heir or NO_SUCCESSOR))
    store._upsert(conn, s.extractions, [{"doc_id": doc_id, "extractor": extractor, "version": version,
                                         "at": utcnow(), "claims": len(claims)}],
                  ["doc_id", "extractor"], ["version", "at", "claims"])
    return new


def _inherit(store: Store, conn: Connection, old_id: str, new_id: str, decision: dict[str, Any]) -> None:
    """The successor takes the reviewer's decision on the claim it replaces."""
    store._upsert(conn, s.reviews, [{**decision, "claim_id": new_id}], ["claim_id"],
                  ["status", "changes", "reason", "actor", "at", "decisions"])
    row = dict(conn.execute(select(s.claims).where(s.claims.c.id == new_id)).one()._mapping)
    values = reviews.apply(row, decision)
    conn.execute(update(s.claims).where(s.claims.c.id == new_id).values(
        **{k: values[k] for k in ("status", "review_reason", "original", "aigs_category", *(
            f for f in reviews.CORRECTABLE if f in (decision.get("changes") or {})))}))
    store.audit("extract", "inherit", new_id, {"from": old_id}, {"status": decision["status"]},
                "a newer extractor version restated the reviewed claim", conn=conn)

