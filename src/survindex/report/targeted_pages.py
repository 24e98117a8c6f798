"""The report's targeted-surveillance page (Carnegie's spyware & digital forensics inventory reproduced, and joined
to the mass AI-surveillance index), its map layers, and the targeted parts of country and supplier pages."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from survindex.model import vocabulary
from survindex.report import charts
from survindex.report.layers import Layer, joined_layers, layered_svg, toggle

if TYPE_CHECKING:
    from survindex.report.site import Site


def section(site: Site) -> dict[str, Any]:
    """The index's targeted section (empty when the index predates it)."""
    value: dict[str, Any] = site.index.get("targeted") or {}
    return value


def countries(site: Site) -> list[str]:
    """Countries with a page: those of the mass index and those with targeted surveillance only."""
    targeted = section(site).get("countries_detail") or {}
    return sorted(set(site.index["countries_detail"]) | set(targeted))


def vendors(site: Site) -> list[str]:
    return list((section(site).get("by_vendor") or {}).keys())


def map_layers(site: Site) -> list[Layer]:
    return joined_layers((section(site).get("joined") or {}).get("countries") or {})


def _tip(site: Site, iso: str) -> str:
    c = ((section(site).get("joined") or {}).get("countries") or {}).get(iso)
    if not c:
        return site.country_name(iso)
    parts = []
    if c["mass"]:
        parts.append("mass: " + ", ".join(vocabulary().technologies[t].label for t in c["mass"]["technologies"])
                     if c["mass"]["technologies"] else "mass: suppliers named")
    if c["targeted"]:
        parts.append("targeted: " + ", ".join(c["targeted"]["vendors"] or ["undisclosed vendor"]))
    return f"{c['name']}: " + "; ".join(parts)


def page(site: Site) -> None:
    """``targeted.html``: published figures beside computed ones, counts, the joined view and the layered map."""
    t = section(site)
    layers = map_layers(site)
    sc = [(site.country_name(iso), n, None) for iso, n in (t.get("by_vendor_country") or {}).items()]
    written = t.get("vendor_names") or {}
    vendor_items = [(name + (f" ({', '.join(written[name])})" if name in written else ""), n, site.supplier_href(name))
                    for name, n in list((t.get("by_vendor") or {}).items())[:25]]
    site.render("targeted.html", "targeted.html", t=t,
                map_svg=layered_svg(layers, href=site.country_href, title=partial(_tip, site)),
                map_toggle=toggle(layers),
                vendor_chart=charts.hbars(vendor_items, "Governments per vendor"),
                vendor_country_chart=charts.hbars(sc, "Governments per vendor country"))


def country_profile(site: Site, iso3: str) -> dict[str, Any] | None:
    """The country's targeted profile (categories, vendors, origin countries, regime by source and by table)."""
    detail: dict[str, Any] | None = (section(site).get("countries_detail") or {}).get(iso3)
    return detail


def supplier_reach(site: Site, name: str) -> dict[str, list[str]]:
    """Governments a targeted vendor supplied, with the claim ids behind each."""
    reach: dict[str, list[str]] = ((section(site).get("evidence") or {}).get("by_vendor") or {}).get(name, {})
    return reach
