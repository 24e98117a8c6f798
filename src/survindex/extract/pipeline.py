"""``extract(doc_id, text, title)``: a document in, cited claims out. Pure: no I/O, no database."""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import fields
from typing import Any, TypeVar

from survindex.extract import cues, news, techpatterns
from survindex.extract.emit import emit, emit_record
from survindex.extract.facts import Sentence, Tech, analyse
from survindex.extract.gazetteer import Mention, gazetteer
from survindex.extract.reach import reach_claims
from survindex.extract.rules import DocContext, deployment_claims, financing_claims
from survindex.extract.structure import structure
from survindex.extract.text import normalise, sentences
from survindex.model import Claim

SHORT_DOCUMENT = 6  # sentences: a summary or a record title, where one named country is the document's country


def _sentences(text: str) -> list[Sentence]:
    mentions = gazetteer().find(text, normalise(text))
    starts = [m.start for m in mentions]
    out: list[Sentence] = []
    for a, b in sentences(text):
        i, j = bisect_left(starts, a), bisect_left(starts, b)
        ms: list[Mention] = [m for m in mentions[i:j] if m.end <= b]
        t = text[a:b]
        out.append(Sentence(a, b, t, ms, cues.words_of(t)))
    return out


def _one_sense(sents: list[Sentence]) -> None:
    """A city name that could be anywhere takes the reading in a country the document names ("San Juan" in a
    Texas text, "Salem" beside a sheriff's office); a place with no reading there (Nairobi) is left alone."""
    american = any(s.strong_agency for s in sents)
    named = {c for s in sents for c in s.named} | ({"USA"} if american else set())
    if not named:
        return
    for s in sents:
        for c in s.by_place - named:
            other = sorted(s.readings.get(c, set()) & named)
            if other:
                s.deploy = list(dict.fromkeys(other[0] if d == c else d for d in s.deploy))
            elif american:  # a US agency's text: a small US town ("San Pedro") shares a foreign city's name
                s.deploy = [d for d in s.deploy if d != c]


def _context(sents: list[Sentence], text: str, title: str | None) -> DocContext:
    _one_sense(sents)
    ctx = DocContext(text=text)
    for s in sents:
        for t in s.techs:
            if t.key not in ctx.techs:
                ctx.techs.append(t.key)
    if title:
        head = [analyse(s) for s in _sentences(title)]
        in_title = [c for s in head for c in s.deploy]
        if in_title:
            ctx.default_country = in_title[0]
        for s in head:
            ctx.techs += [t.key for t in s.techs if t.key not in ctx.techs]
    if ctx.default_country is None:
        named = {c for s in sents for c in s.deploy}
        short = len(sents) <= SHORT_DOCUMENT
        american = _american(sents)
        if (short and len(named) == 1) or (american and named <= {"USA"}):
            ctx.default_country = named.pop() if named else "USA"
        elif not named and not american:  # "… at Uzbekistan border crossing points": the only country named
            borders = {c for s in sents for c in s.border}
            if len(borders) == 1:
                ctx.default_country = borders.pop()
    return ctx


def _american(sents: list[Sentence]) -> bool:
    """A US agency cue, and when the only cues are ones other countries share ("county"), no foreign name."""
    if any(s.strong_agency for s in sents):
        return True
    return any(s.agency for s in sents) and not any(
        e.value != "USA" for s in sents for m in s.mentions for e in m.entries if e.kind == "country")


_SUPPLY_HINT = re.compile(r"\b(?:from|by|with|brand)\b|-brand|[a-z][A-Z]")
_KEY_KINDS = frozenset({"tech", "company", "financier"})


def _depth(s: Sentence, doc_has_tech: bool) -> int:
    """2: full analysis; 1: country roles only; 0: nothing to find (no names, no figures)."""
    if any(not m.kinds.keys().isdisjoint(_KEY_KINDS) for m in s.mentions):
        return 2
    if doc_has_tech and _SUPPLY_HINT.search(s.text):
        return 2
    return 1 if s.mentions or "countr" in s.text or "nation" in s.text else 0


def _analysed(text: str) -> list[tuple[Sentence, int]]:
    sents = _sentences(text)
    doc_has_tech = any("tech" in m.kinds for s in sents for m in s.mentions)
    out: list[tuple[Sentence, int]] = []
    for s in sents:
        depth = _depth(s, doc_has_tech)
        out.append((analyse(s, full=depth == 2) if depth else s, depth))
    return out


def _drafts(s: Sentence, depth: int, prev: str, ctx: DocContext) -> list[dict[str, Any]]:
    reach = reach_claims(s, prev)
    if reach or depth < 2:
        return reach
    fin = financing_claims(s, ctx)
    if fin:
        return fin
    return deployment_claims(s, ctx)


def extract(doc_id: str, text: str, title: str | None = None) -> list[Claim]:
    """Every claim the rules find in ``text``, each quoting its sentence with an exact span."""
    return list(_extract(doc_id, text, title, _emit_claim).values())


def _emit_claim(doc_id: str, text: str, start: int, end: int, draft: dict[str, Any]) -> tuple[str, Claim]:
    claim = emit(doc_id, text, start, end, draft)
    return claim.id, claim


T = TypeVar("T")


def _extract(doc_id: str, text: str, title: str | None,
             make: Callable[[str, str, int, int, dict[str, Any]], tuple[str, T]]) -> dict[str, T]:
    """Claims (as ``make`` builds them) by id, in the order found (the first occurrence of a claim wins).
    Rules read the prose mask of the text (``structure``); quotes and spans are cut from the text itself."""
    if not text or not text.strip():
        return {}
    shape = structure(text)
    view = shape.mask
    analysed = [_by_pattern(s, depth) for s, depth in _analysed(view)]
    sents = [s for s, _ in analysed]
    ctx = _context(sents, view, title)
    reading = news.read([(s.start, s.text, s.mentions) for s in sents], view, _about(sents, ctx)) \
        if news.is_long(text) else None
    found: list[tuple[int, int, dict[str, Any], bool]] = []
    prev = ""
    last: Sentence | None = None  # the latest sentence that named a technology (for "the app", "the system")
    for i, (s, depth) in enumerate(analysed):
        if s.deploy:
            ctx.recent, ctx.recent_age = list(s.deploy), 0
        elif ctx.recent and ctx.recent_age <= 4 and not s.words.isdisjoint(cues.ANAPHOR_TRIGGERS) \
                and cues.ANAPHOR.search(s.text):
            s.deploy = list(ctx.recent)
        if s.techs:
            last = s
        elif last is not None and _carry_tech(s, last):
            depth = 2
        drafts = _drafts(s, depth, prev, ctx) if depth else []
        if reading is not None:
            drafts = news.gate(reading, i, s.text, drafts, (s.start, s.end), s.suppliers)
        weak = shape.is_weak(s.start, s.end)
        found += [(s.start, s.end, d, weak) for d in drafts]
        if not s.deploy:
            ctx.recent_age += 1
        prev = s.text
    spans = news.merge(found, text, reading.supply) if reading is not None else [f[:3] for f in found]
    claims: dict[str, T] = {}
    for a, b, draft in spans:
        claim_id, claim = make(doc_id, text, a, b, draft)
        claims.setdefault(claim_id, claim)
    return claims


def _about(sents: list[Sentence], ctx: DocContext) -> str | None:
    """The document's own country when it has one: the context's default, else the only country it names."""
    if ctx.default_country:
        return ctx.default_country
    named = {c for s in sents for c in s.deploy}
    return named.pop() if len(named) == 1 else None


def _by_pattern(s: Sentence, depth: int) -> tuple[Sentence, int]:
    """A sentence the automaton found nothing key in, but a technology pattern matches ("sensors that listen
    for gunfire", "Safe Zanzibar Project"): analysed in full after all."""
    if depth == 2 or not (techpatterns.find(s.text, s.words) or "Safe " in s.text):
        return s, depth
    return analyse(Sentence(s.start, s.end, s.text, s.mentions, s.words)), 2


_TECH_ANAPHOR = re.compile(r"\b(?:the|this|that|its|their|same)\s+(?:\w+\s+)?(?:app|application|system|software|"
                           r"technology|tool|platform|service|devices?|program|programme)\b", re.IGNORECASE)
_TECH_ANAPHOR_WORDS = frozenset({"app", "application", "system", "software", "technology", "tool", "platform",
                                 "service", "device", "devices", "program", "programme"})


def _carry_tech(s: Sentence, last: Sentence) -> bool:
    """"Police in Finland also tested the app": a sentence that names a new deployment country and refers to
    the previous technology by a definite noun inherits that technology and its suppliers."""
    if s.generic or not s.deploy or set(s.deploy) <= set(last.deploy) or s.words.isdisjoint(_TECH_ANAPHOR_WORDS):
        return False
    if _TECH_ANAPHOR.search(s.text) is None:
        return False
    s.techs = [Tech(t.key, s.start, False) for t in last.techs]  # at this sentence: its clause decides
    s.suppliers = s.suppliers or list(last.suppliers)
    return True


def extract_document(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """One input record (``id``, ``text``, optional ``title``) to claim dicts."""
    text = doc.get("text")
    if not isinstance(text, str):
        raise ValueError("document has no text field (a string is required)")
    doc_id = str(doc.get("id") or "")
    if not doc_id:
        from survindex.model import document_id

        doc_id = document_id(text)
    title = doc.get("title") if isinstance(doc.get("title"), str) else None
    return list(_extract(doc_id, text, title, emit_record).values())


_FIELDS = tuple(f.name for f in fields(Claim))
# A Claim's __dict__ holds exactly its fields, in field order (a dataclass without slots): copy it in one step.
_PLAIN_DICT = not hasattr(Claim, "__slots__")


def claim_dict(c: Claim, claim_id: str | None = None) -> dict[str, Any]:
    """``Claim.to_dict()`` without ``dataclasses.asdict``'s deep copy (a quarter of the run time)."""
    d = dict(c.__dict__) if _PLAIN_DICT and len(c.__dict__) == len(_FIELDS) else {n: getattr(c, n) for n in _FIELDS}
    d["original"] = dict(c.original)
    d["evidence"] = list(c.evidence)
    d["citations"] = list(c.citations)
    d["id"] = claim_id or c.id
    d["aigs_category"] = c.aigs_category
    return d


def extract_jsonl(lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    """Stream: one JSON document a line in, one claim dict out per claim (blank lines skipped)."""
    for line in lines:
        if line.strip():
            yield from extract_document(json.loads(line))
