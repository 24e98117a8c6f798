"""Case pages of the static report: ``case/<ISO3>.html``, a section ``#<case id>`` for every case of the country
with a published claim (``case/none.html`` for cases without a country), and ``cases.html``. One page per country,
not per case: a million claims make a hundred thousand cases, and a file each costs more than its content.

A case's section shows only what the report publishes: its timeline, independent sources, strongest quote and
financing are summarised again from the case's claims in the report (``survindex.cases.summarise``), never from
unreviewed claims the store also holds. Claims link to their entry on the country page."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from survindex.cases import Case, Member, summarise
from survindex.model import Document
from survindex.report.map import locator_svg
from survindex.store.published import CaseClaim

if TYPE_CHECKING:
    from survindex.report.site import Site


def member(c: CaseClaim, doc: Document | None) -> Member:
    from survindex.store.cases import source_key

    src = source_key(doc.publisher, doc.url, doc.source, doc.duplicate_of or doc.id) if doc else c.doc_id
    return Member(claim_id=c.id, kind=c.kind, country=c.country, technology=c.technology, supplier=c.supplier,
                  supplier_country=c.supplier_country, deployer=c.deployer, financier=c.financier,
                  flow_type=c.flow_type, amount=c.amount, currency=c.currency, amount_usd=c.amount_usd, year=c.year,
                  stage=c.stage, status=c.status, confidence=c.confidence, quote=c.quote,
                  date=(doc.published if doc else None) or (str(c.year) if c.year else None), source=src)


Group = list[tuple[CaseClaim, Document | None]]


class Listing(NamedTuple):
    """A case as the lists show it (the report keeps one per case, so it is small)."""

    id: str
    country: str | None
    deployer: str | None
    technology: str | None
    technologies: tuple[str, ...]
    supplier: str | None
    stage: str
    first_reported: str | None
    last_reported: str | None
    source_count: int
    confidence: float


def listing(c: Case) -> Listing:
    return Listing(c.id, c.country, c.deployer, c.technology, c.technologies, c.supplier, c.stage,
                   c.first_reported, c.last_reported, len(c.sources), c.confidence)


def order(c: Listing) -> tuple[int, float, str]:
    """Most corroborated first, then most confident."""
    return (-c.source_count, -c.confidence, c.id)


def country_cases(site: Site, iso3: str | None, rows: IO[str]) -> list[Listing]:
    """The published cases of one country (None: of no country) on one page, ``case/<ISO3>.html`` (``none``),
    a section per case written as its claims stream past (no case is held whole); each case's download row is
    appended to ``rows`` (JSON Lines). Returns their listings."""
    out: list[Listing] = []
    items = _items(site, _grouped(site.selection.case_claims(iso3)), rows, out)
    first = next(items, None)
    if first is not None:
        site.render(case_page(iso3), "country_cases.html", iso3=iso3, items=itertools.chain([first], items),
                    map_svg=locator_svg(iso3, "../static/world.svg", label=site.country_name(iso3)) if iso3 else "")
    return out


def case_page(iso3: str | None) -> str:
    return f"case/{iso3 or 'none'}.html"


def _grouped(claims: Iterable[tuple[str, str, CaseClaim, Document | None]]) -> Iterator[tuple[str, str, Group]]:
    """(case id, group, its claims) for consecutive claims of one case."""
    for (case_id, grp), part in itertools.groupby(claims, key=lambda t: (t[0], t[1])):
        yield case_id, grp, [(claim, doc) for _, _, claim, doc in part]


class Item(NamedTuple):
    """A case's section on its country's case page."""

    case: Case
    sources: list[Source]
    claims: list[CaseClaim]
    links: dict[str, str]  # claim id -> its entry on its country's page (claims with a country)


class Source(NamedTuple):
    """An independent source of a case with its strongest published quote."""

    source: str
    claims: int
    quote: str
    claim: str
    url: str | None
    published: str | None


def _items(site: Site, cases: Iterable[tuple[str, str, Group]], rows: IO[str],
           out: list[Listing]) -> Iterator[Item]:
    for case_id, grp, group in cases:
        members = [member(c, doc) for c, doc in group]
        case = summarise(case_id, members[0].country, (grp,), members)
        rows.write(json.dumps(case_row(case), ensure_ascii=False) + "\n")
        out.append(listing(case))
        claims = {c.id: c for c, _ in group}
        yield Item(case, sources(group, members), list(claims.values()),
                   {c.id: f"../countries/{c.country}.html#{c.id}" for c in claims.values() if c.country})


def sources(group: Group, members: list[Member]) -> list[Source]:
    """Independent sources of a case with their strongest published quote."""
    by: dict[str, Group] = {}
    for (c, doc), m in zip(group, members):
        by.setdefault(m.source, []).append((c, doc))
    out = []
    for key, pairs in sorted(by.items()):
        best, doc = max(pairs, key=lambda p: (p[0].confidence, len(p[0].quote), p[0].id))
        out.append(Source(doc.publisher if doc and doc.publisher else key, len(pairs), best.quote, best.id,
                          doc.url if doc else None, doc.published if doc else None))
    return out


def finish(site: Site) -> None:
    """After every country's cases: ``cases.html`` (``downloads.Work.case_downloads`` wrote the download)."""
    site.render("cases.html", "cases.html", cases=sorted(site.cases.values(), key=order))


def read_rows(files: list[Path]) -> Iterator[dict[str, Any]]:
    """The cases download's rows from the files the countries' cases were written to."""
    for path in files:
        with open(path, encoding="utf-8") as f:
            for line in f:
                yield json.loads(line)


def cases_where(site: Site, **match: Any) -> list[Listing]:
    """The report's cases whose ``country``, ``supplier`` or ``technology`` (one of its technologies) is the
    value given, most corroborated first (for the country, supplier and technology pages)."""
    (field, value), = match.items()
    return site.case_lists(field).get(value, [])


def lists(cases: Iterable[Listing], field: str) -> dict[Any, list[Listing]]:
    """The cases by ``field`` (each technology of a case for ``technology``), each list most corroborated first."""
    out: dict[Any, list[Listing]] = {}
    for c in sorted(cases, key=order):
        for value in (c.technologies if field == "technology" else (getattr(c, field),)):
            out.setdefault(value, []).append(c)
    return out


def case_schema() -> Any:
    from survindex.export.schema import Field, Schema

    return Schema(
        name="cases", title="Cases",
        description="One row per deployment (case) with a published claim: the claims of every source that reports "
                    "it, summarised from the published claims only.",
        geo_field="country",
        fields=(
            Field("id", "string", "Case id (derived from the case's key; old ids redirect on the web)"),
            Field("country", "string", "ISO3 of the deploying country"),
            Field("technology", "string", "Main technology key"),
            Field("technologies", "array", "Every technology key of the case"),
            Field("supplier", "string", "Supplier (empty when unknown)"),
            Field("supplier_country", "string", "ISO3 of the supplier's headquarters"),
            Field("deployer", "string", "Deploying body or project as the sources name it"),
            Field("stage", "string", "Latest stage reported"),
            Field("first_reported", "string", "Date of the first report"),
            Field("last_reported", "string", "Date of the last report"),
            Field("sources", "integer", "Number of independent sources (publishers or datasets)"),
            Field("source_keys", "array", "The independent sources"),
            Field("financiers", "array", "Lenders of the financing linked to the case"),
            Field("confidence", "number", "Case confidence"),
            Field("claim_ids", "array", "Ids of the published claims of the case"),
        ))


def case_row(c: Case) -> dict[str, Any]:
    return {"id": c.id, "country": c.country, "technology": c.technology, "technologies": list(c.technologies),
            "supplier": c.supplier, "supplier_country": c.supplier_country, "deployer": c.deployer,
            "stage": c.stage, "first_reported": c.first_reported, "last_reported": c.last_reported,
            "sources": len(c.sources), "source_keys": list(c.sources),
            "financiers": sorted({f["financier"] for f in c.financing if f.get("financier")}),
            "confidence": c.confidence, "claim_ids": list(c.claims)}
