"""The index's input computed by the database: SQL ``GROUP BY`` over the counted claims, on indexed columns
(migration ``scale``), returned as ``survindex.index.aggregates.Aggregates`` rows. The index itself stays pure:
``index.compute_aggregates`` turns these rows into the same figures ``index.compute`` gives from every claim."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select

from survindex.index.aggregates import UNDATED, Aggregates
from survindex.model import vocabulary
from survindex.store import schema as s
from survindex.store.core import Store, _row_claim


def counted(status: str = "accepted", min_confidence: float | None = None, as_of: date | None = None) -> list[Any]:
    """The claims the index counts, as SQL conditions (``index.select`` in SQL): accepted (``status="all"``: also
    unreviewed ones at or above ``min_confidence``), never rejected or negated, current, dated up to ``as_of``."""
    c = s.claims.c
    if status not in ("accepted", "all"):
        raise ValueError(f"status must be 'accepted' or 'all', not {status!r}")
    conds: list[Any] = [c.negated.is_(False), c.superseded_by.is_(None)]
    if status == "accepted":
        conds.append(c.status == "accepted")
    elif min_confidence is not None:
        conds.append(or_(c.status == "accepted", and_(c.status != "rejected", c.confidence >= min_confidence)))
    else:
        conds.append(c.status != "rejected")
    if as_of is not None:
        conds.append(or_(c.year.is_(None), c.year <= as_of.year))
    return conds


def _rows(conn: Connection, q: Any) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in conn.execute(q)]


def index_aggregates(store: Store, status: str = "accepted", min_confidence: float | None = None,
                     as_of: date | None = None) -> Aggregates:
    """The counted claims grouped by what the index counts (see ``Aggregates``): a handful of GROUP BY queries
    in one read transaction, each returning at most (countries x keys) rows."""
    c = s.claims.c
    where = counted(status, min_confidence, as_of)
    v = vocabulary()
    targeted = sorted(k for k in v.technologies if v.targeted_for(k))
    mass = or_(c.technology.is_(None), c.technology.not_in(targeted))  # targeted surveillance: its own section
    dep = [*where, c.kind == "deployment", c.country.is_not(None), mass]
    earliest = func.min(func.coalesce(c.year, UNDATED))
    with store.engine.connect() as conn:
        countries = _rows(conn, select(c.country, earliest, func.min(c.year)).where(*dep).group_by(c.country))
        techs = _rows(conn, select(c.country, c.technology, earliest)
                      .where(*dep, c.technology.is_not(None)).group_by(c.country, c.technology))
        sups = _rows(conn, select(c.country, c.supplier, c.supplier_country, c.supplier_resolved, earliest)
                     .where(*dep, or_(c.supplier.is_not(None), c.supplier_country.is_not(None)))
                     .group_by(c.country, c.supplier, c.supplier_country, c.supplier_resolved))
        years = [r for r in _rows(conn, select(c.year, func.count()).where(*dep).group_by(c.year))
                 if r[0] is not None]  # no "year IS NOT NULL": it would lead the planner off the covering index
        fin_year = func.coalesce(c.year, UNDATED)
        financing = _rows(conn, select(c.financier, c.doc_id, c.country, fin_year, func.max(c.amount_usd))
                          .where(*where, c.kind == "financing", c.country.is_not(None), c.technology.is_not(None),
                                 c.technology != "")
                          .group_by(c.financier, c.doc_id, c.country, fin_year))
        members = _rows(conn, select(c.country, c.subject, earliest)
                        .where(*where, c.kind == "membership", c.country.is_not(None), c.country != "")
                        .group_by(c.country, c.subject))
        reach = [_row_claim(r) for r in conn.execute(select(s.claims).where(*where, c.kind == "supplier_reach")
                                                     .order_by(c.id))]
        spied = [_row_claim(r) for r in conn.execute(select(s.claims).where(
            *where, c.kind == "deployment", c.technology.in_(targeted)).order_by(c.id))]
    return Aggregates(countries=countries, technologies=techs,
                      suppliers=sups, years=years, financing=financing,
                      members=members, reach=reach, targeted=spied)
