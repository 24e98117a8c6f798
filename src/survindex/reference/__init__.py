"""Reference data: countries (names, demonyms, places), companies, financiers, BRI membership and regime types.

Every table is package data written or derived by this project, citing its sources (``sources()``).
Lookups are built once and resolve through one normalised key.
"""

from __future__ import annotations

from survindex.reference._text import fold, key
from survindex.reference.countries import (Country, countries, country, country_demonym, country_name,
                                           place_country, resolve_country)
from survindex.reference.organisations import (
    Company,
    Financier,
    companies,
    company,
    financiers,
    resolve_company,
    resolve_financier,
)
from survindex.reference.tables import (
    ReferenceImportError,
    bri_members,
    is_bri_member,
    parse_as_of,
    refresh_bri,
    refresh_regimes,
    regime,
    regime_years,
    sources,
)


def financier(canonical: str) -> Financier:
    """The financier with this canonical name; ``KeyError`` with a clear message if unknown."""
    for f in financiers():
        if f.canonical == canonical:
            return f
    raise KeyError(f"unknown financier {canonical!r} (see survindex reference list financiers)")


__all__ = [
    "Company", "Country", "Financier", "ReferenceImportError", "bri_members", "companies", "company", "countries",
    "country", "country_demonym", "country_name", "financier", "financiers", "fold", "is_bri_member", "key", "parse_as_of", "place_country",
    "refresh_bri", "refresh_regimes", "regime", "regime_years", "resolve_company", "resolve_country",
    "resolve_financier", "sources",
]
