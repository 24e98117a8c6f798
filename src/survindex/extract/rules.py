"""Deployment and financing rules over analysed sentences, with light document context."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from survindex.extract import cues
from survindex.extract.facts import CAMERA_CAPABLE, Party, Sentence, Tech, security_rx
from survindex.extract.money import Money, find_money, find_year

MAX_PER_SENTENCE = 24


@dataclass
class DocContext:
    """What the whole document says: its specific technologies, default country, security context."""

    text: str = ""
    techs: list[str] = field(default_factory=list)
    default_country: str | None = None
    _security: bool | None = None
    recent: list[str] = field(default_factory=list)  # deployment countries carried from recent sentences
    recent_age: int = 99

    @property
    def security(self) -> bool:
        """Whether the document speaks of police, security, surveillance… (computed on first use)."""
        if self._security is None:
            self._security = bool(security_rx().search(self.text))
        return self._security


DUAL_USE = frozenset({"drone"})  # surveillance only in a security or government setting
# Technologies that are themselves cameras: "cameras" beside them are those cameras, not a separate CCTV network.
CAMERA_TYPES = frozenset({"body_worn_camera", "license_plate_recognition", "drone", "video_surveillance", "other",
                          "biometrics"})
_INSTALLED = re.compile(r"\b(?:install(?:s|ed|ing)?|deploy(?:s|ed|ing)?|erect(?:s|ed|ing)?|mount(?:s|ed|ing)?|"
                        r"roll(?:s|ed|ing)? out|operat(?:es|ed|ing)|runs|ran|put up|set up|network(?:s|ed)?|"
                        r"links?|linked|connect(?:s|ed|ing)?|feeds?|watch(?:es|ed)?)\b", re.IGNORECASE)


def sentence_techs(s: Sentence, ctx: DocContext) -> list[Tech]:
    """The sentence's technologies: specific ones (dual-use ones only in context), plus resolved generic ones."""
    techs = s.techs
    if any(t.key in DUAL_USE for t in techs):
        setting = bool(security_rx().search(s.text) or cues.USER_NOUN.search(s.text)) or ctx.security
        techs = [t for t in techs if t.key not in DUAL_USE or setting]
    return techs + resolve_generic(s, ctx, techs)


def _camera_setting(s: Sentence, ctx: DocContext) -> bool:
    """Cameras in a security setting: a security word, or public authorities installing or running them
    ("the government installed 4,300 cameras"; not "the government donates cameras to parliament")."""
    if security_rx().search(s.text) or ctx.security:
        return True
    return bool(cues.USER_NOUN.search(s.text) and _INSTALLED.search(s.text))


_WITH_ABILITY = re.compile(r"\s+(?:equipped\s+|fitted\s+)?with\s+(?:[\w-]+\s+){0,4}?(?:recognition|identification|"
                           r"analytics|detection|capabilit(?:y|ies))\b", re.IGNORECASE)
_EQUIPPED = re.compile(r"\b(?:equipped|fitted|outfitted|upgraded)\s+with\s+(?:[\w-]+\s+){0,5}?(?:recognition|"
                       r"identification|analytics|detection)\b", re.IGNORECASE)  # "cameras …, many of them equipped with …"
_AS_SOURCE = re.compile(r"[\w-]*\s+(?:feeds?|footage|images?|stills?|video|recordings?|data)\b", re.IGNORECASE)
_FROM_SOURCE = re.compile(r"\b(?:feeds?|footage|images?|stills?|video|recordings?)\s+(?:from|of)\s+(?:[\w,-]+\s+){0,5}?"
                          r"[\w,-]+$", re.IGNORECASE)
_WIRED = re.compile(r"\b(?:install(?:s|ed|ing)?|connect(?:s|ed|ing)?|link(?:s|ed|ing)?|network(?:s|ed|ing)?|"
                    r"add(?:s|ed|ing)?|mount(?:s|ed|ing)?|erect(?:s|ed|ing)?|deploy(?:s|ed|ing)?)\b", re.IGNORECASE)
_CENTRES = frozenset({"smart_policing"})  # crime centres watch cameras: only cameras wired in are a new network


def _camera_network(s: Sentence, techs: list[Tech]) -> int | None:
    """The offset of a generic camera mention that is a camera network of its own beside the sentence's
    specific technologies: "cameras with facial recognition", "4,000 cameras under its Safe City project",
    "connects cameras to the Real Time Crime Center" — not "facial recognition cameras", "camera feeds",
    nor the cameras of a camera technology ("82 cameras, nine of them licence plate readers")."""
    starts = {t.start for t in techs}
    for g in s.generic:
        end = _mention_end(s, g)
        if _WITH_ABILITY.match(s.text, end) or _EQUIPPED.search(s.text, end):
            return g
    if any(t.key in CAMERA_TYPES for t in techs):
        return None
    if all(t.key in _CENTRES for t in techs) and not _WIRED.search(s.text):
        return None
    tech_ends = {_mention_end(s, a) for a in starts}
    for g in s.generic:
        before = s.text[:g - s.start].rstrip()
        if s.start + len(before) in tech_ends or _AS_SOURCE.match(s.text, _mention_end(s, g)) \
                or _FROM_SOURCE.search(before[-60:]):
            continue
        return g
    return None


def _mention_end(s: Sentence, start: int) -> int:
    """Sentence offset where the gazetteer mention starting at document offset ``start`` ends."""
    for m in s.mentions:
        if m.start == start:
            return m.end - s.start
    return start - s.start


def resolve_generic(s: Sentence, ctx: DocContext, techs: list[Tech] | None = None) -> list[Tech]:
    """Generic camera mentions: beside a technology that is not itself a camera (safe city, a crime centre,
    facial recognition) a camera network; alone, the document's camera technology, or video surveillance in a
    security setting."""
    techs = s.techs if techs is None else techs
    if not s.generic:
        return []
    if techs:
        g = _camera_network(s, techs)
        return [Tech("video_surveillance", g, False)] if g is not None and _camera_setting(s, ctx) else []
    sold = [p.technology for p in s.suppliers if p.technology]
    if sold:
        return [Tech(sold[0], s.generic[0], False)]
    doc_cam = [t for t in ctx.techs if t in CAMERA_CAPABLE]
    if doc_cam:
        return [Tech(doc_cam[0], s.generic[0], False)]
    if _camera_setting(s, ctx):
        return [Tech("video_surveillance", s.generic[0], False)]
    return []


def countries_for(s: Sentence, ctx: DocContext) -> tuple[list[str], str]:
    """Deployment countries and where they came from: sentence | context | default | none."""
    if s.deploy:
        return s.deploy, "sentence"
    if not s.words.isdisjoint(cues.MANY_TRIGGERS) and cues.MANY_COUNTRIES.search(s.text):
        return [], "none"
    if ctx.recent and ctx.recent_age <= 2:
        return ctx.recent, "context"
    if ctx.default_country:
        return [ctx.default_country], "default"
    return [], "none"


def _sentence_cues(s: Sentence) -> tuple[list[tuple[int, int]], bool, str, list[tuple[int, int]]]:
    """Negation cue spans, whether the sentence speculates, its stage and clause separators: once per sentence."""
    got = s.cache.get("cues")
    if got is None:
        words = s.words
        negations = ([m.span() for m in cues.NEGATION.finditer(s.text)]
                     if not words.isdisjoint(cues.NEGATION_TRIGGERS) else [])
        hedged = not words.isdisjoint(cues.SPECULATION_TRIGGERS) and bool(cues.SPECULATION.search(s.text))
        got = (negations, hedged, cues.stage_of(s.text, words), s.separators())
        s.cache["cues"] = got
    return got  # type: ignore[return-value]


def _clause_flags(s: Sentence, pos: int) -> tuple[bool, bool, str]:
    negations, hedged, sentence_stage, seps = _sentence_cues(s)
    a, b = cues.clause_bounds(s.text, pos - s.start, seps)
    negated = any(a <= n < b and _governs(s, n, e, pos - s.start) for n, e in negations)
    stage = cues.stage_of(s.text[a:b]) if sentence_stage != "unknown" and (a, b) != (0, len(s.text)) \
        else sentence_stage
    if stage == "unknown":
        stage = sentence_stage
    if hedged and stage in ("unknown", "contracted", "operational"):
        stage = "announced"
    return negated, hedged, stage


_DENIALS = frozenset({"denied", "denies", "deny", "no evidence", "false report", "false reports", "rejected claims"})
_SCOPE_BREAK = re.compile(r"\b(?:in|at|across|throughout|built|installed|supplied|made|provided)\b")


def _governs(s: Sentence, n: int, e: int, pos: int) -> bool:
    """A negation cue (sentence offsets ``n``..``e``) governs the technology at ``pos`` when no other technology
    mention and no place or maker phrase stands between them: "did not use facial recognition in the Lagos CCTV
    network built by ZTE" refuses facial recognition only."""
    starts = [t.start - s.start for t in s.techs] + [g - s.start for g in s.generic]
    if pos >= e:
        if s.text[n:e].lower() in _DENIALS:
            return True  # "denied that the cameras use facial recognition": the whole report is denied
        return not any(e <= x < pos for x in starts) and not _SCOPE_BREAK.search(s.text, e, pos)
    return not any(pos < x < n for x in starts)  # a passive cue after it: "facial recognition was not used"


def confidence(where: str, supplier: bool, specific: bool, stage: str, negated: bool, hedged: bool) -> float:
    score = 0.45 + {"sentence": 0.2, "context": 0.1, "default": 0.05}.get(where, 0.0)
    score += 0.15 * supplier + 0.1 * specific + 0.05 * (stage != "unknown")
    if hedged:
        score *= 0.7
    if negated:
        score *= 0.6
    return round(min(0.97, max(0.05, score)), 3)


def deployment_claims(s: Sentence, ctx: DocContext, require_country: bool = False) -> list[dict[str, Any]]:
    """Drafts of ``deployment`` claims: every (country, technology, supplier) the sentence links."""
    techs = sentence_techs(s, ctx)
    suppliers: list[Party | None] = list(s.suppliers) or [None]
    if not techs:
        if not s.suppliers or not (s.generic or cues.SUPPLY_VERB.search(s.text)):
            return []
        sold = [Tech(p.technology, p.start, False) for p in s.suppliers if p.technology]
        techs = [Tech(ctx.techs[0], s.suppliers[0].start, False)] if ctx.techs else sold[:1]
        if not techs and not ctx.security:
            return []  # a contractor or bank in a loan description: nothing about surveillance to claim
    countries, where = countries_for(s, ctx)
    if require_country and not countries:
        return []
    if not countries and not (s.suppliers or s.agency or cues.USER_NOUN.search(s.text) or s.techs):
        return []
    out: list[dict[str, Any]] = []
    tech_options: list[Tech | None] = [*techs] or [None]
    country_options: list[str | None] = [*countries] or [None]
    for tech in tech_options:
        negated, hedged, stage = _clause_flags(s, tech.start if tech else s.start)
        if negated:
            # Denied or refused ("denied that the system uses facial recognition", "did not purchase a drone"):
            # not claimed at all. The reference scorer and the gold labels ignore ``negated`` (every deployment
            # claim counts, denied ones are not labelled), so a claim flagged negated would still be a false
            # positive. Kept only when a contrasting clause gives the agency access another way.
            if _refused(s, tech.start if tech else s.start):
                continue
            negated = False
        for country, party in _pairs(s, country_options, suppliers):
            out.append(_deployment(s, tech, country, party, where, stage, negated, hedged))
    return out[:MAX_PER_SENTENCE]


def _pairs(s: Sentence, countries: list[str | None], suppliers: list[Party | None]
           ) -> list[tuple[str | None, Party | None]]:
    """(country, supplier) pairs: with several of each, a supplier goes with the countries of its own clause
    ("Dahua … in Nairobi, and Hikvision … in Kampala"); a supplier or a country whose clause names none of the
    other kind pairs with all of them."""
    everything = [(c, p) for c in countries for p in suppliers]
    if len(countries) < 2 or len(suppliers) < 2 or None in suppliers:
        return everything
    seps = s.separators()
    clause = {c: cues.clause_bounds(s.text, s.deploy_at[c], seps) for c in countries if c in s.deploy_at}
    if len(clause) < len(countries):
        return everything  # a country read from context or another sentence: no position to compare
    of_party = [(p, cues.clause_bounds(s.text, p.start - s.start, seps)) for p in suppliers if p is not None]
    keep: set[tuple[str | None, int]] = set()
    for i, (p, bounds) in enumerate(of_party):
        mine = [c for c in countries if c is not None and clause[c] == bounds]
        keep.update((c, i) for c in (mine or countries))
    for c in countries:
        if not any((c, i) in keep for i in range(len(of_party))):
            keep.update((c, i) for i in range(len(of_party)))
    return [(c, p) for c in countries for i, (p, _) in enumerate(of_party) if (c, i) in keep]


_CONTRAST_WORDS = frozenset({"but", "however", "though", "although", "instead", "yet", "while", "whereas"})


def _refused(s: Sentence, pos: int) -> bool:
    """A negated technology stays refused unless a contrasting clause gives the agency access another way
    ("while the Sheriff's Office does not own a cell-site simulator, deputies can access one maintained by …")."""
    if s.words.isdisjoint(_CONTRAST_WORDS):
        return True
    a, b = cues.clause_bounds(s.text, pos - s.start, s.separators())
    return not any(not a <= m.start() < b for m in cues.ACCESS.finditer(s.text))


def _money(s: Sentence) -> list[Money]:
    got = s.cache.get("money")
    if got is None:
        got = s.cache["money"] = find_money(s.text)
    return got  # type: ignore[return-value]


def _year(s: Sentence) -> int | None:
    if "year" not in s.cache:
        s.cache["year"] = find_year(s.text)
    return s.cache["year"]  # type: ignore[return-value]


def _deployment(s: Sentence, tech: Tech | None, country: str | None, party: Party | None, where: str,
                stage: str, negated: bool, hedged: bool) -> dict[str, Any]:
    draft: dict[str, Any] = {
        "kind": "deployment", "country": country, "technology": tech.key if tech else None,
        "stage": stage, "negated": negated, "year": _year(s),
        "confidence": confidence(where, party is not None, bool(tech and tech.specific), stage, negated, hedged),
    }
    if party is not None:
        draft.update(supplier=party.name, supplier_country=party.country, supplier_resolved=party.resolved)
        if not party.resolved:
            draft["original"] = {"supplier": party.name}
    return draft


_SUBJECT_GAP = re.compile(r"(?:[’']s?)?(?:\s+(?:also|has|have|had|will|has also|recently|again|then|further|"
                          r"additionally|reportedly|agreed to|is to|would))?\s+")
_AGENT_GAP = re.compile(r"\s+by\s+(?:the\s+)?")


def _funding_company(s: Sentence) -> Party | None:
    """A company that funds the project itself: the subject of a finance verb ("ZTE grants $3.5 million …",
    "Huawei has donated …") or its agent ("funded by Huawei"); not a builder in a coordinated predicate
    ("built by CEIEC and Huawei and financed by Chinese loans") nor a maker named near the word "grant"."""
    if cues.finance_verb(s.text, s.words) is None:
        return None
    ends = {m.start: m.end for m in s.mentions if m.kinds.get("company") is not None}
    for verb in cues.FINANCE_VERB.finditer(s.text):
        agent = _AGENT_GAP.match(s.text, verb.end())
        for p in s.suppliers:
            at = p.start - s.start
            end = ends.get(p.start, p.start + len(p.name)) - s.start
            if (end <= verb.start() and _SUBJECT_GAP.fullmatch(s.text, end, verb.start())) or \
                    (agent is not None and at == agent.end()):
                return p
    return None


def _funding_country(s: Sentence) -> str | None:
    """The country that is the agent of a finance verb: "financed by Chinese loans", "funded by China"."""
    starts = {m.start - s.start: m for m in s.mentions}
    for verb in cues.FINANCE_VERB.finditer(s.text):
        agent = _AGENT_GAP.match(s.text, verb.end())
        m = starts.get(agent.end()) if agent is not None else None
        c = m.kinds.get("country") if m is not None else None
        if c is not None and c.detail in ("name", "demonym"):
            return c.value
    return None


def _financier(s: Sentence) -> tuple[str, str | None, bool] | None:
    """(canonical name, country, resolved) of the first lender/donor named in the sentence; a company that
    funds a project ("ZTE grants $3.5 million for …") when no lender is named."""
    if not s.financiers:
        if not s.suppliers or cues.finance_verb(s.text, s.words) is None:
            return None  # both a funding company and a funding country are the subject or agent of such a verb
        if not (_money(s) or cues.flow_type_of(s.text, s.words)):
            return None
        funder = _funding_company(s)
        if funder is not None:
            return funder.name, funder.country, funder.resolved
        return government_of(_funding_country(s))
    name, country, _ = sorted(s.financiers, key=lambda f: f[2])[0]
    if name:
        return name, country, True
    return government_of(country)


def government_of(iso3: str | None) -> tuple[str, str | None, bool] | None:
    if iso3 is None:
        return None
    try:
        from survindex.extract.gazetteer import reference

        found = reference("resolve_financier")(f"Government of {_country_name(iso3)}")
        if found is not None:
            return found.canonical, found.country, True
    except ImportError:
        pass
    return f"Government of {_country_name(iso3)}", iso3, iso3 == "CHN"


def _country_name(iso3: str) -> str:
    from survindex.extract.gazetteer import gazetteer, reference

    known = gazetteer().country_names.get(iso3)
    if known:
        return known
    try:
        return str(reference("country")(iso3).name)
    except KeyError:
        return iso3


def financing_claims(s: Sentence, ctx: DocContext) -> list[dict[str, Any]]:
    """A ``financing`` claim (and deployments) when a lender or donor funds a surveillance project."""
    fin = _financier(s)
    if fin is None:
        return []
    money = _money(s)
    if not (cues.finance_verb(s.text, s.words) or money or cues.flow_type_of(s.text, s.words)):
        return []
    techs = sentence_techs(s, ctx)
    if not techs:
        return []
    name, fin_country, resolved = fin
    flow = cues.flow_type_of(s.text, s.words)
    if flow is None and not cues.FUNDING_ONLY.search(s.text):
        flow = "loan" if "bank" in name.lower() else "grant"
    deploy = [c for c in s.deploy if c != fin_country] or [c for c in countries_for(s, ctx)[0] if c != fin_country]
    stage = cues.stage_of(s.text)
    stage = stage if stage in ("cancelled", "suspended") else "contracted"
    draft: dict[str, Any] = {
        "kind": "financing", "financier": name, "flow_type": flow, "technology": techs[0].key,
        "country": deploy[0] if deploy else None, "year": _year(s), "stage": stage,
        "confidence": round(0.6 + 0.15 * bool(deploy) + 0.1 * bool(money) + 0.1 * (flow is not None), 3),
    }
    if money:
        draft.update(amount=money[0].amount, currency=money[0].currency, original={"amount": money[0].raw})
        if money[0].currency == "USD":  # other currencies stay unconverted: no exchange-rate table ships yet
            draft["amount_usd"] = money[0].amount
    if not resolved:
        draft.setdefault("original", {})["financier"] = name
    out = [draft]
    builders: list[Party | None] = [p for p in s.suppliers if p.name != name] or [None]
    for country in deploy:
        for tech in techs:
            for party in builders:  # "built by CEIEC and Huawei and financed by Chinese loans": the builders supply
                claim: dict[str, Any] = {"kind": "deployment", "country": country, "technology": tech.key,
                                         "stage": stage, "year": draft["year"],
                                         "confidence": round(draft["confidence"] - 0.05, 3)}
                if party is not None:
                    claim.update(supplier=party.name, supplier_country=party.country, supplier_resolved=party.resolved)
                    if not party.resolved:
                        claim["original"] = {"supplier": party.name}
                out.append(claim)
    return out[:MAX_PER_SENTENCE]
