"""The index's input computed by the database: SQL ``GROUP BY`` over the counted claims, on indexed columns
(migration ``scale``), returned as ``survindex.index.aggregates.Aggregates`` rows. The index itself stays pure:
``index.compute_aggregates`` turns these rows into the same figures ``index.compute`` gives from every claim."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import date
from typing import Any

from sqlalchemy import Connection, Text, and_, cast, func, literal, or_, select, text

from survindex.index.acc import contractor
from survindex.index.aggregates import UNDATED, Aggregates
from survindex.index.targeted import ORIGINAL_FIELDS, Group, make_group
from survindex.model import STATUSES, vocabulary
from survindex.store import schema as s
from survindex.store.core import Store, _row_claim


_NOT_REJECTED = tuple(x for x in STATUSES if x != "rejected")


def counted(status: str = "accepted", min_confidence: float | None = None, as_of: date | None = None) -> list[Any]:
    """The claims the index counts, as SQL conditions (``index.select`` in SQL): accepted (``status="all"``: also
    unreviewed ones at or above ``min_confidence``), never rejected or negated, current, dated up to ``as_of``."""
    c = s.claims.c
    if status not in ("accepted", "all"):
        raise ValueError(f"status must be 'accepted' or 'all', not {status!r}")
    conds: list[Any] = [c.negated.is_(False), c.superseded_by.is_(None)]
    if status == "accepted":
        conds.append(c.status == "accepted")
    elif min_confidence is not None:  # statuses named, not "!= rejected": SQLite then reads them by index
        conds.append(or_(c.status == "accepted", and_(c.status.in_(_NOT_REJECTED), c.confidence >= min_confidence)))
    else:
        conds.append(c.status.in_(_NOT_REJECTED))
    if as_of is not None:
        conds.append(or_(c.year.is_(None), c.year <= as_of.year))
    return conds


def _rows(conn: Connection, q: Any) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in conn.execute(q)]


def _deployments(conn: Connection, dep: list[Any]) -> tuple[list[Any], list[Any], list[Any]]:
    """The countries, technologies and years rows from one read of the (country, technology, year) groups on the
    technology covering index (a GROUP BY year alone would read the table through the year index)."""
    c = s.claims.c
    earliest: dict[str, int] = {}
    first: dict[str, int] = {}
    techs: dict[tuple[str, str], int] = {}
    years: dict[int, int] = {}
    for country, tech, year, n in conn.execute(select(c.country, c.technology, c.year, func.count()).where(*dep)
                                               .group_by(c.country, c.technology, c.year)):
        early = UNDATED if year is None else year
        earliest[country] = min(earliest.get(country, early), early)
        if year is not None:
            first[country] = min(first.get(country, year), year)
            years[year] = years.get(year, 0) + n
        if tech is not None:
            techs[(country, tech)] = min(techs.get((country, tech), early), early)
    return ([(k, e, first.get(k)) for k, e in earliest.items()], [(k[0], k[1], e) for k, e in techs.items()],
            list(years.items()))


def _suppliers(conn: Connection, dep: list[Any], earliest: Any) -> list[tuple[Any, ...]]:
    """The supplier rows; a prime contractor's rows one per case, each with the earliest year a claim of its case
    names a maker (``until``)."""
    c = s.claims.c
    rows = [(*r, None) for r in conn.execute(
        select(c.country, c.supplier, c.supplier_country, c.supplier_resolved, earliest)
        .where(*dep, or_(c.supplier.is_not(None), c.supplier_country.is_not(None)))
        .group_by(c.country, c.supplier, c.supplier_country, c.supplier_resolved))]
    names = sorted({r[1] for r in rows if contractor(r[1])})
    if not names:
        return rows
    theirs = [*dep, c.supplier.in_(names)]
    makers: dict[str, int] = dict(conn.execute(
        select(c.case_id, earliest).where(*dep, c.case_id.in_(select(c.case_id).where(c.supplier.in_(names))),
                                          c.supplier.is_not(None), c.supplier != "", c.supplier.not_in(names))
        .group_by(c.case_id)).all())
    contracted = [(*r[:1], *r[2:], makers.get(r[1])) for r in conn.execute(
        select(c.country, c.case_id, c.supplier, c.supplier_country, c.supplier_resolved, earliest).where(*theirs)
        .group_by(c.country, c.case_id, c.supplier, c.supplier_country, c.supplier_resolved))]
    return [r for r in rows if r[1] not in names] + contracted


def _cases(conn: Connection, dep: list[Any], earliest: Any) -> list[tuple[Any, ...]]:
    """(earliest, first dated year, number) of the deployment cases; a claim in no case is a case of its own."""
    c = s.claims.c
    per_case = (select(earliest.label("e"), func.min(c.year).label("f")).where(*dep, c.case_id.is_not(None))
                .group_by(c.case_id).subquery())
    rows = _rows(conn, select(per_case.c.e, per_case.c.f, func.count()).group_by(per_case.c.e, per_case.c.f))
    return rows + _rows(conn, select(func.coalesce(c.year, UNDATED), c.year, func.count())
                        .where(*dep, c.case_id.is_(None)).group_by(c.year))


def _json(text: str | None) -> Any:
    return json.loads(text) if text else None


def _field(path: tuple[str, ...]) -> Any:
    """The JSON text of a field of ``original`` (``->`` on both databases; SQLite 3.38 or later)."""
    e: Any = s.claims.c.original
    for key in path:
        e = e.op("->")(literal(key))
    return cast(e, Text)


def _targeted(conn: Connection, where: list[Any]) -> list[Group]:
    """The targeted deployment claims grouped by what the targeted section reads (``index.targeted.Group``), the
    fields of ``original`` as JSON text, with the ids of each group's claims."""
    c = s.claims.c
    keys = [c.country, c.technology, c.supplier, c.supplier_country, *map(_field, ORIGINAL_FIELDS)]
    q = select(*keys, func.min(c.year), func.aggregate_strings(c.id, ",")).where(*where).group_by(*keys)
    return [make_group(country, tech, supplier, hq, _json(label), _json(vendor), _json(listed), _json(regime), year,
                       tuple(ids.split(",")))
            for country, tech, supplier, hq, label, vendor, listed, regime, year, ids in conn.execute(q)]


def index_aggregates(store: Store, status: str = "accepted", min_confidence: float | None = None,
                     as_of: date | None = None) -> Aggregates:
    """The counted claims grouped by what the index counts (see ``Aggregates``): a handful of GROUP BY queries,
    each returning at most (countries x keys) rows, run two at a time on their own connections (the database
    works on both cores; at 1M claims 2.0 -> 1.4 s) over one state of the data (``_together``)."""
    c = s.claims.c
    where = counted(status, min_confidence, as_of)
    v = vocabulary()
    targeted = sorted(k for k in v.technologies if v.targeted_for(k))
    mass = or_(c.technology.is_(None), c.technology.not_in(targeted))  # targeted surveillance: its own section
    dep = [*where, c.kind == "deployment", c.country.is_not(None), mass]
    earliest = func.min(func.coalesce(c.year, UNDATED))
    fin_year = func.coalesce(c.year, UNDATED)
    project = func.coalesce(c.case_id, c.doc_id)
    reads: dict[str, Callable[[Connection], Any]] = {  # the longest first
        "targeted": lambda conn: _targeted(conn, [*where, c.kind == "deployment", c.technology.in_(targeted)]),
        "suppliers": lambda conn: _suppliers(conn, dep, earliest),
        "deployments": lambda conn: _deployments(conn, dep),
        "cases": lambda conn: _cases(conn, dep, earliest),
        "financing": lambda conn: _rows(conn, select(c.financier, project, c.country, fin_year,
                                                     func.max(c.amount_usd))
                                        .where(*where, c.kind == "financing", c.country.is_not(None),
                                               c.technology.is_not(None), c.technology != "")
                                        .group_by(c.financier, project, c.country, fin_year)),
        "members": lambda conn: _rows(conn, select(c.country, c.subject, earliest)
                                      .where(*where, c.kind == "membership", c.country.is_not(None),
                                             c.country != "")
                                      .group_by(c.country, c.subject)),
        # sorted here: ORDER BY id makes SQLite walk every accepted claim in id order to find a handful (1.3 s)
        "reach": lambda conn: sorted(map(_row_claim, conn.execute(select(s.claims).where(
            *where, c.kind == "supplier_reach"))), key=lambda claim: claim.id),
    }
    got = _together(store, reads)
    countries, techs, years = got["deployments"]
    return Aggregates(countries=countries, technologies=techs, suppliers=got["suppliers"], years=years,
                      cases=got["cases"], financing=got["financing"], members=got["members"], reach=got["reach"],
                      targeted=got["targeted"])


_SNAPSHOT = re.compile(r"[0-9A-F]+-[0-9A-F]+(-[0-9]+)?")


def _together(store: Store, reads: dict[str, Callable[[Connection], Any]], workers: int = 2) -> dict[str, Any]:
    """Each read on its own connection, ``workers`` at a time, all over one state of the data: on PostgreSQL
    every connection imports the snapshot of the first (``pg_export_snapshot``, as ``pg_dump -j`` does); on SQLite,
    when a review or an import landed meanwhile (``search.data_version`` moved), everything is read again in one
    transaction."""
    from survindex.store.search import data_version

    def one_transaction() -> dict[str, Any]:
        with store.engine.connect() as conn:
            return {name: read(conn) for name, read in reads.items()}

    if store.dialect not in ("sqlite", "postgresql") or store.engine.url.database in (None, "", ":memory:"):
        return one_transaction()  # an in-memory SQLite database is another one on each thread's connection
    with ExitStack() as stack:
        snapshot = None
        if store.dialect == "postgresql":
            lead = stack.enter_context(store.engine.connect()).execution_options(isolation_level="REPEATABLE READ")
            snapshot = str(lead.execute(text("SELECT pg_export_snapshot()")).scalar_one())
            if not _SNAPSHOT.fullmatch(snapshot):
                return one_transaction()
        before = data_version(store) if store.dialect == "sqlite" else None

        def run(read: Callable[[Connection], Any]) -> Any:
            with store.engine.connect() as conn:
                if snapshot is not None:
                    conn = conn.execution_options(isolation_level="REPEATABLE READ")
                    conn.execute(text(f"SET TRANSACTION SNAPSHOT '{snapshot}'"))
                return read(conn)

        with ThreadPoolExecutor(workers, thread_name_prefix="survindex-index") as pool:
            futures = {name: pool.submit(run, read) for name, read in reads.items()}
            got = {name: f.result() for name, f in futures.items()}
    if before is not None and data_version(store) != before:
        return one_transaction()
    return got
