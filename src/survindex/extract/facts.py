"""Per-sentence facts: which mentions are technologies, suppliers, financiers, and which countries play which role."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from survindex.extract import cues, techpatterns
from survindex.extract.gazetteer import Entry, Mention, lexicon
from survindex.extract.orgs import PRODUCT_NOUNS, find_orgs

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

# A country in an adjunct of someone else's deployment: across a border, a regulator's fine, a ban, sanctions.
_ASIDE_BEFORE = re.compile(
    r"\b(?:into|towards?|(?:regulators?|watchdogs?|courts?|lawmakers|legislators|prosecutors|authorities) in|"
    r"fined (?:\w+ )?(?:by \w+ )?in|banned (?:\w+ )?in|blacklisted (?:\w+ )?in|sanctioned by|sanctions (?:by|from)|"
    r"also (?:been )?(?:used|deployed|sold|in use|operates?|operated) (?:in|by))\s+(?:the\s+)?$", re.IGNORECASE)
_ASIDE_AFTER = re.compile(r"^(?:[’']s)?\s+(?:sanctions?|blacklist(?:ed|ing)?|trade blacklist|Entity List|entity list|"
                          r"export controls?|Commerce Department|Treasury|lawmakers|senators|Congress|ban on)\b")
_ASIDE_WORDS = frozenset("into toward towards regulator regulators watchdog watchdogs court courts lawmakers "
                         "legislators prosecutors authorities fined banned blacklisted blacklist blacklisting "
                         "sanctioned sanction sanctions also entity export commerce treasury senators congress "
                         "ban".split())


@dataclass(slots=True)
class Party:
    """A supplier named in a sentence: registry canonical name (resolved) or the raw organisation name."""

    name: str
    country: str | None
    resolved: bool
    start: int  # document offset
    implies: bool = True  # whether its registry technology counts here (a product noun next to it, or a police cue)

    @property
    def technology(self) -> str | None:
        """The technology the registry says this company mainly sells, if any (and if the sentence allows it)."""
        return company_technologies().get(self.name) if self.resolved and self.implies else None


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
    words: frozenset[str]  # lower-case words (``cues.words_of``), for cheap trigger tests before a regex runs
    techs: list[Tech] = field(default_factory=list)
    generic: list[int] = field(default_factory=list)  # document offsets of generic camera mentions
    suppliers: list[Party] = field(default_factory=list)
    financiers: list[tuple[str, str | None, int]] = field(default_factory=list)  # canonical, country, offset
    deploy: list[str] = field(default_factory=list)  # ISO3 whose authorities use it (strong first)
    by_place: set[str] = field(default_factory=set)  # deploy countries known only from a city name
    readings: dict[str, set[str]] = field(default_factory=dict)  # such a country -> the place's other readings
    named: set[str] = field(default_factory=set)  # countries named (name, demonym, US place) in any role
    supplier_countries: list[str] = field(default_factory=list)
    border: tuple[str, ...] = ()  # countries named only as the other side of a border ("the Mexico border")
    deploy_at: dict[str, int] = field(default_factory=dict)  # deploy country -> sentence offset of its first mention
    agency: bool = False  # a US agency cue, strong or weak ("county")
    strong_agency: bool = False  # a cue only US agencies use ("sheriff", "police department", "FBI")
    cache: dict[str, object] = field(default_factory=dict)  # per-sentence memo for the rules

    def separators(self) -> list[tuple[int, int]]:
        """Clause separator spans (computed once)."""
        got = self.cache.get("seps")
        if got is None:
            got = self.cache["seps"] = cues.clause_separators(self.text, self.words)
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
    entry = m.kinds.get("country")
    can_border = entry is not None and entry.detail in ("name", "demonym", "place")  # not a US city ("El Paso")
    words = s.words
    if can_border and not words.isdisjoint(_BORDER_WORDS) and (_BORDER_AFTER.match(after)
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
    if not words.isdisjoint(_ASIDE_WORDS) and (_ASIDE_BEFORE.search(before[-50:]) or _ASIDE_AFTER.match(after)):
        return "aside"  # "into Mexico", "fined by regulators in Italy", "also used in South Africa", "US sanctions"
    if _GOV_AFTER.match(after):
        verb = cues.finance_verb(s.text, words)
        if (verb is not None and verb.start() < m.start - s.start) or cues.STRONG_PREP.search(before[-30:]):
            return "strong"  # the recipient: "… donates cameras to Ghana Ministry of Interior"
        return "financier"  # "the Chinese Government provides …"
    if _FUNDER_AFTER.match(after) and not before.strip(" ,;:-–—(\"“"):
        return "financier"  # a title opening "China grants RMB 100 million …"
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
_NEXT_TOKEN = re.compile(r"(?:[’']s?)?\s+([A-Za-z][\w-]*)")
_SECURITY_RX: list[re.Pattern[str]] = []


def security_rx() -> re.Pattern[str]:
    """Any word of the lexicon's ``security_context`` (police, security, surveillance, interior ministry …)."""
    if not _SECURITY_RX:
        words = sorted(lexicon()["security_context"], key=len, reverse=True)
        _SECURITY_RX.append(re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE))
    return _SECURITY_RX[0]


def _security_cue(s: Sentence) -> bool:
    """A police, security or surveillance word, or a US agency cue, in the sentence (computed once)."""
    got = s.cache.get("security")
    if got is None:
        got = s.cache["security"] = s.agency or bool(security_rx().search(s.text))
    return bool(got)


def _implies_technology(s: Sentence, m: Mention) -> bool:
    """A company's own technology counts when its name stands alone ("… uses Social Sentinel."), has a product
    noun or technology term right after it ("Flock Safety readers") or the sentence has a security cue: a company
    name that is also a common word opening a Title Case project name ("Ring Main Unit", "Vigilant Coastal Radar
    Project", "Aware Youth Programme") implies nothing."""
    nxt = _NEXT_TOKEN.match(s.text, m.end - s.start)
    if nxt is None or not nxt.group(1)[:1].isupper():
        return True
    if nxt.group(1).lower() in PRODUCT_NOUNS:
        return True
    at = s.start + nxt.start(1)
    return any(o.start == at and o.kinds.get("tech") is not None for o in s.mentions) or _security_cue(s)


def _symbol_cut(s: Sentence, m: Mention, canonical: str) -> bool:
    """"Face++" is matched on folded text as "Face": the bare word ("Face recognition") is not the brand."""
    bare = canonical.rstrip("+#")
    return bare != canonical and m.surface == bare and not s.text.startswith(canonical[len(bare)], m.end - s.start)


def _parent_of_next(s: Sentence, m: Mention) -> bool:
    """"Motorola Solutions' WatchGuard", "Axon's Fusus": the product's own company is the supplier named."""
    for other in s.mentions:
        if other.start >= m.end and other.kinds.get("company") is not None:
            return other.start - m.end <= 4 and bool(_OWNER_GAP.match(s.text[m.end - s.start:other.start - s.start]))
    return False


def _mostly_tech(a: int, b: int, techs: list[tuple[int, int]]) -> bool:
    """An organisation-looking name that is really a technology phrase ("CCTV Surveillance Project")."""
    covered = sum(max(0, min(b, y) - max(a, x)) for x, y in techs)
    return covered * 2 >= (b - a)


def _in_any(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


_PD_ACRONYM = re.compile(r"\b[A-Z]{1,4}PD\b")  # "NYPD", "LAPD", "SFPD": how US police departments are named


def _agency(s: Sentence) -> None:
    for m in s.mentions:
        cue = m.kinds.get("agency")
        if cue is not None:
            s.agency = True
            s.strong_agency = s.strong_agency or cue.detail != "weak"
    if "PD" in s.text and _PD_ACRONYM.search(s.text):
        s.agency = s.strong_agency = True


_NAME_KINDS = frozenset({"company", "financier", "country", "agency", "region", "body"})


def analyse(s: Sentence, full: bool = True) -> Sentence:
    """Fill techs, suppliers, financiers and country roles of one sentence (only country roles and agency
    cues when ``full`` is false: a sentence that names no technology, company or lender)."""
    if not full:
        _agency(s)
        _countries(s, [])
        return s
    tech_starts = {m.start - s.start for m in s.mentions if m.kinds.get("tech")}
    orgs = find_orgs(s.text, tech_starts, s.words)
    known = [(m.start, m.end) for m in s.mentions if not m.kinds.keys().isdisjoint(_NAME_KINDS)]
    org_spans = [(s.start + o.start, s.start + o.end) for o in orgs if o.how != "product"]  # "Axon Flex cameras"
    company_starts: list[int] = []
    for m in s.mentions:
        co, fin = m.kinds.get("company"), m.kinds.get("financier")
        if co and co.value and not _inside_other_name(s, m) and not _parent_of_next(s, m) \
                and not _symbol_cut(s, m, co.value):
            s.suppliers.append(Party(co.value, co.detail, True, m.start))
            company_starts.append(m.start)
        if fin and fin.value:
            s.financiers.append((fin.value, fin.detail, m.start))
    _agency(s)
    sells = company_technologies()
    for p in s.suppliers:
        if p.name in sells:
            p.implies = _implies_technology(s, next(m for m in s.mentions if m.start == p.start))
    techs = [(m.start, m.end) for m in s.mentions if m.kinds.get("tech")]
    owners = [m.end for m in s.mentions if m.kinds.get("company") is not None] if orgs else []
    for o in orgs:
        a, b = s.start + o.start, s.start + o.end
        if any(x < b and a < y for x, y in known) or _mostly_tech(a, b, techs):
            continue
        if any(0 < a - e <= 4 and _OWNER_GAP.match(s.text[e - s.start:o.start]) for e in owners):
            continue  # "Motorola Solutions' CommandCentral Aware": a product of the company just named
        if o.how == "product" and owners:
            continue  # "a contract with Flock Safety covers … Raven sensors": the named vendor's product line
        s.suppliers.append(Party(o.name, None, False, a))
        company_starts.append(a)
    _techs(s, org_spans)
    _countries(s, company_starts)
    return s


_SAFE_PLACE = re.compile(r"\bSafe\s+(?!City\b)([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s+(?:Project|Programme|Program|Initiative)\b")


def _safe_place(s: Sentence) -> None:
    """"Safe Zanzibar Project", "Safe Nairobi Initiative": a safe city only when the middle words are a place
    (not "Safe Drinking Water Project", "Safe Motherhood Programme")."""
    for safe in _SAFE_PLACE.finditer(s.text):
        a, b = s.start + safe.start(1), s.start + safe.end(1)
        if any(m.start == a and m.end == b and m.kinds.get("country") for m in s.mentions):
            s.techs.append(Tech("safe_city", s.start + safe.start(), True))


_DATA_SOURCE = re.compile(r"\b(?:images?|stills?|frames?|photos?|photographs?|footage|clips?)\s+(?:taken\s+|pulled\s+)?"
                          r"(?:from|of)\s+(?:the\s+|its\s+)?$", re.IGNORECASE)


_UTILITY = re.compile(r"^\s+(?:[\w-]+\s+){0,2}?(?:water|sanitation|sewerage|energy|power|electricity|grid|lighting|"
                      r"parking|tourism|housing|transport|transit|mobility|healthcare|health|education|meters?)\b",
                      re.IGNORECASE)
_SECURE = re.compile(r"\b(?:police|polic\w+|security|surveillance|safety|crime|cctv|cameras?)\b", re.IGNORECASE)


def _techs(s: Sentence, org_spans: list[tuple[int, int]]) -> None:
    if "Safe" in s.text:
        _safe_place(s)
    for key, pos in techpatterns.find(s.text, s.words):
        if all(x.key != key for x in s.techs):
            s.techs.append(Tech(key, s.start + pos, True))
    company_at = {m.start for m in s.mentions if m.kinds.get("company")}
    for m in s.mentions:
        t = m.kinds.get("tech")
        if t is None or (_in_any(m.start, org_spans) and not m.kinds.get("company") and m.start not in company_at):
            continue  # a technology word inside an organisation's name, unless it is a product ("Axon Flex")
        if t.value == "video_surveillance" and s.techs and _DATA_SOURCE.search(_before(s, m, 40)):
            continue  # "software that searches still images from surveillance video": a source, not a deployment
        if t.value == "safe_city" and _UTILITY.match(_after(s, m, 40)) and not _SECURE.search(s.text):
            continue  # "Smart City Water Management Project": a utility, not a public-security platform
        if t.value is None:
            s.generic.append(m.start)
        elif all(x.key != t.value for x in s.techs):
            s.techs.append(Tech(t.value, m.start, True))


def _financing_words(s: Sentence) -> bool:
    return bool(cues.flow_type_of(s.text, s.words) or cues.finance_verb(s.text, s.words) or "$" in s.text
                or not s.words.isdisjoint(_CURRENCY_WORDS))


_CURRENCY_WORDS = frozenset({"rmb", "usd", "cny", "yuan", "eur", "dollars", "million", "billion"})


def _pick_country(s: Sentence, m: Mention) -> Entry | None:
    """One reading of a name several countries use: a US agency in the sentence picks the US state or city;
    otherwise the gazetteer's order decides (country names first, then the biggest or capital place)."""
    first = m.kinds.get("country")
    if first is None or len(m.entries) == 1 or not s.agency or first.value == "USA":
        return first
    return next((e for e in m.entries if e.kind == "country" and e.value == "USA"), first)


_SHARED_ROLES = frozenset({"supplier", "border", "market", "aside", "strong"})


def _countries(s: Sentence, company_starts: list[int]) -> None:
    found: list[tuple[str, str, int]] = []  # (ISO3, role, offset in the sentence) of deployment-side mentions
    places: set[str] = set()
    last: tuple[Mention, str] | None = None
    for m in s.mentions:
        c = _pick_country(s, m)
        if c is None or c.value is None or m.kinds.get("financier") or m.kinds.get("company"):
            continue
        role = country_role(s, m, company_starts)
        if role == "financier" and not _financing_words(s):
            role = "strong"  # "the Kenyan government signed a deal with Huawei": the buyer, not a lender
        if last is not None and _COORD.match(s.text[last[0].end - s.start:m.start - s.start]) \
                and last[1] in _SHARED_ROLES and role in ("weak", "strong"):
            role = last[1]  # "police in Kenya and Uganda", "regulators in Italy, France and the UK"
        last = (m, role)
        if role == "supplier" or role == "financier":
            if c.value not in s.supplier_countries:
                s.supplier_countries.append(c.value)
            if role == "financier":
                s.financiers.append(("", c.value, m.start))
            continue
        if role in ("border", "market"):
            if role == "border" and c.value not in s.border:
                s.border += (c.value,)
            continue
        if role == "weak" and c.detail in ("place", "us_place"):
            role = "strong"
        found.append((c.value, role, m.start - s.start))
        if c.detail == "place":
            places.add(c.value)
            s.readings.setdefault(c.value, set()).update(
                e.value for e in m.entries if e.kind == "country" and e.value and e.value != c.value)
        elif role in ("strong", "weak"):  # a supplier's or lender's home does not claim the document's places
            s.named.add(c.value)
    s.by_place = places - s.named
    s.deploy = _chosen(s, found)
    for iso3, _, at in found:
        s.deploy_at.setdefault(iso3, at)


def _chosen(s: Sentence, found: list[tuple[str, str, int]]) -> list[str]:
    """Strong countries over weak ones clause by clause ("Kyrgyzstan's project …, while police in Tashkent …");
    a country in an aside ("fined by regulators in Italy", "into Mexico") only when nothing else is named."""
    main = [f for f in found if f[1] != "aside"]
    if not main:
        return [] if s.agency else list(dict.fromkeys(c for c, _, _ in found))
    strong = [f for f in main if f[1] == "strong"]
    if not strong or len(strong) == len(main):
        return list(dict.fromkeys(c for c, _, _ in main))
    seps = s.separators()
    strong_clauses = {cues.clause_bounds(s.text, p, seps) for _, _, p in strong}
    return list(dict.fromkeys(c for c, role, p in main
                              if role == "strong" or cues.clause_bounds(s.text, p, seps) not in strong_clauses))
