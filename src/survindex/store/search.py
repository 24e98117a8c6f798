"""Search and aggregate views for the web app: full-text search (SQLite FTS5 / PostgreSQL tsvector),
filtered claim lists, facet counts and the corrections log. Every query is parameterised SQLAlchemy Core."""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, overload

from sqlalchemy import Float, Integer, Select, String, and_, func, literal_column, or_, select, text

from survindex import policy
from survindex.store import schema as s
from survindex.store.core import ClaimFilter, Store
from survindex.store.keyset import after_key

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement

    from survindex.store.columns import ClaimColumns

REVIEW_ACTIONS = ("accept", "reject", "correct")
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class ClaimQuery:
    """A claim filter plus full-text words and an optional set of countries (e.g. BRI members)."""

    filter: ClaimFilter = field(default_factory=ClaimFilter)
    q: str | None = None
    countries: tuple[str, ...] | None = None
    exclude_countries: tuple[str, ...] | None = None


def fts_words(q: str | None) -> list[str]:
    """The words of a query, at most 12; punctuation and operators are dropped."""
    return _WORD.findall(q or "")[:12]


def fts_phrase(word: str) -> str:
    """``word`` as one FTS5 phrase (quoted: no operator or column filter)."""
    return '"' + word.replace('"', '""') + '"'


def _sqlite_match(q: str) -> str:
    return " ".join(map(fts_phrase, fts_words(q)))


def _claims_text_cond(store: Store, q: str) -> Any:
    words = fts_words(q)
    if not words:
        return literal_column("1") == 1
    if store.dialect == "sqlite":
        sub = text("SELECT rowid FROM claims_fts WHERE claims_fts MATCH :m").bindparams(m=_sqlite_match(q))
        return literal_column("claims.rowid").in_(sub)
    if store.dialect == "postgresql":
        return text("claims.fts @@ plainto_tsquery('english', :pq)").bindparams(pq=" ".join(words))
    return or_(*[s.claims.c.quote.contains(w) for w in words])


def conditions(store: Store, query: ClaimQuery) -> list[Any]:
    """The WHERE of a claim query, with the public policy's statuses (``survindex.policy``) for anonymous web
    visitors: every claim list, count, facet and CSV of the web app goes through here."""
    conds: list[Any] = store._where(query.filter)
    shown = policy.current().statuses
    if shown is not None:
        conds.append(s.claims.c.status.in_(shown))
    if query.countries is not None:
        conds.append(s.claims.c.country.in_(query.countries))
    if query.exclude_countries is not None:
        conds.append(or_(s.claims.c.country.is_(None), s.claims.c.country.not_in(query.exclude_countries)))
    if query.q:
        conds.append(_claims_text_cond(store, query.q))
    return conds


_ORDERS = {
    "id": lambda c: [c.id],
    "confidence": lambda c: [c.confidence.desc(), c.id],
    "review": lambda c: [(c.status == "unreviewed").desc(), c.confidence.desc(), c.id.desc()],
    "year": lambda c: [c.year.desc(), c.id],
}


def claim_rows(store: Store, query: ClaimQuery, limit: int = 50, offset: int = 0, order: str = "id",
               columns: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    """Claims as dicts (with version and review_reason) matching the query: every column, or ``columns``."""
    if order == "review":
        return review_rows(store, query, limit, offset, columns)
    q: Select[Any] = _select(columns).where(*conditions(store, query)).order_by(*_ORDERS[order](s.claims.c))
    with store.read() as c:
        return [dict(r._mapping) for r in c.execute(q.limit(limit).offset(offset))]


def _select(columns: tuple[str, ...] | None) -> Select[Any]:
    return select(s.claims) if columns is None else select(*(s.claims.c[n] for n in columns))


def _by_confidence(store: Store, conds: list[Any], limit: int, offset: int = 0,
                   columns: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    c = s.claims.c
    q = _select(columns).where(*conds).order_by(c.confidence.desc(), c.id.desc()).limit(limit).offset(offset)
    with store.read() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]


def review_rows(store: Store, query: ClaimQuery, limit: int = 50, offset: int = 0,
                columns: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    """Claims in review order (unreviewed first, then most confident first, then newest id), read in two parts,
    each in the order of the (key, status, confidence, id) indexes: no sort of all the matching claims."""
    conds = conditions(store, query)
    shown = policy.current().statuses
    if isinstance(query.filter.status, str) or (shown is not None and "unreviewed" not in shown):
        return _by_confidence(store, conds, limit, offset, columns)  # one status, or none unreviewed to put first
    unreviewed = s.claims.c.status == "unreviewed"
    first = _by_confidence(store, [*conds, unreviewed], limit, offset, columns)
    if len(first) == limit:
        return first
    if first:
        skip = 0
    else:
        with store.read() as conn:
            n = conn.execute(select(func.count()).select_from(s.claims).where(*conds, unreviewed)).scalar_one()
        skip = max(0, offset - int(n))
    return first + _by_confidence(store, [*conds, ~unreviewed], limit - len(first), skip, columns)


def review_cursor(key: tuple[str, float, str]) -> str:
    """The cursor of a claim in review order: its (status, confidence, id), as a URL-safe token."""
    status, confidence, claim_id = key
    return f"{status}~{float(confidence)!r}~{claim_id}"


def parse_review_cursor(token: str | None) -> tuple[str, float, str] | None:
    """The (status, confidence, id) of a cursor; None for none or a malformed one (the first page)."""
    parts = (token or "").split("~")
    if len(parts) != 3:
        return None
    try:
        return parts[0], float(parts[1]), parts[2]
    except ValueError:
        return None


def review_page(store: Store, query: ClaimQuery, limit: int = 50,
                after: str | None = None) -> tuple[list[dict[str, Any]], str | None]:
    """One page of claims in review order (as ``review_rows``) starting after the cursor ``after`` (keyset: every
    page costs the same at any depth, on the (status, ..., confidence, id) indexes); returns the rows and the
    cursor of the next page (None on the last)."""
    c = s.claims.c
    conds = conditions(store, query)
    keys: list[tuple[Any, bool]] = [(c.confidence, True), (c.id, True)]
    last = parse_review_cursor(after)
    parts = [conds] if isinstance(query.filter.status, str) else [
        [*conds, c.status == "unreviewed"], [*conds, c.status != "unreviewed"]]
    if last is not None and len(parts) == 2 and last[0] != "unreviewed":
        parts = parts[1:]
    rows: list[dict[str, Any]] = []
    for i, part in enumerate(parts):
        where = [*part, after_key(keys, last[1:])] if last is not None and i == 0 else part
        rows += _by_confidence(store, where, limit + 1 - len(rows))
        if len(rows) > limit:
            break
    more = len(rows) > limit
    rows = rows[:limit]
    nxt = review_cursor((rows[-1]["status"], rows[-1]["confidence"], rows[-1]["id"])) if more else None
    return rows, nxt


def count(store: Store, query: ClaimQuery) -> int:
    q = select(func.count()).select_from(s.claims).where(*conditions(store, query))
    with store.read() as c:
        return int(c.execute(q).scalar_one())


def facet(store: Store, query: ClaimQuery, column: str, limit: int = 50) -> list[tuple[Any, int]]:
    """(value, number of claims) for one column, most frequent first."""
    col = s.claims.c[column]
    n = func.count().label("n")
    q = (select(col, n).where(*conditions(store, query), col.is_not(None)).group_by(col)
         .order_by(n.desc(), col).limit(limit))
    with store.read() as c:
        return [(r[0], int(r[1])) for r in c.execute(q)]


def facets(store: Store, query: ClaimQuery, columns: tuple[str, ...], limit: int = 30,
           cap: int = 200_000) -> dict[str, list[tuple[Any, int]]]:
    """Several facets from one scan: (value, number of claims) per column, most frequent first."""
    return summary(store, query, columns, limit, cap).facets


@dataclass(frozen=True)
class Summary:
    """A query's number of claims, facets and first claims in review order (``claim_rows(order="review")``)."""

    total: int
    facets: dict[str, list[tuple[Any, int]]]
    head: Sequence[dict[str, Any]]


def summary(store: Store, query: ClaimQuery, columns: tuple[str, ...], limit: int = 30, cap: int = 200_000,
            head: int = 0, memory: ClaimColumns | None = None, version: tuple[int, int] | None = None,
            head_columns: tuple[str, ...] | None = None) -> Summary:
    """The count, ``facets`` and the first ``head`` claims (every column, or ``head_columns``) of a query: from the
    claims' columns in ``memory`` at
    ``version`` (default: the current data version) when given, else from one scan of its claims (a full-text
    query is matched once, not three times; more queries only when more than ``cap`` claims match)."""
    if memory is not None:
        found = memory.summary(version or data_version(store), query, policy.current().statuses, columns, limit,
                               head)
        if found is not None:
            return Summary(found.total, found.facets, Head(store, found.head, head_columns))
    c = s.claims.c
    q = select(c.status, c.confidence, c.id, *(c[n] for n in columns)).where(*conditions(store, query)).limit(cap)
    counters: list[Counter[Any]] = [Counter() for _ in columns]
    keys: list[tuple[bool, float, str]] = []
    with store.read() as conn:
        for status, confidence, claim_id, *values in conn.execute(q):
            keys.append((status == "unreviewed", -math.inf if confidence is None else confidence, claim_id))
            for counter, value in zip(counters, values):
                if value is not None:
                    counter[value] += 1
    capped = len(keys) >= cap
    facets = {name: sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))[:limit]
              for name, counter in zip(columns, counters)}
    if capped:
        return Summary(count(store, query), facets,
                       claim_rows(store, query, head, order="review", columns=head_columns) if head else [])
    return Summary(len(keys), facets, _rows_by_id(store, [k[2] for k in heapq.nlargest(head, keys)], head_columns))


READ_AHEAD = 50  # a default page (``web.params``' limit)


class Head(Sequence[dict[str, Any]]):
    """The first claims of a query by key (SQLite rowid, PostgreSQL id), read when a page first shows them: a
    search keeps the keys of its first ``HEAD`` claims, a page reads the claims it lists, at least ``READ_AHEAD``
    from its first (200 claims with their quotes: 2-3 ms at 1M claims on SQLite, 14 ms on PostgreSQL; under 50
    clients asking pages of 10-59 claims, reading each page's missing claims was a tenth of a search's CPU)."""

    def __init__(self, store: Store, keys: list[Any], columns: tuple[str, ...] | None) -> None:
        self.store, self.keys, self.columns = store, keys, columns
        self.rows: dict[Any, dict[str, Any]] = {}  # only added to: threads may share it

    def __len__(self) -> int:
        return len(self.keys)

    @overload
    def __getitem__(self, i: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, i: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, i: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(i, int):
            return self[i:i + 1 or None][0]  # IndexError past the end, as a list
        keys = self.keys[i]
        if any(k not in self.rows for k in keys):  # and the next ones: the following pages, or a larger one
            start = range(len(self.keys))[i].start
            ahead = self.keys[start:max(start + len(keys), start + READ_AHEAD)]
            self.rows.update(_by_key(self.store, [k for k in ahead if k not in self.rows], self.columns))
        return [self.rows[k] for k in keys if k in self.rows]  # a claim deleted since is left out


def _by_key(store: Store, keys: list[Any], columns: tuple[str, ...] | None = None) -> dict[Any, dict[str, Any]]:
    """The claims of these keys (SQLite rowids, PostgreSQL ids; every column, or ``columns``) by key."""
    if not keys:
        return {}
    sqlite = store.dialect == "sqlite"
    key: ColumnElement[Any] = literal_column("claims.rowid") if sqlite else s.claims.c.id
    with store.read() as conn:
        if columns is not None and all(isinstance(s.claims.c[n].type, (String, Integer, Float)) for n in columns):
            # plain values: read by the driver itself (a search's first 200 claims: 3 ms instead of 8 on SQLite;
            # on PostgreSQL one array parameter, not one per key)
            where = f"rowid IN ({', '.join('?' * len(keys))})" if sqlite else "id = ANY(%s)"
            sql = f"SELECT {key.name}, {', '.join(columns)} FROM claims WHERE {where}"
            driver: Any = conn.connection.driver_connection
            rows = driver.execute(sql, keys if sqlite else (keys,)).fetchall()
            return {r[0]: dict(zip(columns, r[1:])) for r in rows}
        by_key = {r._key: dict(r._mapping) for r in conn.execute(_select(columns).add_columns(key.label("_key"))
                                                                 .where(key.in_(keys)))}
    for row in by_key.values():
        del row["_key"]
    return by_key


def _rows_by_id(store: Store, ids: list[str], columns: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    """The claims of ``ids`` (every column, or ``columns``, which include ``id``), in that order."""
    if not ids:
        return []
    with store.read() as conn:
        by_id = {r.id: dict(r._mapping) for r in conn.execute(_select(columns).where(s.claims.c.id.in_(ids)))}
    return [by_id[i] for i in ids if i in by_id]


def distinct_count(store: Store, query: ClaimQuery, column: str) -> int:
    col = s.claims.c[column]
    q = select(func.count(func.distinct(col))).where(*conditions(store, query), col.is_not(None))
    with store.read() as c:
        return int(c.execute(q).scalar_one())


def suppliers(store: Store, query: ClaimQuery, limit: int = 500) -> list[dict[str, Any]]:
    """Suppliers with their headquarters country, number of countries and claims."""
    c = s.claims.c
    n = func.count().label("claims")
    q = (select(c.supplier, func.max(c.supplier_country).label("supplier_country"),
                func.count(func.distinct(c.country)).label("countries"), n)
         .where(*conditions(store, query), c.supplier.is_not(None)).group_by(c.supplier)
         .order_by(n.desc(), c.supplier).limit(limit))
    with store.read() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]


WALK_DOCUMENTS = 1000  # more documents match than this: find the newest by walking them in order, not sorting
WALK_CHUNK = 512  # documents read at a time from the published index while walking it


def search_documents(store: Store, q: str, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
    """Documents whose title or text match the words of ``q``, newest first, with a plain-text snippet (empty,
    and the text not read, when the current policy shows no full texts)."""
    words = fts_words(q)
    if not words:
        return []
    full = policy.current().full_texts
    names = ("id", "title", "url", "published", "publisher", *(("text",) if full else ()))
    with store.read() as c:
        if store.dialect == "sqlite":
            keys = _newest_documents(c, q, limit, offset)
            driver: Any = c.connection.driver_connection  # ten rows by rowid: SQLAlchemy's statement cost more
            found = {r[0]: dict(zip(names, r[1:])) for r in driver.execute(
                f"SELECT rowid, {', '.join(names)} FROM documents WHERE rowid IN ({', '.join('?' * len(keys))})",
                keys)}
            rows = [found[k] for k in keys if k in found]
        elif store.dialect == "postgresql":  # walks the published index (m0015); only the rows shown are read
            driver = c.connection.driver_connection
            rows = [dict(zip(names, r)) for r in driver.execute(
                f"SELECT {', '.join(names)} FROM documents WHERE fts @@ plainto_tsquery('english', %s) "
                "ORDER BY published DESC NULLS LAST, id LIMIT %s OFFSET %s", (" ".join(words), limit, offset))]
        else:
            d = s.documents.c
            order = (d.published.desc().nulls_last(), d.id)
            page = select(d.id).where(and_(*[d.text.contains(w) for w in words])).order_by(*order).limit(
                limit).offset(offset)  # sorted without the texts
            sel = select(*(d[n] for n in names)).where(d.id.in_(page)).order_by(*order)
            rows = [dict(r._mapping) for r in c.execute(sel)]
    for r in rows:
        r["snippet"] = snippet(r.pop("text") or "", words) if full else ""
    return rows


def _newest_documents(c: Any, q: str, limit: int, offset: int) -> list[int]:
    """The rowids of the ``limit`` newest documents matching ``q`` after the first ``offset`` (SQLite)."""
    import numpy as np  # here: `stats` reads data_version from this module and needs no numpy (0.1 s to import)

    from survindex.store.columns import fts_rowids

    driver: Any = c.connection.driver_connection
    found = fts_rowids(c, "documents", q)
    if len(found) <= WALK_DOCUMENTS:  # few: sorted by the database
        return [r[0] for r in driver.execute(
            f"SELECT rowid FROM documents WHERE rowid IN ({', '.join('?' * len(found))}) "
            "ORDER BY published DESC, id LIMIT ? OFFSET ?", [*found.tolist(), limit, offset])]
    # many: walk the documents newest first (the published index) against the matches, listed once (a word in
    # 25,000 documents: 0.5-2 ms; SQLite's own list of them 1-6 ms; sorting them 10-35 ms; asking the full-text
    # index about each document walked 0.1 ms a document)
    matches = np.zeros(int(found.max()) + 1, dtype=bool)
    matches[found] = True
    hits: list[int] = []
    walk = driver.execute("SELECT rowid FROM documents INDEXED BY ix_documents_published ORDER BY published DESC, id")
    while len(hits) < offset + limit and (chunk := walk.fetchmany(WALK_CHUNK)):
        keys = np.fromiter((r[0] for r in chunk), dtype=np.int64, count=len(chunk))
        keys = keys[keys < len(matches)]
        hits += keys[matches[keys]].tolist()
    walk.close()
    return hits[offset:offset + limit]


def snippet(body: str, words: list[str], width: int = 240) -> str:
    """Plain text around the first matching word (the caller escapes it)."""
    low = body.casefold()
    hits = [i for i in (low.find(w.casefold()) for w in words) if i >= 0]
    start = max(0, min(hits) - width // 3) if hits else 0
    piece = body[start:start + width].replace("\n", " ")
    return ("…" if start else "") + piece + ("…" if start + width < len(body) else "")


def corrections(store: Store, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    """Review actions on claims, newest first (the public corrections log)."""
    a = s.audit_log.c
    q = (select(s.audit_log).where(a.action.in_(REVIEW_ACTIONS)).order_by(a.id.desc()).limit(limit)
         .offset(offset))
    with store.read() as c:
        return [dict(r._mapping) for r in c.execute(q)]


def countries_with_claims(store: Store) -> list[str]:
    with store.read() as c:
        q = select(s.claims.c.country).where(s.claims.c.country.is_not(None)).distinct()
        return sorted(r[0] for r in c.execute(q))


def documents_page(store: Store, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    d = s.documents.c
    q = (select(d.id, d.title, d.url, d.published, d.publisher, d.source, d.language, d.ingested_at)
         .order_by(d.id).limit(limit).offset(offset))
    with store.read() as c:
        return [dict(r._mapping) for r in c.execute(q)]


def count_documents(store: Store) -> int:
    with store.read() as c:
        return int(c.execute(select(func.count()).select_from(s.documents)).scalar_one())


def data_version(store: Store) -> tuple[int, int]:
    """Changes whenever a review action or an import lands: (last audit id, SQLite's last claims rowid or, on
    PostgreSQL, the number of transactions that added or removed claims: migration ``m0014_claim_changes``)."""
    with store.read() as c:
        audit = c.execute(select(func.max(s.audit_log.c.id))).scalar_one() or 0
        if store.dialect == "sqlite":
            rows = c.execute(text("SELECT max(rowid) FROM claims")).scalar_one() or 0
        elif store.dialect == "postgresql":
            rows = c.execute(text("SELECT count(*) FROM claims_changes")).scalar_one()
        else:
            rows = c.execute(select(func.count()).select_from(s.claims)).scalar_one() or 0
    return int(audit), int(rows)
