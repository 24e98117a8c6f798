"""The report's pages and downloads, each rendered from the computed index and the claims behind it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple

from survindex.export import FORMATS
from survindex.model import AIGS_CATEGORIES, Document, vocabulary
from survindex.report import charts, targeted_pages
from survindex.report.map import locator_svg, overlay_svg, world_svg
from survindex.store.published import ShownClaim

if TYPE_CHECKING:
    from survindex.report.site import Site

DATA = "data"


def _sources() -> dict[str, dict[str, Any]]:
    import survindex.reference as ref

    data: dict[str, dict[str, Any]] = ref.sources()
    return data


def _tech_values(site: Site) -> dict[str, int]:
    return {iso: len(d["technologies"]) for iso, d in site.index["countries_detail"].items()
            if d["technologies"]}


def _title(site: Site, iso3: str) -> str:
    d = site.index["countries_detail"].get(iso3)
    if not d or not d["technologies"]:
        return site.country_name(iso3)
    labels = ", ".join(vocabulary().technologies[t].label for t in d["technologies"])
    return f"{d['name']}: {labels}"


def home(site: Site) -> None:
    idx = site.index
    vocab = vocabulary()
    supplier_items = [(name, n, site.supplier_href(name)) for name, n in list(idx["by_supplier"].items())[:25]]
    sc_items = [(site.country_name(iso), n, site.country_href(iso)) for iso, n in idx["by_supplier_country"].items()]
    site.render("index.html", "index.html", idx=idx,
                map_svg=world_svg(_tech_values(site), href=site.country_href, title=partial(_title, site)),
                supplier_chart=charts.hbars(supplier_items, "Countries reached per supplier"),
                supplier_country_chart=charts.hbars(sc_items, "Countries reached per supplier country"),
                year_chart=charts.by_year(idx["by_year"], "Adoption by year"),
                regime_chart=charts.regime_shares(idx["by_regime_type"], idx["regime_counts"], vocab.regime_types,
                                                  vocab.aigs_categories, "Shares by regime type"),
                category_chart=charts.hbars([(vocab.aigs_categories[c], idx["by_aigs_category"][c], None)
                                             for c in AIGS_CATEGORIES], "Countries per AIGS category"))


class ClaimView(NamedTuple):
    """A claim as ``claim_item`` lists it (attributes, not a dict: Jinja reads an attribute first)."""

    c: ShownClaim
    doc: Document | None
    supplier_href: str | None
    example: bool  # from the bundled example evidence set


def _claim_views(site: Site, iso3: str) -> Iterator[ClaimView]:
    for c, doc in site.selection.country_claims(iso3):
        yield ClaimView(c, doc, site.supplier_href(c.supplier) if c.supplier else None,
                        bool(doc and doc.meta.get("example")))


def country(site: Site, iso3: str) -> None:
    targeted = targeted_pages.country_profile(site, iso3)
    d = site.index["countries_detail"].get(iso3) or _no_mass(site, iso3)
    count = len(d["claims"]) or len(targeted["claims"] if targeted else ())
    site.render(f"countries/{iso3}.html", "country.html", iso3=iso3, d=d, claims=_claim_views(site, iso3),
                claim_count=count, targeted=targeted,
                map_svg=locator_svg(iso3, "../static/world.svg", label=d["name"]))


def _no_mass(site: Site, iso3: str) -> dict[str, Any]:
    """The mass profile of a country documented for targeted surveillance only (its BRI membership and regime
    type from the same reference data as the index's)."""
    from datetime import date

    from survindex.index._ref import default_reference

    as_of = site.index.get("as_of")
    year = int(as_of[:4]) if as_of else date.today().year
    return {"name": site.country_name(iso3), "technologies": [], "aigs_categories": [], "suppliers": [],
            "supplier_countries": [], "financiers": [], "bri": iso3 in site.index["bri"].get("member_countries", []),
            "regime": default_reference().regime(iso3, year), "first_year": None, "claims": []}


def _reach(site: Site, table: str, key: str) -> dict[str, list[str]]:
    """The countries behind a figure (``evidence`` lists them), as the pages' {iso3: claims} mapping."""
    return {iso: [] for iso in site.index["evidence"][table].get(key, ())}


def supplier(site: Site, name: str) -> None:
    reach = {**_reach(site, "by_supplier", name), **{iso: [] for iso in targeted_pages.supplier_reach(site, name)}}
    site.render(f"suppliers/{site.supplier_slugs[name]}.html", "supplier.html", name=name, reach=reach,
                hq=_hq(site, name, reach),
                map_svg=overlay_svg({iso: 1 for iso in reach}, href=partial(site.country_href, root="../"),
                                    title=site.country_name, label=f"countries reached by {name}"))


def _hq(site: Site, name: str, reach: dict[str, list[str]]) -> str | None:
    from survindex.index._ref import default_reference

    return default_reference().hq_country(name) or (site.selection.supplier_country(name) if reach else None)


def technology(site: Site, key: str) -> None:
    reach = _reach(site, "by_technology", key)
    site.render(f"technologies/{key}.html", "technology.html", key=key, tech=vocabulary().technologies[key],
                reach=reach, map_svg=overlay_svg({iso: 1 for iso in reach}, href=partial(site.country_href, root="../"),
                                                 title=site.country_name, label=f"countries with {key}"))


def simple(site: Site, name: str, **ctx: Any) -> None:
    site.render(f"{name}.html", f"{name}.html", **ctx)


def jobs(site: Site, countries: bool = True, profiles: bool = True) -> list[Callable[[], None]]:
    """One callable per page, so the builder can show progress (``countries=False``: all but the country pages,
    which worker processes render; ``profiles=False``: nor the supplier and technology pages, which list cases
    the country workers summarise)."""
    out: list[Callable[[], None]] = [
        partial(home, site),
        partial(simple, site, "countries"),
        partial(simple, site, "suppliers"),
        partial(simple, site, "technologies"),
        partial(simple, site, "sources", reference=_sources(), documents=site.selection.documents(),
                documents_count=site.selection.document_count()),
        partial(simple, site, "downloads", formats=FORMATS),
        partial(targeted_pages.page, site),
    ]
    out += [partial(country, site, iso) for iso in targeted_pages.countries(site)] if countries else []
    return out + (profile_jobs(site) if profiles else [])


def profile_jobs(site: Site) -> list[Callable[[], None]]:
    """The supplier and technology pages."""
    out: list[Callable[[], None]] = [partial(supplier, site, name) for name in site.supplier_slugs]
    return out + [partial(technology, site, key) for key, n in site.index["by_technology"].items() if n]
