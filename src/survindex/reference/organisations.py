"""Companies (surveillance-technology suppliers) and financiers: alias tables with exact-then-fuzzy resolution."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import Any

from survindex.reference._data import load_yaml
from survindex.reference._text import key

# Trailing words dropped before matching ("Hikvision Digital Technology Co., Ltd." -> "hikvision digital").
LEGAL_SUFFIXES = frozenset(
    "inc incorporated ltd limited llc llp lp plc co company corp corporation gmbh ag kg sa sas sarl srl spa bv nv ab "
    "publ oy oyj asa as kk pte pvt pty private se jsc pjsc ojsc ooo group holdings holding technologies technology "
    "tech systems system solutions industries international intl enterprise enterprises".split()
)
# Words that never identify an organisation on their own, however they are combined.
GENERIC = frozenset(
    "the a an and of for de camera cameras cctv video surveillance security safe smart city cities police system "
    "systems technology technologies tech solutions solution company companies group international global digital "
    "vision intelligence data network networks software hardware ai government bank "
    "ministry services service communications telecom integrated unknown other various "
    "n a na none vendor supplier contractor local private public drone drones".split()
)
# Words that never identify a financier on their own.
GENERIC_FINANCE = frozenset(
    "the a an and of for de bank banks government governments ministry fund funds agency development export import "
    "credit insurance finance financing investment state national loan loans lender lenders donor donors unknown "
    "other various n a na none china chinese embassy public private commercial policy multilateral".split()
)
_PAREN = re.compile(r"\s*\(([^()]*)\)\s*")
FUZZY_THRESHOLD = 92.0
FUZZY_MIN_LENGTH = 6


@dataclass(frozen=True)
class Company:
    canonical: str
    aliases: tuple[str, ...]
    hq_country: str  # ISO3
    parent: str | None
    qid: str | None  # Wikidata QID, only where verified
    kind: str
    description: str
    technology: str | None = None  # vocabulary key of the one technology its products are, where the kind is too broad
    source: str | None = None  # where its headquarters country comes from (companies_targeted.yaml)
    products: tuple[str, ...] = ()  # product names a text may name instead of the company ("Pegasus", "UFED")


@dataclass(frozen=True)
class Financier:
    canonical: str
    aliases: tuple[str, ...]
    country: str  # ISO3
    type: str


def strip_steps(k: str) -> list[str]:
    """The folded key, then with each trailing legal-form word (and "of america") dropped in turn; the last step
    keeps at least one word: "china electronics corp inc" -> [..., "china electronics corp", "china electronics"]."""
    words = k.split()
    steps = [k]
    if len(words) > 2 and words[-2:] == ["of", "america"]:
        words = words[:-2]
        steps.append(" ".join(words))
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
        steps.append(" ".join(words))
    return steps


def strip_legal(k: str) -> str:
    """The key without trailing legal-form words ("hikvision digital technology co ltd" -> "hikvision digital")."""
    return strip_steps(k)[-1]


def is_generic(k: str, generic: frozenset[str] = GENERIC) -> bool:
    """True when every word of a folded key is generic or a legal suffix ("Systems", "Camera Co.")."""
    return all(w in generic or w in LEGAL_SUFFIXES for w in k.split())


@dataclass(frozen=True)
class _AliasIndex:
    exact: dict[str, str]  # folded alias -> canonical
    stripped: dict[str, str]  # folded alias without legal suffixes -> canonical
    choices: tuple[str, ...]  # stripped keys long enough for fuzzy matching
    generic: frozenset[str]


def _build_index(entries: list[tuple[str, tuple[str, ...]]], what: str, generic: frozenset[str]) -> _AliasIndex:
    exact: dict[str, str] = {}
    stripped: dict[str, str] = {}
    for canonical, aliases in entries:
        for alias in (canonical, *aliases):
            k = key(alias)
            if not k or k in generic or k in LEGAL_SUFFIXES:
                raise ValueError(f"{what} {canonical!r}: alias {alias!r} is empty or a generic word")
            if exact.get(k, canonical) != canonical:
                raise ValueError(f"{what} alias {alias!r} names both {exact[k]!r} and {canonical!r}")
            exact[k] = canonical
    ambiguous: set[str] = set()
    for k, canonical in exact.items():
        s = strip_legal(k)
        if s in exact or is_generic(s, generic):
            continue
        if stripped.setdefault(s, canonical) != canonical:
            ambiguous.add(s)  # "china electronics": CETC or CEC; neither
    for s in ambiguous:
        del stripped[s]
    choices = tuple(k for k in (*exact, *stripped) if len(k) >= FUZZY_MIN_LENGTH and k not in ambiguous)
    return _AliasIndex(exact, stripped, choices, generic)


def _resolve(index: _AliasIndex, text: str) -> str | None:
    """Whole text first; then, for "Name (Other)", the text without the parenthesis and each part inside it."""
    if not isinstance(text, str):
        return None
    found = _resolve_one(index, text)
    if found is None and "(" in text:
        for candidate in (_PAREN.sub(" ", text), *_PAREN.findall(text)):
            found = _resolve_one(index, candidate)
            if found is not None:
                break
    return found


def _resolve_one(index: _AliasIndex, text: str) -> str | None:
    steps = strip_steps(key(text))
    for step in steps:  # curated aliases win, even when made of common words ("Bank of China Ltd")
        if step in index.exact:
            return index.exact[step]
    s = steps[-1]
    hit = index.stripped.get(s)
    if hit or len(s) < FUZZY_MIN_LENGTH or is_generic(s, index.generic):
        return hit
    return _fuzzy(index, s)


def _fuzzy(index: _AliasIndex, s: str) -> str | None:
    """The closest alias by edit ratio, if >= FUZZY_THRESHOLD and starting with the same letter."""
    from rapidfuzz import fuzz, process  # imported on first fuzzy lookup: extraction never needs it

    best = process.extractOne(s, index.choices, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD)
    if best is None or best[0][0] != s[0]:
        return None
    choice: str = best[0]
    return index.exact.get(choice) or index.stripped.get(choice)


def _check_fields(row: dict[str, Any], required: set[str], optional: set[str], where: str) -> None:
    """Strict on structure: a missing or unknown field in a hand-written table is an error."""
    missing, unknown = required - set(row), set(row) - required - optional
    if missing or unknown:
        raise ValueError(f"{where} entry {row.get('canonical')!r}: "
                         f"missing {sorted(missing)}, unknown {sorted(unknown)}")


# ------------------------------------------------------------------------------------------------ companies
COMPANY_FILES = ("companies.yaml", "companies_targeted.yaml")


@cache
def _companies() -> dict[str, Company]:
    out: dict[str, Company] = {}
    sources: dict[str, str] = {}
    for filename in COMPANY_FILES:
        data = load_yaml(filename)
        sources.update(data.get("sources") or {})
        for r in data["companies"]:
            _check_fields(r, {"canonical", "aliases", "hq_country", "kind", "description"},
                          {"parent", "qid", "technology", "source", "products"}, filename)
            if r["canonical"] in out:
                raise ValueError(f"company {r['canonical']!r} is listed twice in {', '.join(COMPANY_FILES)}")
            out[r["canonical"]] = Company(
                canonical=r["canonical"], aliases=tuple(dict.fromkeys(str(a) for a in r.get("aliases") or ())),
                hq_country=r["hq_country"], parent=r.get("parent"), qid=r.get("qid"), kind=r["kind"],
                description=" ".join(str(r.get("description", "")).split()), technology=r.get("technology"),
                source=r.get("source"), products=tuple(str(p) for p in r.get("products") or ()))
    for canonical, source in sources.items():
        if canonical not in out:
            raise ValueError(f"companies_targeted.yaml: sources names unknown company {canonical!r}")
        out[canonical] = replace(out[canonical], source=source)
    return out


@cache
def _company_index() -> _AliasIndex:
    return _build_index([(c.canonical, (*c.aliases, *c.products)) for c in _companies().values()], "company", GENERIC)


def companies() -> list[Company]:
    """Every known supplier, in file order."""
    return list(_companies().values())


def company(canonical: str) -> Company:
    """The company with this canonical name; ``KeyError`` with a clear message if unknown."""
    try:
        return _companies()[canonical]
    except KeyError:
        raise KeyError(f"unknown company {canonical!r} (see survindex reference list companies)") from None


@lru_cache(maxsize=65536)
def resolve_company(text: str) -> Company | None:
    """Exact alias (after folding and legal-suffix stripping), then a conservative fuzzy match for misspellings."""
    canonical = _resolve(_company_index(), text)
    return _companies()[canonical] if canonical else None


# ------------------------------------------------------------------------------------------------ financiers
@cache
def _financiers() -> dict[str, Financier]:
    rows: list[dict[str, Any]] = load_yaml("financiers.yaml")["financiers"]
    out: dict[str, Financier] = {}
    for r in rows:
        _check_fields(r, {"canonical", "aliases", "country", "type"}, set(), "financiers.yaml")
        if r["canonical"] in out:
            raise ValueError(f"financier {r['canonical']!r} is listed twice in financiers.yaml")
        out[r["canonical"]] = Financier(canonical=r["canonical"], country=r["country"], type=r["type"],
                                        aliases=tuple(dict.fromkeys(str(a) for a in r.get("aliases") or ())))
    return out


@cache
def _financier_index() -> _AliasIndex:
    return _build_index([(f.canonical, f.aliases) for f in _financiers().values()], "financier", GENERIC_FINANCE)


def financiers() -> list[Financier]:
    """Every known financier, in file order."""
    return list(_financiers().values())


@lru_cache(maxsize=65536)
def resolve_financier(text: str) -> Financier | None:
    """Exact alias (after folding), then a conservative fuzzy match."""
    canonical = _resolve(_financier_index(), text)
    return _financiers()[canonical] if canonical else None
