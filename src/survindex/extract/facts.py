"""Per-sentence facts: which mentions are technologies, suppliers, financiers, and which countries play which role."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from survindex.extract import cues
from survindex.extract.gazetteer import Entry, Mention, lexicon
from survindex.extract.orgs import find_orgs

CAMERA_CAPABLE = ("body_worn_camera", "license_plate_recognition", "video_surveillance", "biometrics", "drone",
                  "facial_recognition", "other")
_BORDER_AFTER = re.compile(r"^(?:\s*[-–/]\s*[A-Z][\w.’']*(?:\s[A-Z][\w.]*)?)?\s+(?:border|borders|frontier)\b")
_BORDER_BEFORE = re.compile(r"\b(?:border|borders|frontier)\s+(?:with|between)\s+(?:the\s+)?$")
_BASED_AFTER = re.compile(r"^(?:-based|\s+based)\b", re.IGNORECASE)
_BASED_BEFORE = re.compile(r"\b(?:based|headquartered|incorporated|founded)\s+in\s+(?:the\s+)?$", re.IGNORECASE)
_FROM_BEFORE = re.compile(r"\b(?:from|come from|comes from|made in)\s+(?:the\s+)?(?:\w+\s+)?$", re.IGNORECASE)
_DISTANCE_BEFORE = re.compile(r"(?:\b(?:km|kilometers|kilometres|miles|mi|meters|metres)|\b(?:away|far|north|south|east|"
                              r"west|drive|hours?|minutes?))\s+from\s+(?:the\s+)?(?:\w+\s+)?$", re.IGNORECASE)
_MARKET_AFTER = re.compile(r"^\s*(?:[A-Z]\w*\s+)?(?:listing|IPO|stock exchange|Stock Exchange|bourse|shares)\b")
_MARKET_BEFORE = re.compile(r"\b(?:listed|listing|IPO|float(?:ed)?)\s+(?:in|on)\s+(?:the\s+)?$")
_BORDER_WORDS = frozenset({"border", "borders", "frontier"})
_MARKET_WORDS = frozenset({"listing", "ipo", "stock", "exchange", "bourse", "shares", "listed", "float", "floated"})
_SUPPLIER_PLACE_WORDS = frozenset({"based", "headquartered", "incorporated", "founded", "from", "made"})
_COORD = re.compile(r"^\s*(?:,|and|or|, and|&|/)\s*(?:the\s+)?$")
_POSSESSIVE = re.compile(r"^[’']s?\s+", re.IGNORECASE)
_FUNDER_AFTER = re.compile(r"^[’']?s?\s+(?:provides?|provided|donates?|donated|grants?|granted|lends?|lent|funds?|"
                           r"funded|finances?|financed|gives|gave|commits?|committed|extends?|extended|offers?)\b")
_GOV_AFTER = re.compile(r"^(?:[’']s)?\s+(?:Government|government|Embassy|embassy|Ministry|ministry|Ministry of [A-Z]\w+"
                        r"|State Council|Municipal Government|Provincial Government)\b")


@dataclass(slots=True)
class Party:
    """A supplier named in a sentence: registry canonical name (resolved) or the raw organisation name."""

    name: str
    country: str | None
    resolved: bool
    start: int  # document offset

    @property
    def technology(self) -> str | None:
        """The technology the registry says this company mainly sells, if any."""
        return company_technologies().get(self.name) if self.resolved else None


@cache
def company_technologies() -> dict[str, str]:
    """Company canonical name -> the technology its registry kind stands for (kept with the cached gazetteer)."""
    from survindex.extract.gazetteer import gazetteer

    return gazetteer().company_tech


@dataclass(slots=True)
class Tech:
    key: str
    start: int  # document offset
    specific: bool


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    text: str
    mentions: list[Mention]
    techs: list[Tech] = field(default_factory=list)
    generic: list[int] = field(default_factory=list)  # document offsets of generic camera mentions
    suppliers: list[Party] = field(default_factory=list)
    financiers: list[tuple[str, str | None, int]] = field(default_factory=list)  # canonical, country, offset
    deploy: list[str] = field(default_factory=list)  # ISO3 whose authorities use it (strong first)
    by_place: set[str] = field(default_factory=set)  # deploy countries known only from a city name
    named: set[str] = field(default_factory=set)  # countries named (name, demonym, US place) in any role
    supplier_countries: list[str] = field(default_factory=list)
    agency: bool = False  # a US agency cue, strong or weak ("county")
    strong_agency: bool = False  # a cue only US agencies use ("sheriff", "police department", "FBI")
    cache: dict[str, object] = field(default_factory=dict)  # per-sentence memo for the rules

    def words(self) -> frozenset[str]:
        """Lower-case words of the sentence (computed once)."""
        got = self.cache.get("words")
        if got is None:
            got = self.cache["words"] = cues.words_of(self.text)
        return got  # type: ignore[return-value]

    def separators(self) -> list[tuple[int, int]]:
        """Clause separator spans (computed once)."""
        got = self.cache.get("seps")
        if got is None:
            got = self.cache["seps"] = cues.clause_separators(self.text, self.words())
        return got  # type: ignore[return-value]


def _after(s: Sentence, m: Mention, n: int = 60) -> str:
    a = m.end - s.start
    if "." in m.surface and s.text[a:a + 1] == ".":  # "U.S." is matched without its last period
        a += 1
    return s.text[a:a + n]


def _before(s: Sentence, m: Mention, n: int = 60) -> str:
    a = m.start - s.start
    return s.text[max(0, a - n):a]


_COMPANY_GAP = re.compile(
    r"^(?:[’']s)?\s*(?:(?:surveillance|camera|cameras|tech|technology|telecoms?|AI|security|state-owned|leading|"
    r"major|big|biggest|largest|private|video|drone|equipment|internet|electronics|company|companies|firm|firms|"
    r"giant|vendor|maker|manufacturer|supplier|provider|startup|start-up|rival|group|conglomerate)\s+){0,4}$")


@cache
def _supplier_noun_words() -> frozenset[str]:
    """Every word of every supplier noun: a sentence with none of them cannot match ``_supplier_noun_rx``."""
    return frozenset(w for noun in lexicon()["supplier_nouns"] for w in cues.words_of(noun))


@cache
def _supplier_noun_rx() -> re.Pattern[str]:
    words = sorted(lexicon()["supplier_nouns"], key=len, reverse=True)
    adjectives = (r"(?:(?i:surveillance|camera|cameras|tech|telecoms?|ai|security|state-owned|state|leading|major|big|"
                  r"biggest|largest|private|video|drone|equipment|internet|electronics|biometrics?)|[A-Z][\w-]*)")
    return re.compile(r"^(?:[’']s)?\s+(?:" + adjectives + r"\s+){0,3}?(?i:" +
                      "|".join(re.escape(w) for w in words) + r")\b")


def country_role(s: Sentence, m: Mention, company_starts: list[int]) -> str:
    """supplier | border | market | financier | strong | weak for one country mention."""
    after, before = _after(s, m), _before(s, m)
    entry = m.of("country")
    named = entry is not None and entry.detail in ("name", "demonym")
    words = s.words()
    if named and not words.isdisjoint(_BORDER_WORDS) and (_BORDER_AFTER.match(after)
                                                          or _BORDER_BEFORE.search(before)):
        return "border"
    if not words.isdisjoint(_MARKET_WORDS) and (_MARKET_AFTER.match(after) or _MARKET_BEFORE.search(before)):
        return "market"
    if not words.isdisjoint(_SUPPLIER_PLACE_WORDS) and (
            _BASED_AFTER.match(after) or _BASED_BEFORE.search(before)
            or (_FROM_BEFORE.search(before[-25:]) and not _DISTANCE_BEFORE.search(before[-40:]))):
        return "supplier"
    if any(0 <= c - m.end <= 60 and _COMPANY_GAP.match(s.text[m.end - s.start:c - s.start])
           for c in company_starts):
        return "supplier"  # "China's Huawei", "Chinese surveillance camera manufacturer Hikvision"
    if not words.isdisjoint(_supplier_noun_words()) and _supplier_noun_rx().match(after) \
            and not cues.USER_NOUN.match(after.lstrip("’' s")):
        return "supplier"
    if not words.isdisjoint(cues.EXPORT_TRIGGERS):
        clause_b = cues.clause_bounds(s.text, m.end - s.start, s.separators())[1]
        if cues.EXPORT_VERB.search(s.text, m.end - s.start, min(clause_b, m.end - s.start + 50)):
            return "supplier"
    if _GOV_AFTER.match(after) or (_FUNDER_AFTER.match(after) and not before.strip(" ,;:-–—(\"“")):
        return "financier"  # "the Chinese Government provides …", a title opening "China grants RMB 100 million …"
    if cues.STRONG_PREP.search(before[-30:]) or cues.USER_NOUN.match(_POSSESSIVE.sub("", after.lstrip())):
        return "strong"
    return "weak"


_NEXT_WORD = re.compile(r"[’']?s?\s+([A-Z][a-z]+)\b")


@cache
def _name_tails() -> frozenset[str]:
    return frozenset(w.lower() for w in lexicon()["name_tail_words"])


@cache
def _public_words() -> frozenset[str]:
    return frozenset(w.lower() for w in lexicon()["public_body_words"])


_PREV_WORD = re.compile(r"(?:^|\s)([A-Z][\w&-]*)\s$")


def _inside_other_name(s: Sentence, m: Mention) -> bool:
    """A one-word company name inside a longer capitalised name ("Mobile Utility Surveillance Tower")."""
    if " " in m.surface.strip():
        return False
    head = s.text[:m.start - s.start]
    prev = _PREV_WORD.search(head)
    if prev is not None and prev.start(1) > 0 and not prev.group(1).isupper():
        return True
    nxt = _NEXT_WORD.match(s.text, m.end - s.start)
    return nxt is not None and (nxt.group(1).lower() in _public_words() or nxt.group(1).lower() in _name_tails())


_OWNER_GAP = re.compile(r"^[’']s?\s+$")


def _parent_of_next(s: Sentence, m: Mention) -> bool:
    """"Motorola Solutions' WatchGuard", "Axon's Fusus": the product's own company is the supplier named."""
    for other in s.mentions:
        if other.start >= m.end and other.of("company") is not None:
            return other.start - m.end <= 4 and bool(_OWNER_GAP.match(s.text[m.end - s.start:other.start - s.start]))
    return False


def _mostly_tech(a: int, b: int, techs: list[tuple[int, int]]) -> bool:
    """An organisation-looking name that is really a technology phrase ("CCTV Surveillance Project")."""
    covered = sum(max(0, min(b, y) - max(a, x)) for x, y in techs)
    return covered * 2 >= (b - a)


def _in_any(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def _agency(s: Sentence) -> None:
    for m in s.mentions:
        cue = m.of("agency")
        if cue is not None:
            s.agency = True
            s.strong_agency = s.strong_agency or cue.detail != "weak"


_NAME_KINDS = frozenset({"company", "financier", "country", "agency", "region"})


def analyse(s: Sentence, full: bool = True) -> Sentence:
    """Fill techs, suppliers, financiers and country roles of one sentence (only country roles and agency
    cues when ``full`` is false: a sentence that names no technology, company or lender)."""
    if not full:
        _agency(s)
        _countries(s, [])
        return s
    tech_starts = {m.start - s.start for m in s.mentions if m.of("tech")}
    orgs = find_orgs(s.text, tech_starts, s.words())
    known = [(m.start, m.end) for m in s.mentions if not m.kinds.keys().isdisjoint(_NAME_KINDS)]
    org_spans = [(s.start + o.start, s.start + o.end) for o in orgs]
    company_starts: list[int] = []
    for m in s.mentions:
        co, fin = m.of("company"), m.of("financier")
        if co and co.value and not _inside_other_name(s, m) and not _parent_of_next(s, m):
            s.suppliers.append(Party(co.value, co.detail, True, m.start))
            company_starts.append(m.start)
        if fin and fin.value:
            s.financiers.append((fin.value, fin.detail, m.start))
    _agency(s)
    techs = [(m.start, m.end) for m in s.mentions if m.of("tech")]
    for o in orgs:
        a, b = s.start + o.start, s.start + o.end
        if any(x < b and a < y for x, y in known) or _mostly_tech(a, b, techs):
            continue
        s.suppliers.append(Party(o.name, None, False, a))
        company_starts.append(a)
    _techs(s, org_spans)
    _countries(s, company_starts)
    return s


_SAFE_PLACE = re.compile(r"\bSafe\s+(?!City\b)[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\s+(?:Project|Programme|Program|Initiative)\b")


def _techs(s: Sentence, org_spans: list[tuple[int, int]]) -> None:
    for safe in _SAFE_PLACE.finditer(s.text) if "Safe" in s.text else ():  # "Safe Zanzibar Project", "Safe Nairobi Initiative"
        s.techs.append(Tech("safe_city", s.start + safe.start(), True))
    for m in s.mentions:
        t = m.of("tech")
        if t is None or (_in_any(m.start, org_spans) and not m.of("company")):
            continue
        if t.value is None:
            s.generic.append(m.start)
        elif all(x.key != t.value for x in s.techs):
            s.techs.append(Tech(t.value, m.start, True))


def _financing_words(s: Sentence) -> bool:
    return bool(cues.flow_type_of(s.text, s.words()) or cues.finance_verb(s.text, s.words()) or "$" in s.text
                or not s.words().isdisjoint(_CURRENCY_WORDS))


_CURRENCY_WORDS = frozenset({"rmb", "usd", "cny", "yuan", "eur", "dollars", "million", "billion"})


def _pick_country(s: Sentence, m: Mention) -> Entry | None:
    """One reading of a name several countries use: a US agency in the sentence picks the US state or city."""
    first = m.kinds.get("country")
    if first is None or len(m.entries) == 1:
        return first
    options = [e for e in m.entries if e.kind == "country"]
    if len(options) > 1:
        us = [e for e in options if e.detail == "us_place"]
        if us and s.agency:
            return us[0]
        return next((e for e in options if e.detail != "us_place"), options[0])
    return options[0] if options else None


def _countries(s: Sentence, company_starts: list[int]) -> None:
    strong: list[str] = []
    weak: list[str] = []
    places: set[str] = set()
    last: tuple[Mention, str] | None = None
    for m in s.mentions:
        c = _pick_country(s, m)
        if c is None or c.value is None or m.of("financier") or m.of("company"):
            continue
        role = country_role(s, m, company_starts)
        if role == "financier" and not _financing_words(s):
            role = "strong"  # "the Kenyan government signed a deal with Huawei": the buyer, not a lender
        if last is not None and _COORD.match(s.text[last[0].end - s.start:m.start - s.start]):
            role = last[1] if last[1] in ("supplier", "border", "market") else role
        last = (m, role)
        if role == "supplier" or role == "financier":
            if c.value not in s.supplier_countries:
                s.supplier_countries.append(c.value)
            if role == "financier":
                s.financiers.append(("", c.value, m.start))
        elif role == "strong" or (role == "weak" and c.detail in ("place", "us_place")):
            strong.append(c.value)
        elif role == "weak":
            weak.append(c.value)
        if c.detail == "place":
            places.add(c.value)
        elif role in ("strong", "weak"):  # a supplier's or lender's home does not claim the document's places
            s.named.add(c.value)
    s.by_place = places - s.named
    chosen = strong or weak
    s.deploy = list(dict.fromkeys(chosen))
