"""Canonical keys that grouping compares (pure lookups over package data, each computed once per name).

- A supplier's key is its registry name (``resolve_company``), else the name as written, casefolded; a prime
  contractor (``reference/data/contractors.yaml``: Safaricom, CEIEC, ...) is known apart from the makers.
- A deployer's key is the public body it names (``reference/data/public_bodies.yaml``: "Sedena", "Mexican Army"
  and "Secretariat of National Defense" are one), ``GOVERNMENT`` for the country's government in general
  ("Government of Uganda", "Ugandan government"; ``cases/grouping.yaml``), else None (grouping then compares the
  words as written).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib import resources

from rapidfuzz import fuzz

from survindex.model import yamlio
from survindex.reference._text import key as fold_key

GOVERNMENT = "government"  # the deployer key of a country's government named in general
DEPLOYER_MATCH = 90  # rapidfuzz token_set_ratio at or above which two deployer names are one
_WORD = re.compile(r"[^\W_]+")
_STOP = frozenset("the of and for in s a an to on by with".split())
_PAREN = re.compile(r"\s*\(([^()]*)\)\s*")


def words(text: str | None) -> list[str]:
    """The folded words of a name or quote, without the commonest English function words."""
    return [w for w in _WORD.findall((text or "").casefold()) if w not in _STOP]


@cache
def _generic_words() -> frozenset[str]:
    text = resources.files("survindex.cases").joinpath("grouping.yaml").read_text("utf-8")
    return frozenset(str(w) for w in yamlio.load(text)["generic_deployer_words"]) | _STOP


@lru_cache(maxsize=100_000)
def supplier_key(name: str | None) -> str:
    """The registry name of a supplier, casefolded (the name as written when the registry does not know it)."""
    if not name or not name.strip():
        return ""
    from survindex.reference import resolve_company

    company = resolve_company(name)
    return (company.canonical if company else " ".join(name.split())).casefold()


@cache
def _contractors() -> dict[str, frozenset[str]]:
    """Folded name or alias of each prime contractor -> the supplier keys of its known makers."""
    from survindex.reference.contractors import contractors

    out: dict[str, frozenset[str]] = {}
    for c in contractors():
        makers = frozenset(supplier_key(m) for m in c.makers)
        for n in (c.name, *c.aliases):
            out[fold_key(n)] = makers
            out[supplier_key(n)] = makers
    return out


@lru_cache(maxsize=100_000)
def contractor_makers(supplier: str) -> frozenset[str] | None:
    """For the key of a prime contractor, the keys of the makers it is known to deliver with; else None."""
    return _contractors().get(supplier) or _contractors().get(fold_key(supplier)) if supplier else None


@cache
def _bodies(country: str) -> dict[str, str]:
    """Folded names and aliases of the country's public bodies -> the body's key (``GOVERNMENT`` for leaders)."""
    from survindex.reference.public_bodies import public_bodies

    out: dict[str, str] = {}
    for b in public_bodies():
        if b.country != country:
            continue
        name = _PAREN.sub(" ", b.name)  # "National Police Service (Kenya)": the qualifier names the state
        target = GOVERNMENT if b.kind == "leader" else " ".join(words(fold_key(name)))
        for n in (b.name, name, *b.aliases):
            out.setdefault(fold_key(n), target)
    return out


@cache
def _country_words(country: str) -> frozenset[str]:
    from survindex.reference import country as lookup

    try:
        c = lookup(country)
    except KeyError:
        return frozenset()
    return frozenset(w for n in (*c.names, *c.demonyms) for w in words(fold_key(n)))


@lru_cache(maxsize=100_000)
def deployer_key(name: str, country: str | None) -> str | None:
    """The canonical key of a deployer named in a claim of ``country``: its public body, ``GOVERNMENT``, or None."""
    if not country:
        return None
    bodies = _bodies(country)
    for candidate in (name, _PAREN.sub(" ", name), *_PAREN.findall(name)):
        found = bodies.get(fold_key(candidate))
        if found:
            return found
    ws = words(fold_key(name))
    if ws and set(ws) <= _generic_words() | _country_words(country):
        return GOVERNMENT
    rest = " ".join(w for w in ws if w not in _generic_words())  # "the Museveni government": its leader's name
    return GOVERNMENT if rest != " ".join(ws) and bodies.get(rest) == GOVERNMENT else None


def deployer_keys(names: Iterable[str], country: str | None) -> dict[str, str]:
    """Each deployer name -> its key: its public body or ``GOVERNMENT``; else the key of the first name (in sorted
    order, public bodies first) whose words it matches closely. Only names sharing the first four letters of a
    word are compared."""
    out: dict[str, str] = {}
    loose: list[str] = []
    for name in sorted(set(names)):
        canon = deployer_key(name, country)
        if canon is None:
            loose.append(name)
        else:
            out[name] = canon
    reps: list[str] = []
    block: dict[str, list[int]] = defaultdict(list)

    def add(rep: str) -> str:
        for w in set(rep.split()):
            block[w[:4]].append(len(reps))
        reps.append(rep)
        return rep

    for rep in sorted(set(out.values()) - {GOVERNMENT}):
        add(rep)
    for name in loose:
        k = " ".join(words(name))
        near = sorted({i for w in set(k.split()) for i in block.get(w[:4], ())})
        out[name] = next((reps[i] for i in near if fuzz.token_set_ratio(k, reps[i]) >= DEPLOYER_MATCH), None) \
            or (add(k) if k else "")
    return out
