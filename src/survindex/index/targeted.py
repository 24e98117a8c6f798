"""Targeted surveillance (spyware, digital forensics) as its own index section, and the view joining it to the
mass AI-surveillance index.

A deployment claim is *targeted* when its technology has a category in Carnegie's spyware & digital forensics
inventory (the vocabulary's ``targeted`` key). Every count is a number of distinct governments (countries of
deployment). Pure: claims and reference data in, a dict out.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, NamedTuple

from survindex.index._ref import Reference
from survindex.model import Claim, vocabulary, yamlio


class Group(NamedTuple):
    """Targeted deployment claims alike in all the section reads: one claim (``group_of``) or a row of the SQL
    ``GROUP BY`` in ``store.aggregates`` (``make_group`` builds both the same way)."""

    country: str | None
    technology: str | None
    supplier: str  # "" when the vendor is undisclosed
    label: str | None  # the category as the source labels it (original ``category``)
    written: str | None  # the vendor as the source wrote it, where the registry names it otherwise
    origins: tuple[str, ...]  # see ``origin_countries``
    regime: str | None  # see ``source_regime``
    year: int | None  # the earliest year of the claims
    ids: tuple[str, ...]


# what a group reads of ``original``: the source's category label, vendor as written, listed origin countries,
# regime type (a path into ``source_regime``)
ORIGINAL_FIELDS = (("category",), ("vendor",), ("supplier_countries",), ("source_regime", "type"))


def make_group(country: str | None, technology: str | None, supplier: str | None, supplier_country: str | None,
               label: Any, vendor: Any, listed: Any, regime: Any, year: int | None, ids: tuple[str, ...]) -> Group:
    """A group from claim fields and the raw ``ORIGINAL_FIELDS`` values."""
    written = vendor.strip() if isinstance(vendor, str) else None
    return Group(country, technology, supplier or "", str(label) if label else None,
                 written if supplier and written and written != supplier else None,
                 tuple(_origins(listed, supplier_country)), _regime_type(regime), year, ids)


def group_of(claim: Claim) -> Group:
    """The claim as a group of one."""
    o = claim.original if isinstance(claim.original, dict) else {}
    regime = o.get("source_regime")
    return make_group(claim.country, claim.technology, claim.supplier, claim.supplier_country, o.get("category"),
                      o.get("vendor"), o.get("supplier_countries"),
                      regime.get("type") if isinstance(regime, dict) else None, claim.year, (claim.id,))


DEFINITIONS = {
    "governments": "Countries with at least one targeted-surveillance deployment claim (technology with a "
                   "`targeted` category: spyware, digital forensics).",
    "by_category": "Governments per targeted category of the vocabulary.",
    "by_source_category": "Governments per category as the source labels it (original `category`), e.g. "
                          "Carnegie's Spyware / Digital forensics / IOT hacking.",
    "by_vendor": "Governments per vendor (registry canonical name); `unknown_vendor`: governments with a claim "
                 "whose vendor is undisclosed; `vendor_names`: how the source wrote a vendor the registry names "
                 "otherwise.",
    "by_vendor_country": "Governments supplied by a firm based in or linked to the country: any country the "
                         "source names as the vendor's origin (Carnegie counts 'Israel, Hungary' under both).",
    "by_regime_source": "Governments per regime type as the source's own regime column gives it (Carnegie: "
                        "V-Dem Regime Type 2021).",
    "by_regime_reference": "Governments per regime type in survindex's V-Dem/OWID table for the year the first "
                           "of their contracts was disclosed (the latest earlier year available).",
    "joined": "Per country: mass AI surveillance (every other deployment) and targeted surveillance side by side; "
              "supplier blocs reaching countries with mass technology, targeted technology, either and both.",
}


@cache
def settings() -> dict[str, Any]:
    """Published figures, regime groups and supplier blocs (``targeted.yaml``)."""
    data: dict[str, Any] = yamlio.load(resources.files("survindex.index").joinpath("targeted.yaml").read_text("utf-8"))
    return data


def is_targeted(claim: Claim) -> bool:
    """A deployment claim of a targeted-surveillance technology."""
    return claim.kind == "deployment" and vocabulary().targeted_for(claim.technology) is not None


def origin_countries(claim: Claim) -> list[str]:
    """Every origin country the source names for the vendor (``original["supplier_countries"]``) when its first
    is still the claim's supplier country (a reviewer's correction wins), else the supplier country alone."""
    return list(group_of(claim).origins)


def source_regime(claim: Claim) -> str | None:
    """The regime type the source gives for the claim's country (``original["source_regime"]["type"]``)."""
    return group_of(claim).regime


def _origins(listed: Any, supplier_country: str | None) -> list[str]:
    if isinstance(listed, list) and listed and listed[0] == supplier_country:
        return [str(c) for c in listed]
    return [supplier_country] if supplier_country else []


def _regime_type(value: Any) -> str | None:
    return value if isinstance(value, str) and value in vocabulary().regime_types else None


@dataclass
class _Acc:
    countries: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    by: dict[str, dict[str, dict[str, list[str]]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(lambda: defaultdict(list))))
    regimes: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    first_year: dict[str, int] = field(default_factory=dict)
    written: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # vendor -> names as written

    def add(self, table: str, key: str, iso: str, ids: tuple[str, ...]) -> None:
        self.by[table][key][iso].extend(ids)


def _accumulate(groups: Iterable[Group]) -> _Acc:
    acc = _Acc()
    v = vocabulary()
    for g in groups:
        category = v.targeted_for(g.technology)
        if not g.country or category is None:
            continue
        iso, ids = g.country, g.ids
        acc.countries[iso].extend(ids)
        acc.add("by_technology", str(g.technology), iso, ids)
        acc.add("by_category", category, iso, ids)
        acc.add("by_source_category", g.label or v.targeted_categories[category], iso, ids)
        acc.add("by_vendor", g.supplier, iso, ids)
        if g.written:
            acc.written[g.supplier].add(g.written)
        for origin in g.origins:
            acc.add("by_vendor_country", origin, iso, ids)
        if g.regime:
            acc.regimes[iso][g.regime] += len(ids)
        if g.year is not None:
            acc.first_year[iso] = min(g.year, acc.first_year.get(iso, g.year))
    return acc


def _counts(table: dict[str, dict[str, list[str]]]) -> dict[str, int]:
    return dict(sorted(((k, len(v)) for k, v in table.items() if k), key=lambda kv: (-kv[1], kv[0])))


def _regime_table(per_country: dict[str, str | None]) -> tuple[dict[str, int], dict[str, int]]:
    """(governments per regime type, governments per regime group incl. ``unknown``)."""
    types = Counter(r for r in per_country.values() if r)
    by_type = {r: types[r] for r in vocabulary().regime_types if types.get(r)}
    groups = {g: sum(types.get(r, 0) for r in members) for g, members in settings()["regime_groups"].items()}
    groups["unknown"] = sum(1 for r in per_country.values() if not r)
    return by_type, groups


def _regimes(acc: _Acc, ref: Reference, year: int) -> dict[str, dict[str, str | None]]:
    source = {iso: (sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if c else None)
              for iso in sorted(acc.countries) for c in [acc.regimes.get(iso, Counter())]}
    reference = {iso: ref.regime(iso, acc.first_year.get(iso, year)) for iso in sorted(acc.countries)}
    return {"source": source, "reference": reference}


def _published(result: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    cfg = settings()["published"]
    for f in cfg["figures"]:
        what, _, key = str(f["computed"]).partition(":")
        if what == "governments":
            computed = int(result["governments"])
        elif what == "regime_source":
            computed = int(result["regime_source_groups"].get(key, 0))
        else:
            computed = int(result["by_vendor_country"].get(key, 0))
        out.append({"figure": f["computed"], "text": f["text"], "published": int(f["published"]),
                    "computed": computed, "difference": computed - int(f["published"])})
    return out


def _detail(acc: _Acc, regimes: dict[str, dict[str, str | None]], ref: Reference) -> dict[str, Any]:
    keyed: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for table in ("by_category", "by_source_category", "by_vendor", "by_vendor_country"):
        for key, per_country in acc.by[table].items():
            for iso in per_country:
                keyed[iso][table].add(key)
    return {iso: {"name": ref.name(iso), "categories": sorted(keyed[iso]["by_category"]),
                  "source_categories": sorted(keyed[iso]["by_source_category"]),
                  "vendors": sorted(v for v in keyed[iso]["by_vendor"] if v),
                  "unknown_vendor": "" in keyed[iso]["by_vendor"],
                  "vendor_countries": sorted(keyed[iso]["by_vendor_country"]),
                  "regime_source": regimes["source"].get(iso), "regime_reference": regimes["reference"].get(iso),
                  "first_disclosed": acc.first_year.get(iso), "claims": sorted(set(ids))}
            for iso, ids in sorted(acc.countries.items())}


def compute(groups: Iterable[Group], ref: Reference, year: int,
            mass_detail: dict[str, Any] | None = None) -> dict[str, Any]:
    """The targeted section over the (already selected) claims, as groups; ``year`` is the index's year, used for a
    government whose contracts carry no year; ``mass_detail`` (the mass index's ``countries_detail``) adds the
    joined view."""
    from survindex.index.joined import joined

    acc = _accumulate(groups)
    regimes = _regimes(acc, ref, year)
    by_source, source_groups = _regime_table(regimes["source"])
    by_ref, ref_groups = _regime_table(regimes["reference"])
    result: dict[str, Any] = {
        "governments": len(acc.countries),
        "by_technology": _counts(acc.by["by_technology"]),
        "by_category": _counts(acc.by["by_category"]),
        "by_source_category": _counts(acc.by["by_source_category"]),
        "by_vendor": _counts(acc.by["by_vendor"]),
        "unknown_vendor": len(acc.by["by_vendor"].get("", {})),
        "vendor_names": {k: sorted(v) for k, v in sorted(acc.written.items())},
        "by_vendor_country": _counts(acc.by["by_vendor_country"]),
        "by_regime_source": by_source, "regime_source_groups": source_groups,
        "by_regime_reference": by_ref, "regime_reference_groups": ref_groups,
        "regime_reference_missing": sorted(iso for iso, r in regimes["reference"].items() if not r),
    }
    result["published_figures"] = _published(result)
    result["published_source"] = settings()["published"]["source"]
    result["countries_detail"] = _detail(acc, regimes, ref)
    result["evidence"] = {t: {k: {iso: sorted(set(ids)) for iso, ids in sorted(v.items())}
                              for k, v in sorted(acc.by[t].items())}
                          for t in ("by_technology", "by_category", "by_vendor", "by_vendor_country")}
    result["joined"] = joined(mass_detail or {}, result["countries_detail"], ref)
    result["definitions"] = DEFINITIONS
    return result


def summary(section: dict[str, Any]) -> dict[str, Any]:
    """The section without its per-country maps (what ``stats --json`` prints by default)."""
    out = {k: v for k, v in section.items() if k not in ("countries_detail", "evidence", "definitions")}
    out["joined"] = {k: v for k, v in section["joined"].items() if k != "countries"}
    return out
