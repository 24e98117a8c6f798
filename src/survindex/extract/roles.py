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
from functools import cache, lru_cache
from collections.abc import Iterator
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


_TOKEN = re.compile(r"[^\W_]+")
Span = tuple[int, int]


@lru_cache(maxsize=8192)
def _tokens(text: str, case: bool = False) -> tuple[tuple[str, int, int], ...]:
    """(lower-case token, start, end) of every word of a sentence (split at apostrophes and hyphens too); with
    ``case``, the tokens as written."""
    return tuple((m.group(0) if case else m.group(0).lower(), m.start(), m.end()) for m in _TOKEN.finditer(text))


@lru_cache(maxsize=8192)
def _word_set(text: str, case: bool = False) -> frozenset[str]:
    return frozenset(_TOKEN.findall(text if case else text.lower()))


class _Phrases:
    """A phrase list matched on word tokens (what ``\\b(?:a|b c)\\b`` with IGNORECASE finds, without running a
    large alternation at every character)."""

    def __init__(self, phrases: list[str], case: bool = False) -> None:
        self.case = case
        self.first: dict[str, list[tuple[str, ...]]] = {}
        for p in phrases:
            toks = tuple(t if case else t.lower() for t in _TOKEN.findall(p))
            if toks:
                self.first.setdefault(toks[0], []).append(toks)
        for v in self.first.values():
            v.sort(key=len, reverse=True)

    def matches(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[tuple[int, int, tuple[str, ...]]]:
        """(start, end, the phrase's tokens) of each match, longest phrase first at each word."""
        if self.first.keys().isdisjoint(_word_set(text, self.case)):
            return  # no phrase can start here: the common case, decided without token positions
        toks = _tokens(text, self.case)
        end = len(text) if endpos is None else endpos
        for i, (t, a, _) in enumerate(toks):
            if a < pos or a >= end or t not in self.first:
                continue
            for ph in self.first[t]:
                n = len(ph)
                if i + n <= len(toks) and all(toks[i + k][0] == ph[k] for k in range(1, n)) and toks[i + n - 1][2] <= end:
                    yield a, toks[i + n - 1][2], ph
                    break

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[Span]:
        return ((a, b) for a, b, _ in self.matches(text, pos, endpos))

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> Span | None:
        return next(self.finditer(text, pos, endpos), None)


@dataclass(frozen=True)
class _Cues:
    actor_after: re.Pattern[str]
    actor_before: re.Pattern[str]
    actor_any: _Phrases
    subject_after: re.Pattern[str]
    use: _Phrases
    blocked: _Phrases
    subject_verb: _Phrases
    pronoun: re.Pattern[str]
    generic_subject: re.Pattern[str]
    recipient_before: re.Pattern[str]
    non_state: _Phrases
    product: _Phrases
    speech_after: re.Pattern[str]
    seen: dict[str, re.Pattern[str]]
    agent_before: re.Pattern[str]
    supply: _Phrases
    not_supplier: _Phrases
    stopwords: frozenset[str]
    # The first words of each list's phrases: a sentence with none of them cannot match (checked before the regex).
    first: dict[str, frozenset[str]]


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
        actor_any=_Phrases(c["actor_nouns"]),
        subject_after=re.compile(_SUBJECT_GAP + r"(?:" + _alternation(c["subject_verbs"]) + r")\b", i),
        use=_Phrases(c["use_verbs"]),
        blocked=_Phrases(c["not_deployment"]),
        subject_verb=_Phrases(c["subject_verbs"]),
        pronoun=re.compile(r"^\W*(?:" + _alternation(c["subject_pronouns"]) + r")\b", i),
        recipient_before=re.compile(r"(?:\b(?:" + _alternation(c["supply_verbs"]) + r")\b[^.;]{0,80}?\b(?:" +
                                    _alternation(c["recipient_preps"]) + r")|\b(?:" + _alternation(c["equip_verbs"]) +
                                    r"))\s+(?:(?:" + mods + r")\s+){0,2}$", i),
        agent_before=re.compile(r"\b(?:" + _alternation(c["use_verbs"]) + r")\b(?:\s+[\w-]+){0,2}\s+(?:" +
                                _alternation(c["agent_preps"]) + r")\s+(?:(?:" + mods + r")\s+){0,2}$", i),
        seen={k: re.compile(r"\b(?:" + _alternation(v) + r")", i) for k, v in (c.get("evidence_words") or {}).items()},
        speech_after=re.compile(r"(?:[\w’'-]+\s+){0,3}?(?:" + _alternation(c["speech_verbs"]) + r")\b", i),
        product=_Phrases(c["product_nouns"]),
        non_state=_Phrases(c["non_state_agents"]),
        supply=_Phrases(c["supply_verbs"]),
        generic_subject=re.compile(r"\b(?:" + _alternation(c["generic_subjects"]) + r")" + _SUBJECT_GAP +
                                   r"(?:" + _alternation(c["subject_verbs"]) + r")\b", i),
        not_supplier=_Phrases(c["not_suppliers"]),
        stopwords=frozenset(c["stopwords"]),
        first={k: _first_words(c[k]) for k in ("actor_nouns", "use_verbs", "not_deployment", "non_state_agents",
                                                  "product_nouns", "supply_verbs", "generic_subjects", "subject_verbs",
                                                  "place_actor_nouns", "equip_verbs", "agent_preps")},
    )


def _first_words(phrases: list[str]) -> frozenset[str]:
    return frozenset(t[0] for t in (_TOKEN.findall(p.lower()) for p in phrases) if t)


@lru_cache(maxsize=8192)
def words(text: str) -> frozenset[str]:
    """The lower-case word tokens of a sentence (split at apostrophes and hyphens too), computed once."""
    return _word_set(text)


def _may(c: _Cues, key: str, text: str) -> bool:
    return not words(text).isdisjoint(c.first[key])


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


_GOV_AFTER = re.compile(r"(?:[’']s)?\s+(?:government|administration|regime|gouvernement|régime|gobierno)\b",
                        re.IGNORECASE)
_LEADER_BEFORE = re.compile(r"(?:\b(?:President|Prime Minister|PM|Premier|Chancellor|Président|Presidente)\s+|"
                            r"\b(?:regime|government|administration|régime|gouvernement|gobierno|régimen)\s+"
                            r"(?:of|de|du|d['’])\s*|\b(?:under|sous|bajo)\s+)(?:[A-Z][\w-]+\s+){0,2}$", re.IGNORECASE)


def _body_actor(text: str, m: Mention, start: int) -> Actor | None:
    """A public body the gazetteer found (a head of government only as "<name> government", "President <name>",
    "the regime of <name>", "under <name>")."""
    e = m.kinds["body"]
    a, b = m.start - start, m.end - start
    if e.detail == "leader" and not (_GOV_AFTER.match(text, b) or _LEADER_BEFORE.search(text[max(0, a - 60):a])):
        return None
    eu = e.value == "EU"
    return Actor(None if eu else e.value, a, b, "leader" if e.detail == "leader" else "body", eu)


def actors(text: str, mentions: list[Mention], start: int, lang: str = DEFAULT_LANGUAGE) -> list[Actor]:
    """The state actors of one sentence (``text``; ``mentions`` have document offsets, ``start`` is the
    sentence's document offset)."""
    c = cues(lang)
    out: list[Actor] = []
    for m in mentions:
        if "body" in m.kinds:
            found = _body_actor(text, m, start)
            if found is not None:
                out.append(found)
            continue
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
        nouns = _may(c, "actor_nouns", text) or _may(c, "place_actor_nouns", text)
        if nouns and (c.actor_after.match(after) or c.actor_before.search(before)) or _owns(text, b, c, m, mentions):
            out.append(Actor(entry.value, a, b, "qualified"))
        elif entry.detail != "demonym" and c.subject_after.match(after) and not _object_of_preposition(before):
            out.append(Actor(entry.value, a, b, "subject"))
        elif (_may(c, "supply_verbs", text) or _may(c, "equip_verbs", text)) \
                and c.recipient_before.search(text[max(0, a - 120):a]) \
                or _may(c, "agent_preps", text) and c.agent_before.search(before):
            out.append(Actor(entry.value, a, b, "recipient"))  # "sold … to Uganda's police", "bought by Mexico"
    speakers = [a for a in out if _speaks(text, a, c)]
    out = [a for a in out if a not in speakers]
    if not out and (_may(c, "actor_nouns", text) or _may(c, "generic_subjects", text)):
        g = next((g for g in c.actor_any.finditer(text) if not any(s.start <= g[0] <= s.end + 40 for s in speakers)),
                 None)
        if g is None and _may(c, "generic_subjects", text):
            m2 = c.generic_subject.search(text)
            g = m2.span() if m2 is not None else None
        if g is not None:
            out.append(Actor(None, g[0], g[1], "generic"))
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
    return c.use.search(text, b, gap.end() + 1) is not None


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
    c = cues(lang)
    return c.blocked.search(text) is not None


def other_user(text: str, acts: list[Actor], lang: str = DEFAULT_LANGUAGE) -> bool:
    """Whether someone other than a state is the sentence's user of the technology: a journalist, researcher,
    hacker or company named before the first use verb, ahead of any named state actor ("the journalists
    analysed police surveillance footage")."""
    c = cues(lang)
    agent = next((m for m in c.non_state.finditer(text) if text[m[1]:m[1] + 1] not in "’'"
                  and not _object_of_preposition(text[max(0, m[0] - 25):m[0]])), None)
    if agent is None:
        return False
    if c.subject_verb.search(text, agent[1]) is None and c.use.search(text, agent[1]) is None:
        return False
    return not acts or min(a.start for a in acts) > agent[0]


def evidenced(technology: str, text: str, lang: str = DEFAULT_LANGUAGE) -> bool:
    """Whether a sentence shows the words a technology needs ("surveillance system" is video surveillance only
    beside a camera, CCTV or video word); technologies without such a list always pass."""
    rx = cues(lang).seen.get(technology)
    return rx is None or rx.search(text) is not None


def product_noun(text: str, lang: str = DEFAULT_LANGUAGE) -> bool:
    c = cues(lang)
    return c.product.search(text) is not None


def supplies(text: str, lang: str = DEFAULT_LANGUAGE) -> bool:
    c = cues(lang)
    return c.supply.search(text) is not None


def uses(text: str, lang: str = DEFAULT_LANGUAGE) -> bool:
    c = cues(lang)
    return c.use.search(text) is not None


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
