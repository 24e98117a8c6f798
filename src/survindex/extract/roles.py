"""Who deploys: the state actors of a sentence and whether the sentence reports a deployment at all.

An *actor* is a mention of a state's authorities: a public body from the reference table ("the FBI", "RAB",
"Roskomnadzor"), a country or city qualifying an actor noun ("Belarusian authorities", "Iran's Revolutionary Guards",
"police in Delhi", "Moscow's cameras"), a country that is the subject of a use verb ("Israel hacked …"), a head of
government's administration ("the Modi government"), or a bare actor noun ("the police"), whose state the document
supplies. A sentence whose frame reports on a technology without a state deploying it (a lawsuit, sanctions, a ban,
an advisory, a proposal, a denial, a vendor describing itself) yields no deployment. All cue words are package data
(``lexicon.yaml`` ``roles``, one block per language; ``reference/data/public_bodies.yaml``). Pure: no I/O.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Any

from survindex.extract.gazetteer import Mention, lexicon

DEFAULT_LANGUAGE = "en"
_SUBJECT_GAP = r"(?:[’']s)?\s+(?:(?:also|now|reportedly|allegedly|has|have|had|been|is|are|was|were|then|already|" \
               r"recently|itself|quietly|secretly|openly|long|still)\s+){0,3}"


@dataclass(frozen=True)
class Actor:
    country: str | None  # ISO3; None for a bare actor noun or a body of the European Union
    start: int  # sentence offset
    end: int
    how: str  # body | qualified | subject | leader | generic
    supranational: bool = False


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


@dataclass(frozen=True)
class _Cues:
    actor_after: re.Pattern[str]
    actor_before: re.Pattern[str]
    actor_any: re.Pattern[str]
    subject_after: re.Pattern[str]
    use: re.Pattern[str]
    blocked: re.Pattern[str]
    pronoun: re.Pattern[str]
    generic_subject: re.Pattern[str]
    recipient_before: re.Pattern[str]
    non_state: re.Pattern[str]
    product: re.Pattern[str]
    speech_after: re.Pattern[str]
    seen: dict[str, re.Pattern[str]]
    agent_before: re.Pattern[str]
    supply: re.Pattern[str]
    not_supplier: re.Pattern[str]
    stopwords: frozenset[str]


@cache
def cues(lang: str = DEFAULT_LANGUAGE) -> _Cues:
    table: dict[str, Any] = lexicon()["roles"]
    c = table.get(lang) or table[DEFAULT_LANGUAGE]
    nouns, mods = _alternation(c["actor_nouns"]), _alternation(c["actor_modifiers"])
    places = _alternation(c["actor_nouns"] + c["place_actor_nouns"])
    i = re.IGNORECASE
    return _Cues(
        actor_after=re.compile(r"(?:[’']s?)?\s+(?:(?:" + mods + r")\s+){0,3}(?:" + places + r")\b", i),
        actor_before=re.compile(r"\b(?:" + places + r")\s+(?:(?:of|in|around|across|throughout|de|du|des|del|en)\s+)?(?:the\s+|la\s+|le\s+|l['’])?$",
                                i),
        actor_any=re.compile(r"\b(?:" + nouns + r")\b", i),
        subject_after=re.compile(_SUBJECT_GAP + r"(?:" + _alternation(c["subject_verbs"]) + r")\b", i),
        use=re.compile(r"\b(?:" + _alternation(c["use_verbs"]) + r")\b", i),
        blocked=re.compile(r"\b(?:" + _alternation(c["not_deployment"]) + r")\b", i),
        pronoun=re.compile(r"^\W*(?:" + _alternation(c["subject_pronouns"]) + r")\b", i),
        recipient_before=re.compile(r"(?:\b(?:" + _alternation(c["supply_verbs"]) + r")\b[^.;]{0,80}?\b(?:" +
                                    _alternation(c["recipient_preps"]) + r")|\b(?:" + _alternation(c["equip_verbs"]) +
                                    r"))\s+(?:(?:" + mods + r")\s+){0,2}$", i),
        agent_before=re.compile(r"\b(?:" + _alternation(c["use_verbs"]) + r")\b(?:\s+[\w-]+){0,2}\s+(?:" +
                                _alternation(c["agent_preps"]) + r")\s+(?:(?:" + mods + r")\s+){0,2}$", i),
        seen={k: re.compile(r"\b(?:" + _alternation(v) + r")", i) for k, v in (c.get("evidence_words") or {}).items()},
        speech_after=re.compile(r"(?:[\w’'-]+\s+){0,3}?(?:" + _alternation(c["speech_verbs"]) + r")\b", i),
        product=re.compile(r"\b(?:" + _alternation(c["product_nouns"]) + r")\b", i),
        non_state=re.compile(r"\b(?:" + _alternation(c["non_state_agents"]) + r")\b", i),
        supply=re.compile(r"\b(?:" + _alternation(c["supply_verbs"]) + r")\b", i),
        generic_subject=re.compile(r"\b(?:" + _alternation(c["generic_subjects"]) + r")" + _SUBJECT_GAP +
                                   r"(?:" + _alternation(c["subject_verbs"]) + r")\b", i),
        not_supplier=re.compile(r"\b(?:" + _alternation(c["not_suppliers"]) + r")\b", i),
        stopwords=frozenset(c["stopwords"]),
    )


def language(text: str) -> str:
    """The lexicon language whose stopwords the text uses most (English when there is no lexicon for it)."""
    words = re.findall(r"[^\W\d_]+", text[:6000].lower())
    counts = Counter(words)
    best, score = DEFAULT_LANGUAGE, 0
    for lang in lexicon()["roles"]:
        n = sum(counts[w] for w in cues(lang).stopwords)
        if n > score * 1.2:
            best, score = lang, n
    return best


@dataclass(frozen=True)
class _Body:
    country: str
    kind: str


@cache
def _bodies() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, _Body]]:
    """(acronym regex, name regex, folded alias -> body) over the public-bodies table."""
    from survindex.extract.gazetteer import reference

    exact: list[str] = []
    folded: list[str] = []
    index: dict[str, _Body] = {}
    leaders: list[str] = []
    for b in reference("public_bodies")():
        names = [re.sub(r"\s*\([^)]*\)", "", b.name), *b.aliases]
        for n in names:
            if b.kind == "leader":
                leaders.append(n)
            elif n.isupper() or (len(n) <= 5 and not n.istitle()):
                exact.append(n)
            else:
                folded.append(n)
            index.setdefault(n.lower(), _Body(b.country, b.kind))
    gov = r"(?:[’']s)?\s+(?:government|administration|regime|gouvernement|régime|gobierno)\b"
    title = r"\b(?:President|Prime Minister|PM|Premier|Chancellor|Président|Presidente)\s+(?:[A-Z][\w-]+\s+){0,2}"
    lead = _alternation(leaders)
    regime_of = r"\b(?:regime|government|administration|régime|gouvernement|gobierno|régimen)\s+(?:of|de|du|d['’])\s*" \
                r"(?:[A-Z][\w-]+\s+){0,2}"
    name_rx = re.compile(r"(?<![\w-])(?:" + _alternation(folded) + r")(?![\w-])|\b(?:" + lead + r")(?=" + gov + r")|"
                         + title + r"(?:" + lead + r")\b|" + regime_of + r"(?:" + lead + r")\b", re.IGNORECASE)
    acronyms = re.compile(r"(?<![\w-])(?:" + _alternation(exact) + r")(?![\w-])")
    return acronyms, name_rx, index


def _body_of(surface: str, index: dict[str, _Body]) -> _Body | None:
    key = re.sub(r"\s+", " ", surface.strip()).lower()
    got = index.get(key)
    if got is None:
        last = key.split()[-1] if key else ""
        got = index.get(last)
    return got


def actors(text: str, mentions: list[Mention], start: int, lang: str = DEFAULT_LANGUAGE) -> list[Actor]:
    """The state actors of one sentence (``text``; ``mentions`` have document offsets, ``start`` is the
    sentence's document offset)."""
    c = cues(lang)
    out: list[Actor] = []
    acronyms, names, index = _bodies()
    for rx in (acronyms, names):
        for hit in rx.finditer(text):
            body = _body_of(hit.group(0), index)
            if body is not None:
                out.append(Actor(None if body.country == "EU" else body.country, hit.start(), hit.end(),
                                 "leader" if body.kind == "leader" else "body", body.country == "EU"))
    for m in mentions:
        entry = m.kinds.get("country")
        fin = m.kinds.get("financier")
        if entry is None and fin is not None and fin.detail and (fin.value or "").startswith("Government of"):
            out.append(Actor(fin.detail, m.start - start, m.end - start, "qualified"))  # "the US Government"
            continue
        if entry is None or entry.value is None:
            continue
        a, b = m.start - start, m.end - start
        if "." in m.surface and text[b:b + 1] == ".":
            b += 1
        after, before = text[b:b + 80], text[max(0, a - 50):a]
        if c.actor_after.match(after) or c.actor_before.search(before) or _owns(text, b, c, m, mentions):
            out.append(Actor(entry.value, a, b, "qualified"))
        elif entry.detail != "demonym" and c.subject_after.match(after) and not _object_of_preposition(before):
            out.append(Actor(entry.value, a, b, "subject"))
        elif c.recipient_before.search(text[max(0, a - 120):a]) or c.agent_before.search(before):
            out.append(Actor(entry.value, a, b, "recipient"))  # "sold … to Uganda's police", "bought by Mexico"
    speakers = [a for a in out if _speaks(text, a, c)]
    out = [a for a in out if a not in speakers]
    if not out:
        m2 = next((g for g in c.actor_any.finditer(text)
                   if not any(s.start <= g.start() <= s.end + 40 for s in speakers)), None) \
            or c.generic_subject.search(text)
        if m2 is not None:
            out.append(Actor(None, m2.start(), m2.end(), "generic"))
    return out


_POSSESSIVE = re.compile(r"[’']s?\s+(?:(?!(?:that|which|who|whom|to|and|of|or|was|is|were|are|had|has)\b)[\w,.-]+\s+){0,3}"
                         r"[\w-]+", re.IGNORECASE)


def _owns(text: str, b: int, c: _Cues, m: Mention, mentions: list[Mention]) -> bool:
    """"Moscow's 178,000 CCTV cameras", "Israel's hacking of …": a country or city whose possessive governs a
    technology or a use of one within the next four words."""
    if text[b:b + 1] not in ("’", "'"):
        return False
    gap = _POSSESSIVE.match(text, b)
    if gap is None:
        return False
    start = m.end - b  # the sentence's document offset
    if any(o.kinds.get("tech") is not None and b < o.start - start <= gap.end() for o in mentions):
        return True
    return c.use.search(text, b, gap.end()) is not None


def _speaks(text: str, a: Actor, c: _Cues) -> bool:
    """An actor whose only act in the sentence is speech: "Dutch officials said", "the FBI told reporters"."""
    after = text[a.end:a.end + 60]
    speech = c.speech_after.match(after.lstrip(" ,’'s"))
    if speech is None:
        return False
    return c.subject_after.match(after) is None


_PREP = re.compile(r"\b(?:in|into|against|from|to|at|on|of|with|over|across|inside|toward|towards|near|for)\s+"
                   r"(?:the\s+)?$", re.IGNORECASE)


def _object_of_preposition(before: str) -> bool:
    return bool(_PREP.search(before[-25:]))


def blocked(text: str, lang: str = DEFAULT_LANGUAGE) -> bool:
    """Whether the sentence's frame is one that reports no deployment (suit, sanction, ban, proposal, denial …)."""
    return cues(lang).blocked.search(text) is not None


def other_user(text: str, acts: list[Actor], lang: str = DEFAULT_LANGUAGE) -> bool:
    """Whether someone other than a state is the sentence's user of the technology: a journalist, researcher,
    hacker or company named before the first use verb, ahead of any named state actor ("the journalists
    analysed police surveillance footage")."""
    c = cues(lang)
    agent = next((m for m in c.non_state.finditer(text) if text[m.end():m.end() + 1] not in "’'"
                  and not _object_of_preposition(text[max(0, m.start() - 25):m.start()])), None)
    if agent is None:
        return False
    verb = c.subject_after.search(text, agent.end()) or c.use.search(text, agent.end())
    if verb is None:
        return False
    return not acts or min(a.start for a in acts) > agent.start()


def evidenced(technology: str, text: str, lang: str = DEFAULT_LANGUAGE) -> bool:
    """Whether a sentence shows the words a technology needs ("surveillance system" is video surveillance only
    beside a camera, CCTV or video word); technologies without such a list always pass."""
    rx = cues(lang).seen.get(technology)
    return rx is None or rx.search(text) is not None


def product_noun(text: str, lang: str = DEFAULT_LANGUAGE) -> bool:
    return cues(lang).product.search(text) is not None


def supplies(text: str, lang: str = DEFAULT_LANGUAGE) -> bool:
    return cues(lang).supply.search(text) is not None


def uses(text: str, lang: str = DEFAULT_LANGUAGE) -> bool:
    return cues(lang).use.search(text) is not None


def continues(text: str, lang: str = DEFAULT_LANGUAGE) -> bool:
    """Whether the sentence opens with a pronoun or a definite actor continuing the previous sentence's actor."""
    return cues(lang).pronoun.match(text) is not None


def not_a_supplier(name: str, lang: str = DEFAULT_LANGUAGE) -> bool:
    """Whether an organisation's name marks it as an NGO, platform, medium, researcher, court or public body."""
    return cues(lang).not_supplier.search(name) is not None or cues(DEFAULT_LANGUAGE).not_supplier.search(name) is not None


@cache
def _company_words() -> frozenset[str]:
    return frozenset(w.lower().rstrip(".") for w in lexicon()["company_suffixes"])


def supplier_like(name: str, resolved: bool, lang: str = DEFAULT_LANGUAGE) -> bool:
    """Whether a supplier a rule found can stand in a long document: a registry company, or an unregistered name
    with a company suffix ("Emerging MC de Mexico S.A.", "Innefu Labs"); never an NGO, platform, medium,
    researcher, court or public body."""
    if not_a_supplier(name, lang):
        return False
    return resolved or any(w.lower().rstrip(".,") in _company_words() for w in name.split()[1:])


def home_country(found: list[list[Actor]], fallback: str | None = None) -> str | None:
    """The state whose actors the document names most (named bodies and qualified actors count double)."""
    votes: Counter[str] = Counter()
    for acts in found:
        for a in acts:
            if a.country:
                votes[a.country] += 2 if a.how in ("body", "qualified") else 1
    return votes.most_common(1)[0][0] if votes else fallback
