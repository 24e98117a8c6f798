"""Case pages of the static report: ``case/<id>.html`` for every case with a published claim, and ``cases.html``.

A case's page shows only what the report publishes: its timeline, independent sources, strongest quote and
financing are summarised again from the case's claims in the report (``survindex.cases.summarise``), never from
unreviewed claims the store also holds. Claims link to their entry on the country page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from survindex.cases import Case, Member, summarise
from survindex.model import Claim, Document
from survindex.report.map import locator_svg

if TYPE_CHECKING:
    from survindex.report.site import Site


def member(c: Claim, doc: Document | None) -> Member:
    from survindex.store.cases import source_key

    src = source_key(doc.publisher, doc.url, doc.source, doc.duplicate_of or doc.id) if doc else c.doc_id
    return Member(claim_id=c.id, kind=c.kind, country=c.country, technology=c.technology, supplier=c.supplier,
                  supplier_country=c.supplier_country, deployer=getattr(c, "deployer", None), financier=c.financier,
                  flow_type=c.flow_type, amount=c.amount, currency=c.currency, amount_usd=c.amount_usd, year=c.year,
                  stage=c.stage, status=c.status, confidence=c.confidence, quote=c.quote,
                  date=(doc.published if doc else None) or (str(c.year) if c.year else None), source=src)


def build(site: Site) -> None:
    """Every case with a published claim: its page (written as its claims stream past, a case at a time), then
    ``cases.html`` and the ``cases`` download. ``site.cases`` keeps the summaries for the other pages."""
    store = site.selection.store
    group: list[tuple[Claim, Document | None]] = []
    current: str | None = None
    for case_id, claim, doc in site.selection.case_claims():
        if case_id != current and group:
            _publish(site, store, str(current), group)
            group = []
        current = case_id
        group.append((claim, doc))
    if group:
        _publish(site, store, str(current), group)
    index_page(site)
    site.resources += downloads(site, site.out / "data")


def _publish(site: Site, store: Any, case_id: str, group: list[tuple[Claim, Document | None]]) -> None:
    members = [member(c, doc) for c, doc in group]
    case = summarise(case_id, members[0].country, (_group(store, case_id),), members)
    site.cases[case_id] = case
    case_page(site, case, group)


def _group(store: Any, case_id: str) -> str:
    from sqlalchemy import select

    from survindex.store import schema as s

    with store.engine.connect() as conn:
        return str(conn.execute(select(s.cases.c.grp).where(s.cases.c.id == case_id)).scalar() or "")


def claim_href(c: Claim, root: str) -> str | None:
    return f"{root}countries/{c.country}.html#{c.id}" if c.country else None


def sources(group: list[tuple[Claim, Document | None]]) -> list[dict[str, Any]]:
    """Independent sources of a case with their strongest published quote."""
    by: dict[str, list[tuple[Claim, Document | None]]] = {}
    for c, doc in group:
        by.setdefault(member(c, doc).source, []).append((c, doc))
    out = []
    for key, pairs in sorted(by.items()):
        best, doc = max(pairs, key=lambda p: (p[0].confidence, len(p[0].quote), p[0].id))
        out.append({"source": (doc.publisher if doc and doc.publisher else key), "claims": len(pairs),
                    "quote": best.quote, "claim": best.id, "url": doc.url if doc else None,
                    "published": doc.published if doc else None})
    return out


def case_page(site: Site, case: Case, group: list[tuple[Claim, Document | None]]) -> None:
    root = "../"
    claims = {c.id: c for c, _ in group}
    site.render(f"case/{case.id}.html", "case.html", case=case, sources=sources(group), claims=list(claims.values()),
                claim_href=lambda cid: claim_href(claims[cid], root) if cid in claims else None,
                map_svg=locator_svg(case.country, "../static/world.svg", label=site.country_name(case.country))
                if case.country else "")


def index_page(site: Site) -> None:
    site.render("cases.html", "cases.html", cases=sorted(site.cases.values(),
                                                         key=lambda c: (-len(c.sources), -c.confidence, c.id)))


def cases_where(site: Site, **match: Any) -> list[Case]:
    """The report's cases whose fields equal ``match`` (country=, supplier=, technology=), most corroborated
    first (for the country, supplier and technology pages)."""
    found = [c for c in site.cases.values() if all(getattr(c, k) == v or (k == "technology" and v in c.technologies)
                                                   for k, v in match.items())]
    return sorted(found, key=lambda c: (-len(c.sources), -c.confidence, c.id))


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


def case_rows(site: Site) -> list[dict[str, Any]]:
    return [{"id": c.id, "country": c.country, "technology": c.technology, "technologies": list(c.technologies),
             "supplier": c.supplier, "supplier_country": c.supplier_country, "deployer": c.deployer,
             "stage": c.stage, "first_reported": c.first_reported, "last_reported": c.last_reported,
             "sources": len(c.sources), "source_keys": list(c.sources),
             "financiers": sorted({f["financier"] for f in c.financing if f.get("financier")}),
             "confidence": c.confidence, "claim_ids": list(c.claims)} for c in sorted(site.cases.values(),
                                                                                    key=lambda c: c.id)]


def downloads(site: Site, out: Any) -> list[Any]:
    """The ``cases`` table in every download format (nothing when the report has no cases)."""
    from survindex.export import write_all

    return write_all(out, case_rows(site), case_schema()) if site.cases else []
