"""Country names cut short, as tables transcribed from PDFs carry them (``United Kingdo``, ``Czech Republ``,
``United Arab E``): the countries one of whose names starts with the text. A caller resolves the text only when
there is exactly one, and says so; an ambiguous prefix keeps its candidates for the report."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from survindex.reference._text import key

MIN_LETTERS = 4  # "Ma", "Nig" are too short to stand for a country


@dataclass(frozen=True)
class PrefixMatch:
    text: str
    iso3: str | None  # the one country the prefix names, else None
    candidates: tuple[str, ...] = ()  # ISO3 of every country with a name that starts with the text

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


@cache
def _names() -> tuple[tuple[str, str], ...]:
    """(folded name, ISO3) of every name of every country, sorted."""
    from survindex.reference.countries import countries

    pairs = {(key(n), c.iso3) for c in countries() for n in (c.name, c.official_name, *c.names) if n}
    return tuple(sorted(p for p in pairs if p[0]))


def resolve_country_prefix(text: str) -> PrefixMatch:
    """The countries whose name the text is a strict prefix of (folded: case, accents, punctuation)."""
    k = key(text) if isinstance(text, str) else ""
    if len(k.replace(" ", "")) < MIN_LETTERS:
        return PrefixMatch(text, None, ())
    found = sorted({iso for name, iso in _names() if name.startswith(k) and name != k})
    return PrefixMatch(text, found[0] if len(found) == 1 else None, tuple(found))
