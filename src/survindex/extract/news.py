"""Long documents read as an analyst reads them: deployment drafts kept only where a state actor deploys, put in
that actor's country, and merged to one claim per fact per document (the other sentences kept as evidence).

Pure functions over the sentences and drafts the rules produced; no I/O.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from survindex.extract import roles
from survindex.extract.roles import Actor

MAIN_TECH_MIN = 3
LONG_DOCUMENT = 700  # characters: a news article or report, not a one-paragraph summary or a record title
_CERTAINTY = {"body": 0.8, "qualified": 0.8, "leader": 0.75, "subject": 0.75, "generic": 0.6,
              "carried": 0.55, "home": 0.5}


@dataclass
class Reading:
    """What the role analysis knows of one document: its language, its home state, each sentence's actors."""

    lang: str
    home: str | None
    found: list[list[Actor] | None]  # each sentence's actors; None until asked for (a sentence with no name in it)
    texts: list[str] = field(default_factory=list)  # each sentence's text
    paragraph: list[int] = field(default_factory=list)  # paragraph number of each sentence
    # Sentences that name who supplied a technology but no deployer ("supplied by a company called Innefu Labs"):
    # (start, end, draft), attached to the document's deployments of that technology at merge time.
    supply: list[tuple[int, int, dict[str, Any]]] = field(default_factory=list)
    places: list[set[str]] = field(default_factory=list)  # countries of the city-level places each sentence names
    main_tech: str | None = None  # the specific technology the document names most (at least MAIN_TECH_MIN times)


    def actors(self, i: int) -> list[Actor]:
        got = self.found[i]
        if got is None:
            got = self.found[i] = roles.actors(self.texts[i], [], 0, self.lang)
        return got


def is_long(text: str) -> bool:
    return len(text) >= LONG_DOCUMENT


def read(sentences: list[tuple[int, str, list[Any]]], text: str, fallback: str | None = None) -> Reading:
    """``sentences``: (document offset, sentence text, gazetteer mentions) in order; ``fallback``: the country
    the document is about when no actor names one (a US county's text, a title's country)."""
    lang = roles.language(text)
    # Only a sentence that names a country, a government or a public body can name a state: the others' actors
    # (bare nouns, with no state) are read when a rule asks for them.
    found: list[list[Actor] | None] = [
        roles.actors(t, ms, a, lang) if any("country" in m.kinds or "financier" in m.kinds or "body" in m.kinds
                                            for m in ms) else None for a, t, ms in sentences]
    # Actors of a sentence that reports no deployment (a lawsuit against the Delhi Police) still say which state
    # the document is about: they vote, at half weight (each actor listed once, the others twice).
    usable = [[] if acts is None else acts if acts and any(a.country for a in acts) and roles.blocked(t, lang)
              else acts + acts for acts, (_, t, _) in zip(found, sentences)]
    paragraph, n, prev_end = [], 0, 0
    for a, t, _ in sentences:
        if "\n\n" in text[prev_end:a] or "\n \n" in text[prev_end:a]:
            n += 1
        paragraph.append(n)
        prev_end = a + len(t)
    places = [{e.value for m in ms for e in m.entries if e.kind == "country" and e.detail in ("place", "us_place")
               and e.value} for _, _, ms in sentences]
    techs = Counter(e.value for _, _, ms in sentences for m in ms for e in m.entries
                    if e.kind == "tech" and e.detail == "specific" and e.value not in (None, "other"))
    main = techs.most_common(1)[0] if techs else None
    return Reading(lang, roles.home_country(usable, fallback), found, [t for _, t, _ in sentences], paragraph,
                   places=places,
                   main_tech=main[0] if main and main[1] >= MAIN_TECH_MIN else None)


def _deployers(r: Reading, i: int, text: str, draft_country: str | None) -> list[tuple[str | None, str]]:
    """(country, how) of the sentence's deploying state(s); [] when no state deploys in it."""
    acts = r.actors(i)
    if not acts and i > 0 and roles.continues(text, r.lang):
        acts = [Actor(a.country, 0, 0, "carried", a.supranational) for a in r.actors(i - 1)]
    if not acts:
        return []
    named: list[tuple[str | None, str]] = []
    for a in acts:
        if a.country is not None and all(a.country != c for c, _ in named):
            named.append((a.country, a.how))
    if named:
        return named
    if any(a.supranational for a in acts):
        return [(None, "body")]
    # A bare actor noun ("the police", "the regime") belongs to the document's home state; a country the sentence
    # names otherwise is a place, a target or a victim ("police surveillance footage of the attack in Russia").
    if draft_country is not None and (draft_country == r.home or draft_country in r.places[i]):
        return [(draft_country, "generic")]  # "… video streams in Palermo, Italy, notifying city officials"
    return [(r.home, "home")] if r.home and draft_country is None else []


def gate(r: Reading, i: int, text: str, drafts: list[dict[str, Any]], span: tuple[int, int] = (0, 0),
         parties: list[Any] | None = None) -> list[dict[str, Any]]:
    """The deployment drafts of sentence ``i`` that a state deploys, in that state's country; others pass.
    ``parties``: the sentence's suppliers (``facts.Party``), whose registry technology stands in for a technology
    the sentence does not name ("pagaron … a la empresa Hacking Team")."""
    deployments = [d for d in drafts if d.get("kind") == "deployment"] or _story_technology(r, i, text, drafts) \
        or _vendor_technology(r, text, drafts, parties or [])
    if not deployments:
        return drafts
    out = [d for d in drafts if d.get("kind") != "deployment"]
    if roles.blocked(text, r.lang) or roles.other_user(text, r.actors(i), r.lang):
        return out
    seen: set[tuple[Any, ...]] = set()
    for d in deployments:
        if d.get("technology") is None or d.get("negated") or not roles.evidenced(str(d["technology"]), text, r.lang):
            continue
        if d.get("supplier") and _person_named(text, str(d["supplier"])):
            d = _without_supplier(d)  # "Rafael Correa" is a person, not Rafael Advanced Defense Systems
        deployers = _deployers(r, i, text, d.get("country"))
        if not deployers and d.get("supplier") and roles.supplies(text, r.lang) \
                and roles.supplier_like(str(d["supplier"]), bool(d.get("supplier_resolved")), r.lang):
            r.supply.append((span[0], span[1], d))
        for country, how in deployers:
            key = (country, d.get("technology"), d.get("supplier"))
            if key in seen:
                continue
            seen.add(key)
            nd = dict(d, country=country)
            if nd.get("supplier") and not roles.supplier_like(str(nd["supplier"]), bool(nd.get("supplier_resolved")),
                                                              r.lang):
                nd = _without_supplier(nd)
            nd["confidence"] = _confidence(how, d)
            out.append(nd)
    return out


def _story_technology(r: Reading, i: int, text: str, drafts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """"The two companies had already sold software to Uganda's police force": a named state actor that acquires
    or uses an unnamed product ("software", "the system") in a document about one technology gets that
    technology."""
    if drafts or r.main_tech is None or not any(a.country and a.how != "generic" for a in r.actors(i)):
        return []
    if not roles.product_noun(text, r.lang) or not (roles.supplies(text, r.lang) or roles.uses(text, r.lang)):
        return []
    return [{"kind": "deployment", "country": None, "technology": r.main_tech, "stage": "unknown",
             "confidence": 0.5}]


def _vendor_technology(r: Reading, text: str, drafts: list[dict[str, Any]], parties: list[Any]
                       ) -> list[dict[str, Any]]:
    """A registry vendor of one technology in a sentence that pays, buys from or is supplied by it."""
    if drafts or not parties or not (roles.supplies(text, r.lang) or roles.uses(text, r.lang)):
        return []
    return [{"kind": "deployment", "country": None, "technology": p.technology, "stage": "unknown",
             "confidence": 0.5, "supplier": p.name, "supplier_country": p.country, "supplier_resolved": p.resolved}
            for p in parties if p.resolved and p.technology in _TARGETED]


_TARGETED = frozenset({"spyware", "digital_forensics", "network_interception", "location_tracking",
                       "social_media_monitoring"})  # vendors whose one product is the technology itself
_SUPPLIER_KEYS = ("supplier", "supplier_country", "supplier_resolved")


def _without_supplier(d: dict[str, Any]) -> dict[str, Any]:
    nd = {k: v for k, v in d.items() if k not in _SUPPLIER_KEYS}
    if nd.get("original"):
        nd["original"] = {k: v for k, v in nd["original"].items() if k != "supplier"}
    return nd


def _person_named(text: str, canonical: str) -> bool:
    """A registry company whose one-word short name is here a person's first name: every occurrence of that word
    is followed by a capitalised word the company's name does not hold ("Rafael Correa" is not Rafael Advanced
    Defense Systems)."""
    first = canonical.split()[0]
    if first == canonical:
        return False
    hits = list(re.finditer(r"\b" + re.escape(first) + r"\b", text))
    if not hits:
        return False
    for h in hits:
        nxt = re.match(r"\s+([A-Z][a-z]+)\b", text[h.end():])
        if nxt is None or nxt.group(1) in canonical:
            return False
    return True


def _confidence(how: str, d: dict[str, Any]) -> float:
    score = _CERTAINTY.get(how, 0.5)
    if d.get("negated") or d.get("stage") == "announced":
        score -= 0.1
    if d.get("supplier"):
        score += 0.05
    return round(score, 3)


def merge(found: list[tuple[int, int, dict[str, Any], bool]], text: str,
          supply: list[tuple[int, int, dict[str, Any]]] | None = None) -> list[tuple[int, int, dict[str, Any]]]:
    """One deployment claim per (country, technology, supplier) of a document: its span is the sentence that
    states it best, the others are its ``evidence``. A fact stated only in headings is dropped; a fact with no
    supplier joins the one supplier named for the same (country, technology)."""
    groups: dict[tuple[Any, ...], list[tuple[int, int, dict[str, Any], bool]]] = {}
    out: list[tuple[int, int, dict[str, Any]]] = []
    for item in found:
        d = item[2]
        if d.get("kind") != "deployment":
            out.append(item[:3])
            continue
        groups.setdefault((d.get("country"), d.get("technology"), d.get("supplier")), []).append(item)
    for key in [k for k in groups if k[2] is None]:
        named = [k for k in groups if k[:2] == key[:2] and k[2] is not None]
        if len(named) == 1:
            groups[named[0]] += groups.pop(key)
    _attach_suppliers(groups, supply or [])
    for items in groups.values():
        if all(weak for *_, weak in items):
            continue
        out.append(_merged(items, text))
    return out


def _attach_suppliers(groups: dict[tuple[Any, ...], list[tuple[int, int, dict[str, Any], bool]]],
                      supply: list[tuple[int, int, dict[str, Any]]]) -> None:
    """A supplier the document names for a technology (in a sentence with no deployer) joins the nearest
    deployment of that technology: it names that claim when it has no supplier yet, or makes its own claim for
    the same deployer."""
    for a, b, d in supply:
        tech, name = d.get("technology"), d.get("supplier")
        near = [k for k in groups if k[1] == tech and k[0] is not None]
        if not near:
            continue
        key = min(near, key=lambda k: min(abs(x - a) for x, _, _, _ in groups[k]))
        target = (key[0], tech, name)
        supplier = {k: d[k] for k in _SUPPLIER_KEYS if k in d}
        if key[2] is None and target not in groups:
            groups[target] = [(x, y, {**dd, **supplier}, w) for x, y, dd, w in groups.pop(key)]
        elif key[2] != name and target not in groups:
            groups[target] = [(a, b, {**groups[key][0][2], **supplier, "confidence": 0.6}, False)]
        if all((x, y) != (a, b) for x, y, _, _ in groups[target]):
            groups[target].append((a, b, {**groups[target][0][2], "confidence": 0.5}, True))


def _merged(items: list[tuple[int, int, dict[str, Any], bool]], text: str) -> tuple[int, int, dict[str, Any]]:
    best = max(items, key=lambda it: (not it[3], it[2].get("confidence", 0.0), -it[0]))
    a, b, d, _ = best
    spans = sorted({(x, y) for x, y, _, _ in items if (x, y) != (a, b)})
    d = dict(d)
    if d.get("supplier") is None:
        for _, _, other, _ in items:
            if other.get("supplier"):
                d.update({k: other[k] for k in ("supplier", "supplier_country", "supplier_resolved") if k in other})
                break
    support = len({(x, y) for x, y, _, weak in items if not weak})
    d["confidence"] = round(min(0.97, d.get("confidence", 0.5) + 0.05 * min(3, support - 1)), 3)
    d["evidence"] = tuple({"quote": text[x:y], "start": x, "end": y} for x, y in spans)
    return a, b, d
