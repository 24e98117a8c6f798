"""Targeted surveillance in the web app: the index's targeted section (accepted claims), the targeted part of
country, supplier and technology pages with each claim's sources, and the ``/targeted`` page with the layered map."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from survindex.model import vocabulary
from survindex.store import Store
from survindex.web.names import country_name
from survindex.web.state import DataCache


def section(store: Store, cache: DataCache) -> dict[str, Any]:
    """The targeted section of the index over accepted claims: the home page's cached index
    (``views.cached_index``)."""
    from survindex.web.views import cached_index

    return dict(cached_index(store, cache).get("targeted") or {})


SHOWN = 25  # targeted claims listed on a profile page (Carnegie lists at most a few per government and vendor)


def _claims(store: Store, **match: str) -> list[dict[str, Any]]:
    """The accepted targeted claims of a country or vendor (``country=`` / ``supplier=``) with their sources, by
    vendor, year and id (the first ``SHOWN``), in one query."""
    from sqlalchemy import select

    from survindex.store import schema as s
    from survindex.store.aggregates import counted
    from survindex.store.core import _row_claim

    v = vocabulary()
    c = s.claims.c
    q = (select(s.claims).where(*counted("accepted"), c.kind == "deployment",
                                c.technology.in_([k for k in v.technologies if v.targeted_for(k)]),
                                *(c[k] == value for k, value in match.items()))
         .order_by(c.supplier, c.year, c.id).limit(SHOWN))
    with store.engine.connect() as conn:
        claims = [_row_claim(r) for r in conn.execute(q)]
    return [{"id": x.id, "url": f"/claim/{x.id}", "supplier": x.supplier, "supplier_country": x.supplier_country,
             "technology": x.technology, "year": x.year, "quote": x.quote, "confidence": x.confidence,
             "vendor": x.original.get("vendor"), "category": x.original.get("category"),
             "period_of_use": x.original.get("period_of_use"), "citations": list(x.citations)} for x in claims]


def country(store: Store, cache: DataCache, iso3: str) -> dict[str, Any] | None:
    """The country's targeted profile and its claims with their sources, or None."""
    d = (section(store, cache).get("countries_detail") or {}).get(iso3.upper())
    if not d:
        return None
    return {**{k: v for k, v in d.items() if k != "claims"}, "claims": _claims(store, country=iso3.upper()),
            "claim_count": len(d["claims"])}


def supplier(store: Store, cache: DataCache, name: str) -> dict[str, Any] | None:
    """Governments a targeted vendor supplied (with the claims behind each), or None."""
    reach = ((section(store, cache).get("evidence") or {}).get("by_vendor") or {}).get(name)
    if not reach:
        return None
    return {"governments": len(reach), "countries": [{"iso3": iso, "name": country_name(iso)} for iso in reach],
            "claims": _claims(store, supplier=name),
            "claim_count": len({cid for ids in reach.values() for cid in ids})}


def technology(store: Store, cache: DataCache, key: str) -> dict[str, Any] | None:
    """Governments using a targeted technology, or None for a technology without a targeted category."""
    category = vocabulary().targeted_for(key)
    if category is None:
        return None
    t = section(store, cache)
    reach = ((t.get("evidence") or {}).get("by_technology") or {}).get(key, {})
    return {"category": category, "label": vocabulary().targeted_categories[category], "governments": len(reach),
            "countries": [{"iso3": iso, "name": country_name(iso)} for iso in reach],
            "by_vendor": {v: n for v, n in (t.get("by_vendor") or {}).items()
                          if set(((t.get("evidence") or {}).get("by_vendor") or {}).get(v, {})) & set(reach)}}


def page(store: Store, cache: DataCache) -> dict[str, Any]:
    """``/targeted``: published figures beside computed ones, counts, the joined view and the layered map."""
    from survindex.index.targeted import summary

    t = section(store, cache)
    out: dict[str, Any] = {"title": "Targeted surveillance", "targeted": summary(t) if t else {},
                           "countries": (t.get("joined") or {}).get("countries") or {}}
    out["map"], out["map_toggle"] = _map(out["countries"])
    return out


def _map(countries: dict[str, Any]) -> tuple[Markup, Markup]:
    try:
        from survindex.report.layers import joined_layers, layered_svg, toggle
    except ImportError:
        return Markup(""), Markup("")
    layers = joined_layers(countries)
    svg = layered_svg(layers, href=lambda iso: f"/country/{iso}", title=lambda iso: countries[iso]["name"]
                      if iso in countries else country_name(iso), resolution="110m")
    return Markup(svg), Markup(toggle(layers))  # noqa: S704 - the report's SVG escapes its text
