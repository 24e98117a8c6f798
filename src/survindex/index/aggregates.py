"""The index's input as grouped rows: what a SQL ``GROUP BY`` over the counted claims gives (``store.aggregates``
writes the queries). Every row carries the earliest year of the claims behind it (``UNDATED`` when one of them
has no year), so the index as of any earlier date comes from the same rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from survindex.index._ref import Reference
from survindex.index.acc import Acc, hq_country
from survindex.index.targeted import Group
from survindex.model import Claim, vocabulary

UNDATED = -9999  # the earliest "year" of a group with an undated claim: in scope at any date


@dataclass(frozen=True)
class Aggregates:
    """Counted claims (non-negated, current, of the selected statuses and dates) grouped by what the index counts.

    countries: (country, earliest, first dated year) of deployment claims;
    technologies: (country, technology, earliest); suppliers: (country, supplier, supplier_country,
    supplier_resolved, earliest, until) of deployment claims, where ``until`` (a prime contractor's row, one per
    case) is the earliest year of a claim of its case naming a maker, from which the row no longer counts;
    years: (year, deployment claims); cases: (earliest, first dated year, number) of deployment cases;
    financing: (financier, project, country, year or UNDATED, largest amount_usd) of financing claims naming a
    technology, where the project is the claim's case (else its document); members: (country, subject, earliest)
    of membership claims; reach: the supplier_reach claims; targeted: the targeted deployment claims, grouped."""

    countries: Sequence[tuple[str, int, int | None]] = ()
    technologies: Sequence[tuple[str, str, int]] = ()
    suppliers: Sequence[tuple[str, str | None, str | None, bool, int, int | None]] = ()
    cases: Sequence[tuple[int, int | None, int]] = ()
    years: Sequence[tuple[int, int]] = ()
    financing: Sequence[tuple[str | None, str, str, int, float | None]] = ()
    members: Sequence[tuple[str, str | None, int]] = ()
    reach: Sequence[Claim] = field(default_factory=tuple)
    targeted: Sequence[Group] = field(default_factory=tuple)


def accumulate_aggregates(agg: Aggregates, as_of: date | None, ref: Reference) -> tuple[Acc, list[Claim], set[str]]:
    """The accumulator ``compute`` fills from claims, filled from grouped rows (no claim ids)."""
    y = as_of.year if as_of else None

    def counted(earliest: int) -> bool:
        return y is None or earliest <= y

    acc = Acc()
    for country, earliest, first in agg.countries:
        if counted(earliest):
            acc.countries.setdefault(country, [])
            if first is not None and counted(first):
                acc.first_year[country] = first
    aigs = vocabulary().aigs_for
    for country, tech, earliest in agg.technologies:
        if tech and counted(earliest):
            acc.add("by_technology", tech, country)
            if aigs(tech):
                acc.add("by_aigs_category", str(aigs(tech)), country)
    for country, supplier, stated, resolved, earliest, until in agg.suppliers:
        if counted(earliest) and (until is None or not counted(until)):
            if supplier:
                acc.add("by_supplier", supplier, country)
            hq = hq_country(supplier, stated, bool(resolved), ref)
            if hq:
                acc.add("by_supplier_country", hq, country)
    for year, n in agg.years:
        if counted(year):
            acc.claims_by_year[year] += n
    for earliest, first, n in agg.cases:
        if counted(earliest):
            acc.case(first if first is not None and counted(first) else None, n)
    for financier, project, country, year, amount in agg.financing:
        if counted(year):
            acc.add("financing", financier or "unknown", country)
            acc.project(financier or "unknown", project, country, amount)
    members = {c for c, subject, earliest in agg.members if c and counted(earliest)
               and (subject or "bri").lower() == "bri"}
    reach = [c for c in agg.reach if y is None or c.year is None or c.year <= y]
    return acc, reach, members
