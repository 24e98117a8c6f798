"""Mass AI surveillance and targeted surveillance side by side, per country and per supplier bloc."""

from __future__ import annotations

from typing import Any

from survindex.index._ref import Reference


def _mass(d: dict[str, Any]) -> dict[str, Any]:
    return {"technologies": d.get("technologies", []), "aigs_categories": d.get("aigs_categories", []),
            "suppliers": d.get("suppliers", []), "supplier_countries": d.get("supplier_countries", [])}


def _targeted(d: dict[str, Any]) -> dict[str, Any]:
    return {"categories": d.get("categories", []), "vendors": d.get("vendors", []),
            "unknown_vendor": bool(d.get("unknown_vendor")), "vendor_countries": d.get("vendor_countries", [])}


def countries(mass: dict[str, Any], targeted: dict[str, Any], ref: Reference) -> dict[str, dict[str, Any]]:
    """Per country: its mass profile (technologies, suppliers, supplier countries) and its targeted profile
    (categories, vendors, vendor countries); ``layer`` is ``mass``, ``targeted`` or ``both``."""
    out: dict[str, dict[str, Any]] = {}
    for iso in sorted(set(mass) | set(targeted)):
        d = mass.get(iso) or {}
        m = d if d.get("technologies") or d.get("suppliers") else None  # a deployment, not financing alone
        t = targeted.get(iso)
        if m is None and t is None:
            continue
        layer = "both" if m and t else ("mass" if m else "targeted")
        out[iso] = {"name": (m or t or {}).get("name") or ref.name(iso), "layer": layer,
                    "mass": _mass(m) if m else None, "targeted": _targeted(t) if t else None}
    return out


def blocs(per_country: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per supplier bloc (China, Israel, United States, Europe, Russia): countries it reaches with mass
    technology, with targeted technology, with either and with both."""
    from survindex.index.targeted import settings

    out: dict[str, dict[str, Any]] = {}
    for key, bloc in settings()["blocs"].items():
        members = set(bloc["countries"])
        mass = {iso for iso, c in per_country.items()
                if c["mass"] and members & set(c["mass"]["supplier_countries"])}
        targeted = {iso for iso, c in per_country.items()
                    if c["targeted"] and members & set(c["targeted"]["vendor_countries"])}
        out[key] = {"label": bloc["label"], "mass": len(mass), "targeted": len(targeted),
                    "either": len(mass | targeted), "both": len(mass & targeted),
                    "both_countries": sorted(mass & targeted)}
    return out


def joined(mass: dict[str, Any], targeted: dict[str, Any], ref: Reference) -> dict[str, Any]:
    """The joined view: headline counts, supplier blocs and the per-country profiles."""
    per_country = countries(mass, targeted, ref)
    layers = [c["layer"] for c in per_country.values()]
    return {
        "mass_countries": sum(1 for x in layers if x in ("mass", "both")),
        "targeted_countries": sum(1 for x in layers if x in ("targeted", "both")),
        "both": layers.count("both"), "mass_only": layers.count("mass"), "targeted_only": layers.count("targeted"),
        "both_countries": sorted(iso for iso, c in per_country.items() if c["layer"] == "both"),
        "supplier_blocs": blocs(per_country),
        "countries": per_country,
    }
