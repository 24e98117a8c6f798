"""Claims -> the index: countries, technologies, suppliers, BRI overlap, regime shares, financing, time series.

Pure and deterministic: the same claims (in any order) and the same reference data give the same dict.
Every count is a number of *distinct countries* unless the key says otherwise, and every count leads to
the claim ids behind it through ``evidence``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from survindex.index import targeted
from survindex.index._ref import Reference, default_reference
from survindex.index.acc import Acc as _Acc
from survindex.index.acc import contractor, hq_country
from survindex.index.aggregates import Aggregates, accumulate_aggregates
from survindex.model import AIGS_CATEGORIES, TECHNOLOGY_KEYS, Claim, vocabulary

DEFINITIONS = {
    "countries": "Countries with at least one non-negated deployment claim.",
    "cases": "Deployment cases (one record per deployment, grouped from the claims of every source reporting "
             "it; a claim in no case counts as a case of its own) with at least one counted claim.",
    "by_technology": "Countries with at least one deployment claim of the technology.",
    "by_aigs_category": "Countries with a deployment of a technology in the Carnegie AIGS category.",
    "by_supplier": "Countries with at least one deployment claim naming the supplier. A prime contractor "
                   "(reference contractors table) counts only in cases where no counted claim names a maker.",
    "by_supplier_country": "Countries with at least one deployment supplied by a company headquartered "
                           "in the country (ISO3).",
    "bri": "members: Belt and Road members as of the date; with_technology: members with any deployment; "
           "with_supplier_country: members with a deployment supplied from the country.",
    "by_regime_type": "Share of the index's countries of a regime type (V-Dem Regimes of the World, in the year "
                      "of as_of or the latest earlier year available) that have the AIGS category: countries of "
                      "that type with the category / countries of that type in the index.",
    "financing": "Financing claims that name a technology (surveillance projects). A project is the case the "
                 "financing joined (a claim in no case: its document) in a country, however many sources report "
                 "it; amount_usd sums the largest USD amount stated for each project.",
    "by_year": "From deployment claim years: claims dated that year, countries first seen that year, "
               "countries seen up to that year, cases first dated that year and cases up to that year. Undated "
               "claims count in the totals only.",
    "targeted": "Targeted surveillance (technologies with a `targeted` category: spyware, digital forensics), "
                "counted apart from the figures above and joined to them per country (see targeted.definitions).",
}


def _in_scope(claim: Claim, as_of: date | None) -> bool:
    if claim.negated or claim.status == "rejected":
        return False
    return as_of is None or claim.year is None or claim.year <= as_of.year


def _add_deployment(acc: _Acc, c: Claim, country: str) -> None:
    acc.countries[country].append(c.id)
    if c.technology:
        acc.add("by_technology", c.technology, country, c.id)
    if c.aigs_category:
        acc.add("by_aigs_category", c.aigs_category, country, c.id)
    if c.year is not None:
        acc.claims_by_year[c.year] += 1
        acc.first_year[country] = min(c.year, acc.first_year.get(country, c.year))


def _add_supplier(acc: _Acc, c: Claim, country: str, ref: Reference) -> None:
    if c.supplier:
        acc.add("by_supplier", c.supplier, country, c.id)
    hq = hq_country(c.supplier, c.supplier_country, c.supplier_resolved, ref)
    if hq:
        acc.add("by_supplier_country", hq, country, c.id)


class _Cases:
    """The deployment cases met while claims are read (a claim in no case is a case of its own), and the claims
    naming a prime contractor, counted as suppliers only where no claim of their case names a maker."""

    def __init__(self, case_of: Mapping[str, str] | None):
        self.case_of = case_of or {}
        self.years: dict[str, int | None] = {}  # case -> first dated year
        self.makers: set[str] = set()
        self.contracted: list[tuple[str, Claim]] = []

    def add(self, acc: _Acc, c: Claim, country: str, ref: Reference) -> None:
        case = self.case_of.get(c.id) or c.id
        dated = [y for y in (self.years.get(case), c.year) if y is not None]
        self.years[case] = min(dated) if dated else None
        if contractor(c.supplier):
            self.contracted.append((case, c))
            return
        if c.supplier:
            self.makers.add(case)
        _add_supplier(acc, c, country, ref)

    def finish(self, acc: _Acc, ref: Reference) -> None:
        for case, c in self.contracted:
            if case not in self.makers:
                _add_supplier(acc, c, str(c.country), ref)
        for first in self.years.values():
            acc.case(first)


def _add_financing(acc: _Acc, c: Claim, country: str, project: str) -> None:
    financier = c.financier or "unknown"
    acc.add("financing", financier, country, c.id)
    acc.project(financier, project, country, c.amount_usd)


def _accumulate(claims: Iterable[Claim], as_of: date | None, ref: Reference,
                case_of: Mapping[str, str] | None = None) -> tuple[_Acc, list[Claim], set[str]]:
    acc, reach, members, cases = _Acc(), [], set(), _Cases(case_of)
    for c in claims:
        if not _in_scope(c, as_of) or targeted.is_targeted(c):  # targeted surveillance: its own section
            continue
        if c.kind == "supplier_reach":
            reach.append(c)
        elif c.kind == "membership" and c.country and (c.subject or "bri").lower() == "bri":
            members.add(c.country)
        elif c.country is None:
            continue
        elif c.kind == "deployment":
            _add_deployment(acc, c, c.country)
            cases.add(acc, c, c.country, ref)
        elif c.kind == "financing" and c.technology:
            _add_financing(acc, c, c.country, cases.case_of.get(c.id) or c.doc_id)
    cases.finish(acc, ref)
    return acc, reach, members


def _counts(table: dict[str, dict[str, list[str]]]) -> dict[str, int]:
    """{key: number of distinct countries}, largest first, then by key."""
    return dict(sorted(((k, len(v)) for k, v in table.items()), key=lambda kv: (-kv[1], kv[0])))


def _evidence(table: dict[str, dict[str, list[str]]]) -> dict[str, dict[str, list[str]]]:
    return {k: {iso: sorted(set(ids)) if ids else [] for iso, ids in sorted(v.items())}
            for k, v in sorted(table.items())}


def _bri(acc: _Acc, members: set[str]) -> dict[str, Any]:
    with_tech = sorted(members & set(acc.countries))
    by_sc = {hq: len(members & set(cs)) for hq, cs in acc.by["by_supplier_country"].items()}
    return {
        "members": len(members),
        "with_technology": len(with_tech),
        "with_supplier_country": dict(sorted(((k, v) for k, v in by_sc.items() if v),
                                             key=lambda kv: (-kv[1], kv[0]))),
        "member_countries": sorted(members),
        "countries_with_technology": with_tech,
    }


def _regimes(acc: _Acc, year: int, ref: Reference) -> dict[str, str | None]:
    return {iso: ref.regime(iso, year) for iso in sorted(acc.countries)}


def _by_regime(acc: _Acc, regimes: dict[str, str | None]) -> tuple[dict[str, dict[str, float]], dict[str, int]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for iso, r in regimes.items():
        if r:
            groups[r].add(iso)
    shares: dict[str, dict[str, float]] = {}
    for regime in vocabulary().regime_types:
        members = groups.get(regime, set())
        if not members:
            continue
        shares[regime] = {
            cat: round(len(members & set(acc.by["by_aigs_category"].get(cat, {}))) / len(members), 4)
            for cat in AIGS_CATEGORIES
        }
    return shares, {r: len(groups[r]) for r in vocabulary().regime_types if groups.get(r)}


def _financing(acc: _Acc) -> dict[str, dict[str, Any]]:
    out = {}
    for financier, projects in sorted(acc.financing.items()):
        amounts = [a for a in projects.values() if a is not None]
        out[financier] = {
            "projects": len(projects),
            "countries": len({iso for _, iso in projects}),
            "amount_usd": round(sum(amounts), 2) if amounts else None,
        }
    return dict(sorted(out.items(), key=lambda kv: (-int(kv[1]["projects"] or 0), kv[0])))


def _by_year(acc: _Acc) -> dict[str, dict[str, int]]:
    new: dict[int, int] = defaultdict(int)
    for year in acc.first_year.values():
        new[year] += 1
    out, total, cases = {}, 0, 0
    for year in sorted(set(new) | set(acc.claims_by_year)):
        total += new.get(year, 0)
        cases += acc.new_cases.get(year, 0)
        out[str(year)] = {"countries_cumulative": total, "new_countries": new.get(year, 0),
                          "claims": acc.claims_by_year.get(year, 0), "new_cases": acc.new_cases.get(year, 0),
                          "cases_cumulative": cases}
    return out


def _detail(acc: _Acc, regimes: dict[str, str | None], members: set[str], ref: Reference) -> dict[str, Any]:
    keyed: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    claim_ids: dict[str, set[str]] = defaultdict(set)
    for iso, ids in acc.countries.items():
        claim_ids[iso].update(ids)
    for table in ("by_technology", "by_aigs_category", "by_supplier", "by_supplier_country", "financing"):
        for key, per_country in acc.by[table].items():
            for iso, ids in per_country.items():
                keyed[iso][table].add(key)
                claim_ids[iso].update(ids)
    out = {}
    for iso in sorted(claim_ids):
        k = keyed[iso]
        out[iso] = {
            "name": ref.name(iso),
            "technologies": sorted(k["by_technology"]),
            "aigs_categories": sorted(k["by_aigs_category"]),
            "suppliers": sorted(k["by_supplier"]),
            "supplier_countries": sorted(k["by_supplier_country"]),
            "financiers": sorted(k["financing"]),
            "bri": iso in members,
            "regime": regimes.get(iso),
            "first_year": acc.first_year.get(iso),
            "claims": sorted(claim_ids[iso]),
        }
    return out


def compute(claims: Iterable[Claim], *, as_of: date | None = None, ref: Reference | None = None,
            figures: bool = True, case_of: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The index over ``claims`` (claims dated after ``as_of`` are left out; undated ones are kept); ``case_of``
    maps claim ids to their cases (``store.claim_cases``; a claim in none is a case of its own), and then
    ``evidence_cases`` gives the cases behind each figure as ``evidence`` gives the claims.
    Published figures are set beside the index of today (or ``as_of``) and beside the index as of the end of the
    year they were published, so a 2019 figure is compared with the 2019 evidence too."""
    claims = list(claims)
    groups = [targeted.group_of(c) for c in claims if targeted.is_targeted(c) and _in_scope(c, as_of)]
    result = _index(lambda day, ref: _accumulate(claims, day, ref, case_of), groups, as_of,
                    ref or default_reference(), figures)
    if case_of:
        result["evidence_cases"] = _cases_of(result["evidence"], case_of)
    return result


def _cases_of(evidence: dict[str, Any], case_of: Mapping[str, str]) -> dict[str, Any]:
    """``evidence`` (claim ids at the leaves) with the cases of those claims at the leaves."""
    if isinstance(evidence, dict):
        return {k: _cases_of(v, case_of) for k, v in evidence.items()}
    return sorted({case_of[i] for i in evidence if i in case_of})


def compute_aggregates(agg: Aggregates, *, as_of: date | None = None, ref: Reference | None = None,
                       figures: bool = True) -> dict[str, Any]:
    """The same index as ``compute`` from grouped rows (``Aggregates``, what a SQL ``GROUP BY`` gives) instead of
    every claim: equal figures, without the claim ids behind them (``evidence`` and the per-country ``claims``
    lists are empty)."""
    return _index(lambda day, ref: accumulate_aggregates(agg, day, ref), agg.targeted, as_of,
                  ref or default_reference(), figures)


def _index(source: Callable[[date | None, Reference], tuple[_Acc, list[Claim], set[str]]],
           targeted_groups: Iterable[targeted.Group], as_of: date | None, ref: Reference,
           figures: bool) -> dict[str, Any]:
    """The index from ``source`` (the accumulator as of a date); ``targeted_groups`` (the counted targeted claims)
    give the targeted section."""
    from survindex.index.figures import headlines, published_figures

    day = as_of or date.today()
    acc, reach, claimed_members = source(as_of, ref)
    members = ref.bri_members(day) | claimed_members
    regimes = _regimes(acc, day.year, ref)
    by_regime, regime_counts = _by_regime(acc, regimes)
    result: dict[str, Any] = {
        "as_of": as_of.isoformat() if as_of else None,
        "countries": len(acc.countries),
        "cases": acc.cases,
        "by_technology": {k: len(acc.by["by_technology"].get(k, {})) for k in TECHNOLOGY_KEYS},
        "by_aigs_category": {k: len(acc.by["by_aigs_category"].get(k, {})) for k in AIGS_CATEGORIES},
        "by_supplier": _counts(acc.by["by_supplier"]),
        "by_supplier_country": _counts(acc.by["by_supplier_country"]),
        "bri": _bri(acc, members),
        "by_regime_type": by_regime,
        "regime_counts": regime_counts,
        "financing": _financing(acc),
        "by_year": _by_year(acc),
        "countries_detail": _detail(acc, regimes, members, ref),
        "evidence": {"countries": {iso: sorted(set(ids)) for iso, ids in sorted(acc.countries.items())},
                     **{t: _evidence(acc.by[t]) for t in ("by_technology", "by_aigs_category", "by_supplier",
                                                          "by_supplier_country", "financing")}},
        "definitions": DEFINITIONS,
    }
    _add_targeted(result, targeted_groups, ref, day.year)
    if figures:
        years = {c.year for c in reach if c.year is not None and c.year < day.year}
        # published figures compare mass figures only
        then = {y: _compared(source, date(y, 12, 31), ref) for y in sorted(years)}
        result["published_figures"] = published_figures(reach, result, then)
        result["headlines"] = headlines(result, ref)
    return result


def _compared(source: Callable[[date | None, Reference], tuple[_Acc, list[Claim], set[str]]], as_of: date,
              ref: Reference) -> dict[str, Any]:
    """The part of the index as of ``as_of`` that published figures are compared with (``figures._computed``)."""
    acc, _reach, claimed_members = source(as_of, ref)
    return {"countries": len(acc.countries), "by_supplier": _counts(acc.by["by_supplier"]),
            "by_supplier_country": _counts(acc.by["by_supplier_country"]),
            "bri": _bri(acc, ref.bri_members(as_of) | claimed_members)}


def _add_targeted(result: dict[str, Any], groups: Iterable[targeted.Group], ref: Reference, year: int) -> None:
    """The targeted section, joined to the mass index; its technologies count in ``by_technology`` too."""
    section = targeted.compute(groups, ref, year, result["countries_detail"])
    result["targeted"] = section
    result["by_technology"].update(section["by_technology"])
    result["evidence"]["by_technology"].update(section["evidence"]["by_technology"])


DETAIL_KEYS = ("countries_detail", "evidence", "evidence_cases", "definitions")


def summary(index: dict[str, Any]) -> dict[str, Any]:
    """The index without the large per-country maps (what ``stats --json`` prints by default)."""
    out = {k: v for k, v in index.items() if k not in DETAIL_KEYS}
    out["bri"] = {k: v for k, v in index["bri"].items() if k not in ("member_countries", "countries_with_technology")}
    if "targeted" in index:
        out["targeted"] = targeted.summary(index["targeted"])
    return out
