"""Reads behind the case pages and the case review queue: a case's claims with the facts of their documents, the
text of those documents, and the claims' spans for highlighting (``store.cases`` keeps cases current; this
module only reads)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from survindex.store import schema as s
from survindex.store.cases import resolve
from survindex.store.core import Store

CLAIM_COLS = ("id", "kind", "country", "supplier", "supplier_country", "technology", "financier", "flow_type",
              "amount", "currency", "amount_usd", "year", "stage", "status", "confidence", "quote", "doc_id",
              "start", "end", "version", "deployer", "review_reason", "case_id")
DOC_COLS = ("id", "title", "url", "published", "publisher", "source", "duplicate_of")


def case_claims(store: Store, case_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """The claims of each case (live ids), in document order, each with its document's title, URL, publisher
    and date under ``doc``."""
    if not case_ids:
        return {}
    cl, d = s.claims.c, s.documents.c
    q = (select(*(cl[k] for k in CLAIM_COLS), *(d[k].label("d__" + k) for k in DOC_COLS))
         .join(s.documents, d.id == cl.doc_id).where(cl.case_id.in_(case_ids))
         .order_by(cl.case_id, d.published, cl.doc_id, cl.start, cl.id))
    out: dict[str, list[dict[str, Any]]] = {cid: [] for cid in case_ids}
    with store.engine.connect() as conn:
        for r in conn.execute(q):
            m = dict(r._mapping)
            row = {k: m[k] for k in CLAIM_COLS}
            row["doc"] = {k: m["d__" + k] for k in DOC_COLS}
            out.setdefault(str(m["case_id"]), []).append(row)
    return out


def document_texts(store: Store, doc_ids: list[str], limit_chars: int = 200_000) -> dict[str, str]:
    """The text of each document (cut at ``limit_chars``: the queue shows source text beside each case)."""
    if not doc_ids:
        return {}
    with store.engine.connect() as conn:
        return {str(r[0]): str(r[1] or "")[:limit_chars]
                for r in conn.execute(select(s.documents.c.id, s.documents.c.text)
                                      .where(s.documents.c.id.in_(sorted(set(doc_ids)))))}


def live_id(store: Store, case_id: str) -> str:
    """The live id of a case id (old ids lead to the case their claims joined)."""
    with store.engine.connect() as conn:
        return resolve(conn, case_id)


def cases_of_claims(store: Store, claim_ids: list[str]) -> dict[str, str]:
    """The case of each claim (claims in no case are left out)."""
    if not claim_ids:
        return {}
    out: dict[str, str] = {}
    with store.engine.connect() as conn:
        for i in range(0, len(claim_ids), 500):
            for cid, case in conn.execute(select(s.claims.c.id, s.claims.c.case_id).where(
                    s.claims.c.id.in_(claim_ids[i:i + 500]), s.claims.c.case_id.is_not(None))):
                out[str(cid)] = str(case)
    return out


def claim_cases(store: Store) -> dict[str, str]:
    """Every grouped claim's case (what ``index.compute`` counts cases by)."""
    q = select(s.claims.c.id, s.claims.c.case_id).where(s.claims.c.case_id.is_not(None))
    with store.engine.connect() as conn:
        return {str(cid): str(case) for cid, case in conn.execute(q.execution_options(yield_per=10000))}
