"""The few reference look-ups the index needs, behind one small protocol so tests can pass their own."""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol


class Reference(Protocol):
    """What the index asks of the reference data (``survindex.reference`` satisfies it)."""

    def hq_country(self, supplier: str) -> str | None: ...
    def bri_members(self, as_of: date) -> set[str]: ...
    def regime(self, iso3: str, year: int) -> str | None: ...
    def name(self, iso3: str) -> str: ...
    def demonym(self, iso3: str) -> str | None: ...


class PackageReference:
    """``Reference`` over the bundled reference data in ``survindex.reference``."""

    def __init__(self) -> None:
        import survindex.reference as ref

        self._ref: Any = ref

    def hq_country(self, supplier: str) -> str | None:
        try:
            company = self._ref.company(supplier)
        except (LookupError, ValueError):
            return None
        return getattr(company, "hq_country", None) if company is not None else None

    def bri_members(self, as_of: date) -> set[str]:
        return set(self._ref.bri_members(as_of))

    def regime(self, iso3: str, year: int) -> str | None:
        """The regime type in ``year``, else the latest earlier year available (up to 15 years back)."""
        for y in range(year, year - 16, -1):
            try:
                value = self._ref.regime(iso3, y)
            except (LookupError, ValueError):
                return None
            if value:
                return str(value)
        return None

    def name(self, iso3: str) -> str:
        try:
            return str(self._ref.country_name(iso3))
        except (LookupError, ValueError):
            return iso3

    def demonym(self, iso3: str) -> str | None:
        value = self._ref.country_demonym(iso3)
        return str(value) if value else None


_DEFAULT: Reference | None = None


def default_reference() -> Reference:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = PackageReference()
    return _DEFAULT
