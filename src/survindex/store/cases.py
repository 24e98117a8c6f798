"""Cases in the store: which countries need their cases rebuilt, the rebuild, reads and reviewers' grouping
decisions. The grouping itself is pure (``survindex.cases``); this module only reads its input and writes its
output.

Every write of a claim marks its country (``case_dirty``); ``refresh`` rebuilds the cases of the marked countries,
one transaction each, so a kill leaves a country either rebuilt or still marked. A case id that disappears (its
claims joined another case) is kept as an alias of the case that took most of them, so no id points to nothing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection, and_, bindparam, delete, exists, func, insert, or_, select, update

from survindex.cases import Case, Decision, Member, group_country, summarise
from survindex.store import schema as s
from survindex.store.core import CASE_KINDS, NotFound, Store, utcnow


def refresh(store: Store, everything: bool = False) -> int:
    """Rebuild the cases of the marked countries (of every country with ``everything``); returns how many."""
    with store.engine.connect() as c:
        if everything:
            countries = [r[0] or "" for r in c.execute(select(s.claims.c.country).distinct()
                                                       .where(s.claims.c.kind.in_(CASE_KINDS)))]
        else:
            countries = [r[0] for r in c.execute(select(s.case_dirty.c.country))]
    for country in sorted(set(countries)):
        with store.transaction() as conn:
            rebuild_country(conn, country or None)
            conn.execute(delete(s.case_dirty).where(s.case_dirty.c.country == (country or "")))
    return len(set(countries))


def pending(store: Store) -> int:
    """How many countries wait for their cases to be rebuilt."""
    with store.engine.connect() as c:
        return int(c.execute(select(func.count()).select_from(s.case_dirty)).scalar_one())


def _country_is(col: Any, country: str | None) -> Any:
    return col.is_(None) if country is None else col == country


def source_key(publisher: str | None, url: str | None, source: str | None, doc_id: str) -> str:
    """An independent source: its publisher, else its web domain, else the dataset or file it came from."""
    if publisher and publisher.strip():
        return " ".join(publisher.casefold().split())
    domain = web_domain(url)
    if domain:
        return domain
    return f"file:{source}" if source else doc_id


def web_domain(url: str | None) -> str | None:
    if not url or "://" not in url:
        return None
    host = (urlsplit(url).hostname or "").casefold()
    return host[4:] if host.startswith("www.") else host or None


def _members(conn: Connection, country: str | None, case: str | None = None) -> list[tuple[Member, str | None]]:
    """The claims grouping reads, of a country (or, with ``case``, of that case only), with their case ids."""
    cl, d = s.claims.c, s.documents.c
    q = (select(cl.id, cl.kind, cl.country, cl.technology, cl.supplier, cl.supplier_country, cl.deployer,
                cl.financier, cl.flow_type, cl.amount, cl.currency, cl.amount_usd, cl.year, cl.stage, cl.status,
                cl.confidence, cl.quote, cl.citations, cl.case_id, d.published, d.publisher, d.url, d.source,
                d.duplicate_of, d.id.label("doc"))
         .join(s.documents, d.id == cl.doc_id)
         .where(cl.case_id == case if case else _country_is(cl.country, country), cl.kind.in_(CASE_KINDS),
                cl.superseded_by.is_(None), cl.negated.is_(False)))
    rows = conn.execute(q).all()
    canon = {r.duplicate_of for r in rows if r.duplicate_of}
    originals = {r.id: source_key(r.publisher, r.url, r.source, r.id) for r in conn.execute(
        select(d.id, d.publisher, d.url, d.source).where(d.id.in_(canon)))} if canon else {}
    out = []
    for r in rows:
        src = originals.get(r.duplicate_of or "") or source_key(r.publisher, r.url, r.source, r.duplicate_of or r.doc)
        cited = tuple(sorted({dom for c in (r.citations or []) if (dom := web_domain(c.get("url")))} - {src}))
        out.append((Member(
            claim_id=r.id, kind=r.kind, country=r.country, technology=r.technology, supplier=r.supplier,
            supplier_country=r.supplier_country, deployer=r.deployer, financier=r.financier, flow_type=r.flow_type,
            amount=r.amount, currency=r.currency, amount_usd=r.amount_usd, year=r.year, stage=r.stage,
            status=r.status, confidence=r.confidence, quote=r.quote,
            date=r.published or (str(r.year) if r.year else None), source=src, cited=cited), r.case_id))
    return out


def _decisions(conn: Connection) -> list[Decision]:
    t = s.case_decisions.c
    return [Decision(r.kind, r.claim_a, r.claim_b)
            for r in conn.execute(select(t.kind, t.claim_a, t.claim_b).order_by(t.id))]


CASE_COLS = ("id", "country", "technology", "technologies", "supplier", "supplier_country", "deployer", "stage",
             "stages", "first_reported", "last_reported", "source_keys", "financing", "confidence", "status",
             "unreviewed", "quote_claim", "quote")
CHUNK = 500  # rows (or ids in an IN list) per statement: far below SQLite's and PostgreSQL's bound-parameter limits


def _case_row(case: Case, now: str) -> dict[str, Any]:
    d = case.to_dict()
    return {**{k: d[k] for k in CASE_COLS}, "grp": case.group, "sources": len(case.sources),
            "claims": len(case.claims), "updated_at": now}


def resummarise(conn: Connection, case_id: str) -> None:
    """Summarise one case again from its claims (after a change of review status, which never moves a claim
    between cases): its status, confidence, strongest quote and the rest, without regrouping its country."""
    row = conn.execute(select(s.cases.c.country, s.cases.c.grp).where(s.cases.c.id == case_id)).first()
    members = [m for m, _ in _members(conn, None, case_id)]
    if row is None or not members:
        return
    case = summarise(case_id, row.country, (row.grp,), members)
    conn.execute(update(s.cases).where(s.cases.c.id == case_id).values(_case_row(case, utcnow())))


def rebuild_country(conn: Connection, country: str | None) -> None:
    """Group the country's claims again; write only the cases that changed and move only the claims that did."""
    members = _members(conn, country)
    cases = group_country([m for m, _ in members], _decisions(conn))
    now = utcnow()
    before = {r.id: dict(r._mapping) for r in conn.execute(select(s.cases).where(
        _country_is(s.cases.c.country, country)))}
    rows = {case.id: _case_row(case, now) for case in cases}
    same = {cid for cid, row in rows.items() if cid in before and {**before[cid], "updated_at": now} == row}
    gone = sorted(set(before) - same)
    for i in range(0, len(gone), CHUNK):
        conn.execute(delete(s.cases).where(s.cases.c.id.in_(gone[i:i + CHUNK])))
    fresh = [row for cid, row in sorted(rows.items()) if cid not in same]
    for i in range(0, len(fresh), CHUNK):
        conn.execute(insert(s.cases), fresh[i:i + CHUNK])
    new_of = {cid: case.id for case in cases for cid in case.claims}
    moves = [{"cid": m.claim_id, "case": new_of[m.claim_id]} for m, old in members if old != new_of[m.claim_id]]
    for i in range(0, len(moves), 20 * CHUNK):
        conn.execute(update(s.claims).where(s.claims.c.id == bindparam("cid")).values(case_id=bindparam("case"))
                     .execution_options(synchronize_session=False), moves[i:i + 20 * CHUNK])
    _alias(conn, members, new_of)


def _alias(conn: Connection, members: list[tuple[Member, str | None]], new_of: dict[str, str]) -> None:
    """Old case ids that no longer exist point to the case that took most of their claims; live ids are no
    longer aliases."""
    live = set(new_of.values())
    went: dict[str, Counter[str]] = {}
    for m, old in members:
        if old and old not in live:
            went.setdefault(old, Counter())[new_of[m.claim_id]] += 1
    ids = sorted(live)
    for i in range(0, len(ids), CHUNK):
        conn.execute(delete(s.case_aliases).where(s.case_aliases.c.old_id.in_(ids[i:i + CHUNK])))
    for old, counts in sorted(went.items()):
        target = min(counts, key=lambda k: (-counts[k], k))
        conn.execute(delete(s.case_aliases).where(s.case_aliases.c.old_id == old))
        conn.execute(insert(s.case_aliases).values(old_id=old, new_id=target))
        conn.execute(update(s.case_aliases).where(s.case_aliases.c.new_id == old).values(new_id=target))


# -- reads ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CaseFilter:
    status: str | None = None  # accepted | rejected | unreviewed | None (all)
    country: str | None = None
    technology: str | None = None  # the case's main technology
    supplier: str | None = None
    supplier_country: str | None = None
    min_sources: int | None = None
    pending: bool = False  # only cases with claims nobody has reviewed
    financier: str | None = None  # only cases a financing claim of this lender joined


def _where(f: CaseFilter) -> list[Any]:
    c = s.cases.c
    conds: list[Any] = []
    for col in ("status", "country", "technology", "supplier", "supplier_country"):
        value = getattr(f, col)
        if value is not None:
            conds.append(c[col] == value)
    if f.min_sources is not None:
        conds.append(c.sources >= f.min_sources)
    if f.pending:
        conds.append(c.unreviewed > 0)
    if f.financier is not None:
        cl = s.claims.c
        conds.append(exists().where(cl.case_id == c.id, cl.kind == "financing", cl.financier == f.financier))
    return conds


def list_cases(store: Store, f: CaseFilter | None = None, limit: int | None = 50,
               after: tuple[int, float, str] | None = None) -> list[dict[str, Any]]:
    """Cases, most corroborated and most confident first; ``after`` is the (sources, confidence, id) of the last
    case of the previous page (keyset paging: any depth costs the same)."""
    c = s.cases.c
    q = select(s.cases).where(*_where(f or CaseFilter())).order_by(c.sources.desc(), c.confidence.desc(), c.id)
    if after is not None:
        n, conf, cid = after
        q = q.where(or_(c.sources < n, and_(c.sources == n, c.confidence < conf),
                        and_(c.sources == n, c.confidence == conf, c.id > cid)))
    if limit is not None:
        q = q.limit(limit)
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]


def iter_cases(store: Store, f: CaseFilter | None = None, batch: int = 2000,
               with_claims: bool = False) -> Iterator[dict[str, Any]]:
    """Every case matching ``f``, in id order, read a batch at a time; ``with_claims`` adds ``claim_ids``."""
    c = s.cases.c
    last = ""
    while True:
        with store.engine.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(
                select(s.cases).where(*_where(f or CaseFilter()), c.id > last).order_by(c.id).limit(batch))]
            if with_claims and rows:
                ids: dict[str, list[str]] = {r["id"]: [] for r in rows}
                for claim_id, case in conn.execute(select(s.claims.c.id, s.claims.c.case_id).where(
                        s.claims.c.case_id.in_(list(ids))).order_by(s.claims.c.id)):
                    ids[case].append(claim_id)
                for r in rows:
                    r["claim_ids"] = ids[r["id"]]
        yield from rows
        if len(rows) < batch:
            return
        last = rows[-1]["id"]


def count_cases(store: Store, f: CaseFilter | None = None) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(s.cases).where(*_where(f or CaseFilter())))
                   .scalar_one())


def resolve(conn: Connection, case_id: str) -> str:
    """The live id of a case id (an old id leads to the case its claims joined)."""
    target = conn.execute(select(s.case_aliases.c.new_id).where(s.case_aliases.c.old_id == case_id)).scalar()
    return str(target) if target else case_id


def get_case(store: Store, case_id: str) -> dict[str, Any]:
    """A case with the ids of its claims (in document order); follows aliases; raises NotFound."""
    with store.engine.connect() as conn:
        cid = resolve(conn, case_id)
        row = conn.execute(select(s.cases).where(s.cases.c.id == cid)).first()
        if row is None:
            raise NotFound(f"no case {case_id}")
        claims = [r[0] for r in conn.execute(select(s.claims.c.id).where(s.claims.c.case_id == cid)
                                             .order_by(s.claims.c.doc_id, s.claims.c.start, s.claims.c.id))]
    return {**dict(row._mapping), "claim_ids": claims, "requested_id": case_id}


# -- reviewers' grouping decisions ----------------------------------------------------------------------------------
def _some_claim(conn: Connection, case_id: str) -> tuple[str, str | None]:
    row = conn.execute(select(s.claims.c.id, s.claims.c.country).where(s.claims.c.case_id == resolve(conn, case_id))
                       .order_by(s.claims.c.id).limit(1)).first()
    if row is None:
        raise NotFound(f"no case {case_id}")
    return str(row[0]), row[1]


def _decide(conn: Connection, kind: str, claim_a: str, claim_b: str | None, actor: str,
            reason: str | None) -> int:
    res = conn.execute(insert(s.case_decisions).values(kind=kind, claim_a=claim_a, claim_b=claim_b, actor=actor,
                                                       at=utcnow(), reason=reason))
    return int(res.inserted_primary_key[0])  # type: ignore[index]


def merge_decision(store: Store, into: str, other: str, actor: str, reason: str | None = None) -> tuple[str, int]:
    """Merge case ``other`` into case ``into`` (same country); the decision is kept and survives every re-run.
    Returns the id of the merged case and the audit entry that ``withdraw`` (``review.undo``) takes back."""
    with store.transaction() as conn:
        a, country_a = _some_claim(conn, into)
        b, country_b = _some_claim(conn, other)
        if country_a != country_b:
            raise ValueError(f"cases of different countries ({country_a}, {country_b}) cannot be merged")
        decision = _decide(conn, "merge", a, b, actor, reason)
        undo = store.audit(actor, "merge", resolve(conn, into), {"case": other},
                           {"case": into, "decision": decision}, reason, conn=conn)
        rebuild_country(conn, country_a)
        return str(conn.execute(select(s.claims.c.case_id).where(s.claims.c.id == a)).scalar_one()), undo


def merge(store: Store, into: str, other: str, actor: str, reason: str | None = None) -> str:
    """``merge_decision``, returning only the merged case's id."""
    return merge_decision(store, into, other, actor, reason)[0]


def split_decision(store: Store, claim_id: str, actor: str, reason: str | None = None) -> tuple[str, int]:
    """Move one claim out of its case into a case of its own; returns the new case's id and the audit entry
    that ``withdraw`` (``review.undo``) takes back."""
    with store.transaction() as conn:
        row = conn.execute(select(s.claims.c.case_id, s.claims.c.country).where(s.claims.c.id == claim_id)).first()
        if row is None:
            raise NotFound(f"no claim {claim_id}")
        decision = _decide(conn, "split", claim_id, None, actor, reason)
        undo = store.audit(actor, "split", claim_id, {"case": row[0]}, {"decision": decision}, reason, conn=conn)
        rebuild_country(conn, row[1])
        return str(conn.execute(select(s.claims.c.case_id).where(s.claims.c.id == claim_id)).scalar_one()), undo


def split(store: Store, claim_id: str, actor: str, reason: str | None = None) -> str:
    """``split_decision``, returning only the new case's id."""
    return split_decision(store, claim_id, actor, reason)[0]


def withdraw(store: Store, undo_id: int, actor: str) -> dict[str, int]:
    """Take back a merge or split (its audit entry ``undo_id``): the decision is withdrawn, the country's cases
    are rebuilt without it and the audit log says who took it back. Returns the claims whose case changed, with
    their versions. NotFound when there is no such decision, or it was already taken back."""
    with store.transaction() as conn:
        entry = conn.execute(select(s.audit_log).where(s.audit_log.c.id == undo_id)).first()
        decision_id = (entry.after or {}).get("decision") if entry is not None else None
        row = conn.execute(select(s.case_decisions).where(s.case_decisions.c.id == decision_id)).first() \
            if entry is not None and entry.action in ("merge", "split") and decision_id else None
        if row is None:
            raise NotFound(f"no merge or split {undo_id} to undo (or it was already undone)")
        claims = [c for c in (row.claim_a, row.claim_b) if c]
        country = conn.execute(select(s.claims.c.country).where(s.claims.c.id == row.claim_a)).scalar()
        before = {r.id: r.case_id for r in conn.execute(select(s.claims.c.id, s.claims.c.case_id).where(
            _country_is(s.claims.c.country, country), s.claims.c.case_id.in_(
                select(s.claims.c.case_id).where(s.claims.c.id.in_(claims)).scalar_subquery())))}
        conn.execute(delete(s.case_decisions).where(s.case_decisions.c.id == row.id))
        rebuild_country(conn, country)
        after = {r.id: (r.case_id, r.version) for r in conn.execute(
            select(s.claims.c.id, s.claims.c.case_id, s.claims.c.version).where(s.claims.c.id.in_(sorted(before))))}
        moved = {cid: int(v) for cid, (case, v) in after.items() if case != before[cid]}
        store.audit(actor, "undo", entry.object_id,  # type: ignore[union-attr]
                    {"undone": undo_id, "decision": {"kind": row.kind, "claim_a": row.claim_a,
                                                     "claim_b": row.claim_b, "actor": row.actor, "at": row.at}},
                    {"moved": sorted(moved)}, None, conn=conn)
    return moved
