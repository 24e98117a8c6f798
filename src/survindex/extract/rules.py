"""Deployment and financing rules over analysed sentences, with light document context."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from survindex.extract import cues
from survindex.extract.facts import CAMERA_CAPABLE, Party, Sentence, Tech
from survindex.extract.money import Money, find_money, find_year

MAX_PER_SENTENCE = 24
_SECURITY: list[re.Pattern[str]] = []


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


def security_rx() -> re.Pattern[str]:
    if not _SECURITY:
        from survindex.extract.gazetteer import lexicon

        words = sorted(lexicon()["security_context"], key=len, reverse=True)
        _SECURITY.append(re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE))
    return _SECURITY[0]


DUAL_USE = frozenset({"drone"})  # surveillance only in a security or government setting


def sentence_techs(s: Sentence, ctx: DocContext) -> list[Tech]:
    """The sentence's technologies: specific ones (dual-use ones only in context), else resolved generic ones."""
    techs = s.techs
    if any(t.key in DUAL_USE for t in techs):
        setting = bool(security_rx().search(s.text) or cues.USER_NOUN.search(s.text)) or ctx.security
        techs = [t for t in techs if t.key not in DUAL_USE or setting]
    return techs or resolve_generic(s, ctx)


def resolve_generic(s: Sentence, ctx: DocContext) -> list[Tech]:
    """Generic camera mentions become the document's camera technology, or video surveillance in a security context."""
    if not s.generic or any(t.key not in DUAL_USE for t in s.techs):
        return []
    sold = [p.technology for p in s.suppliers if p.technology]
    if sold:
        return [Tech(sold[0], s.generic[0], False)]
    doc_cam = [t for t in ctx.techs if t in CAMERA_CAPABLE]
    if doc_cam:
        return [Tech(doc_cam[0], s.generic[0], False)]
    if security_rx().search(s.text) or ctx.security:
        return [Tech("video_surveillance", s.generic[0], False)]
    return []


def countries_for(s: Sentence, ctx: DocContext) -> tuple[list[str], str]:
    """Deployment countries and where they came from: sentence | context | default | none."""
    if s.deploy:
        return s.deploy, "sentence"
    if not s.words().isdisjoint(cues.MANY_TRIGGERS) and cues.MANY_COUNTRIES.search(s.text):
        return [], "none"
    if ctx.recent and ctx.recent_age <= 2:
        return ctx.recent, "context"
    if ctx.default_country:
        return [ctx.default_country], "default"
    return [], "none"


def _sentence_cues(s: Sentence) -> tuple[list[int], bool, str, list[tuple[int, int]]]:
    """Negation cue offsets, whether the sentence speculates, its stage and clause separators: once per sentence."""
    got = s.cache.get("cues")
    if got is None:
        words = s.words()
        negations = ([m.start() for m in cues.NEGATION.finditer(s.text)]
                     if not words.isdisjoint(cues.NEGATION_TRIGGERS) else [])
        hedged = not words.isdisjoint(cues.SPECULATION_TRIGGERS) and bool(cues.SPECULATION.search(s.text))
        got = (negations, hedged, cues.stage_of(s.text, words), s.separators())
        s.cache["cues"] = got
    return got  # type: ignore[return-value]


def _clause_flags(s: Sentence, pos: int) -> tuple[bool, bool, str]:
    negations, hedged, sentence_stage, seps = _sentence_cues(s)
    a, b = cues.clause_bounds(s.text, pos - s.start, seps)
    negated = any(a <= n < b for n in negations)
    stage = cues.stage_of(s.text[a:b]) if sentence_stage != "unknown" and (a, b) != (0, len(s.text)) \
        else sentence_stage
    if stage == "unknown":
        stage = sentence_stage
    if hedged and stage in ("unknown", "contracted", "operational"):
        stage = "announced"
    return negated, hedged, stage


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
    for tech in techs or [None]:  # type: ignore[list-item]
        negated, hedged, stage = _clause_flags(s, tech.start if tech else s.start)
        if negated and _refused(s, tech.start if tech else s.start):
            continue  # "declined to use facial recognition", "did not purchase a drone": no deployment to claim
        for country in countries or [None]:  # type: ignore[list-item]
            for party in suppliers:
                out.append(_deployment(s, tech, country, party, where, stage, negated, hedged))
    return out[:MAX_PER_SENTENCE]


def _refused(s: Sentence, pos: int) -> bool:
    """The clause turns the technology down (declined, refused, did not buy, never used) and the sentence gives
    no other way the agency has it; a denial of a report ("police denied that they use …") is kept, negated."""
    a, b = cues.clause_bounds(s.text, pos - s.start, s.separators())
    return bool(cues.REFUSAL.search(s.text, a, b)) and not cues.ACCESS.search(s.text)


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


def _financier(s: Sentence) -> tuple[str, str | None, bool] | None:
    """(canonical name, country, resolved) of the first lender/donor named in the sentence; a company that
    funds a project ("ZTE grants $3.5 million for …") when no lender is named."""
    if not s.financiers:
        if not s.suppliers:
            return None
        verb = cues.finance_verb(s.text, s.words())
        funders = [p for p in s.suppliers
                   if verb and 0 <= verb.start() - (p.start - s.start + len(p.name)) <= 25 + len(p.name)]
        if funders and (_money(s) or cues.flow_type_of(s.text, s.words())):
            return funders[0].name, funders[0].country, funders[0].resolved
        return None
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
    if not (cues.finance_verb(s.text, s.words()) or money or cues.flow_type_of(s.text, s.words())):
        return []
    techs = sentence_techs(s, ctx)
    if not techs:
        return []
    name, fin_country, resolved = fin
    flow = cues.flow_type_of(s.text, s.words())
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
    if not resolved:
        draft.setdefault("original", {})["financier"] = name
    out = [draft]
    for country in deploy:
        for tech in techs:
            out.append({"kind": "deployment", "country": country, "technology": tech.key, "stage": stage,
                        "year": draft["year"], "confidence": round(draft["confidence"] - 0.05, 3)})
    return out
