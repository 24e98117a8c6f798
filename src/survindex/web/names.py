"""Names and groupings from the reference registry (country names, BRI membership), with fallbacks to
pycountry and the claims themselves while the registry is incomplete."""

from __future__ import annotations

from functools import cache
from typing import Any

from survindex.model import vocabulary
from survindex.store import ClaimFilter, Store
from survindex.store import search as ss


@cache
def country_name(iso3: str | None) -> str:
    if not iso3:
        return ""
    try:
        from survindex import reference

        rec: Any = reference.country(iso3)
        name = getattr(rec, "name", None) or (rec.get("name") if isinstance(rec, dict) else None)
        if name:
            return str(name)
    except Exception:  # noqa: BLE001 - the registry is optional here; fall back to pycountry
        pass
    import pycountry

    found = pycountry.countries.get(alpha_3=iso3.upper())
    return str(getattr(found, "name", iso3)) if found else iso3


def country_facts(iso3: str) -> dict[str, Any]:
    """Belt and Road membership and regime type from the reference tables (None when unknown)."""
    try:
        from survindex import reference

        regime = reference.regime(iso3)
        return {"bri_member": reference.is_bri_member(iso3), "regime_type": regime,
                "regime_label": vocabulary().regime_types.get(regime or "")}
    except Exception:  # noqa: BLE001 - a page must not fail because a reference table is being refreshed
        return {"bri_member": None, "regime_type": None, "regime_label": None}


def bri_members(store: Store) -> tuple[str, ...]:
    """ISO3 codes of Belt and Road members (the reference table; else accepted membership claims)."""
    try:
        from survindex.reference import bri_members as reference_members
    except ImportError:
        q = ss.ClaimQuery(ClaimFilter(kind="membership", status="accepted"))
        return tuple(sorted({r["country"] for r in ss.claim_rows(store, q, limit=5000) if r["country"]}))
    return tuple(sorted(reference_members()))
