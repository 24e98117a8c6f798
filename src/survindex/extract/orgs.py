"""Organisations the registry does not know, found from how suppliers are written about.

Three patterns: a capitalised name ending in a company suffix ("Visual Labs Inc.", "Bi2 Technologies"), a
capitalised name after a supply phrase ("purchased … from Wireless CCTV", "manufactured by …", "worked with …"),
and a CamelCase brand in front of a product ("SkyCop surveillance trailers", "TerraHawk Mobile … Tower").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from survindex.extract.gazetteer import lexicon

_TOKEN = re.compile(r"[A-Za-z0-9][\w&'’\-]*\.?")
_SUPPLY_BEFORE = re.compile(
    r"\b(?:(?:purchas\w*|bought|buying|acquir\w*|order\w*|obtain\w*|procur\w*|leas\w*)\b[^.;]{0,80}?\bfrom"
    r"|(?:manufactured|made|built|developed|designed|supplied|provided|sold|installed|produced|operated|powered)\s+by"
    r"|(?:contract|agreement|partnership|deal|partnered|worked|working|teamed up|collaborat\w*)\s+with"
    r"|systems?\s+by|cameras?\s+by|readers?\s+by|(?:drones?|devices?|software|technology|platform)\s+(?:from|by))"
    r"\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_FUNCTION = frozenset("a an the of and or in on at to for with by from as its their his her this that these those "
                      "is are was were has have had be been it which who".split())
PRODUCT_NOUNS = frozenset("camera cameras drone drones system systems trailer trailers tower towers reader readers "
                          "device devices software platform unit units scanner scanners app sensors sensor".split())


@dataclass(frozen=True)
class Org:
    start: int
    end: int
    name: str
    how: str  # suffix | supply | brand


@cache
def _words() -> tuple[frozenset[str], frozenset[str]]:
    lex = lexicon()
    return (frozenset(w.lower() for w in lex["public_body_words"]),
            frozenset(w.lower().rstrip(".") for w in lex["company_suffixes"]))


def _is_cap(tok: str) -> bool:
    return tok[:1].isupper() or (tok[:1].isdigit() and any(c.isalpha() for c in tok))


def _clean(tok: str) -> str:
    return tok.rstrip(".").lower()


def _public(tokens: list[str]) -> bool:
    public, _ = _words()
    return any(_clean(t) in public for t in tokens)


def _continues_name(toks: list[re.Match[str]], j: int) -> bool:
    """"Center on Privacy & Technology": the name is the tail of a longer capitalised name."""
    return j >= 2 and _clean(toks[j - 1].group()) in ("of", "on", "for", "and") and _is_cap(toks[j - 2].group())


def _suffix_orgs(toks: list[re.Match[str]], sentence: str) -> list[Org]:
    _, suffixes = _words()
    out: list[Org] = []
    for i, m in enumerate(toks):
        if i == 0 or not _is_cap(m.group()) or _clean(m.group()) not in suffixes:
            continue
        j = i
        while j > 0 and _is_cap(toks[j - 1].group()) and _clean(toks[j - 1].group()) not in _FUNCTION and i - j < 4:
            j -= 1
        names = [t.group() for t in toks[j:i + 1]]
        if j == i or _public(names) or all(_clean(n) in suffixes for n in names) or _continues_name(toks, j):
            continue
        keep_dot = _clean(m.group()) in ("inc", "corp", "co", "ltd")
        end = m.end() - (m.group().endswith(".") and not keep_dot)
        out.append(Org(toks[j].start(), end, "", "suffix"))
    return out


_CUE_AT = re.compile(r"\b(?:from|by|with)\s+(?:the\s+)?(?=[A-Z0-9])")


def _supply_orgs(sentence: str, toks: list[re.Match[str]]) -> list[Org]:
    starts = {m.start(): i for i, m in enumerate(toks)}
    out: list[Org] = []
    for cue in _CUE_AT.finditer(sentence):
        i = starts.get(cue.end())
        if i is None or not _SUPPLY_BEFORE.search(sentence, max(0, cue.end() - 120), cue.end()):
            continue
        m = toks[i]
        if _clean(m.group()) in _FUNCTION:
            continue
        j = i
        while j + 1 < len(toks) and j - i < 3 and _is_cap(toks[j + 1].group()) and \
                toks[j + 1].start() - toks[j].end() <= 1 and not toks[j].group().endswith("."):
            j += 1
        names = [t.group() for t in toks[i:j + 1]]
        if _public(names) or (len(names) == 1 and names[0].rstrip(".").isupper()):
            continue  # public bodies; bare acronyms are usually agencies or programmes defined earlier
        out.append(Org(m.start(), toks[j].end() - toks[j].group().endswith("."), "", "supply"))
    return out


_BRAND = re.compile(r"\b(?:(?!Mc|Mac|De[A-Z]|La[A-Z]|Le[A-Z]|Di[A-Z]|Van[A-Z])[A-Z][a-z]+[A-Z][A-Za-z]*"
                    r"|(?P<b>[A-Z][\w&]*(?:\s[A-Z][\w&]*)?)-brand)\b")


def _brand_orgs(sentence: str, toks: list[re.Match[str]], tech_starts: set[int]) -> list[Org]:
    starts = {m.start(): i for i, m in enumerate(toks)}
    out: list[Org] = []
    for b in _BRAND.finditer(sentence):
        name = b.group("b") or b.group()
        if not b.group("b"):
            i = starts.get(b.start())
            ahead = toks[i + 1:i + 5] if i is not None else []
            if not any(t.start() in tech_starts or _clean(t.group()) in PRODUCT_NOUNS for t in ahead):
                continue
        if _public([name]):
            continue
        out.append(Org(b.start(), b.start() + len(name), "", "brand"))
    return out


_CAP_WORD = re.compile(r"\b[A-Z][A-Za-z]*")
_CUE_WORDS = frozenset({"from", "by", "with"})
_CAMEL_HINT = re.compile(r"[a-z][A-Z]")  # with "-brand", the only way a brand pattern can fire


def find_orgs(sentence: str, tech_starts: set[int], words: frozenset[str] | None = None) -> list[Org]:
    """Candidate supplier organisations in one sentence (offsets relative to the sentence), de-overlapped."""
    _, suffixes = _words()
    suffix = (words is None or not words.isdisjoint(suffixes)) and \
        not suffixes.isdisjoint(w.lower() for w in _CAP_WORD.findall(sentence))
    supply = (words is None or not words.isdisjoint(_CUE_WORDS)) and bool(_CUE_AT.search(sentence))
    brand = "-brand" in sentence or bool(_CAMEL_HINT.search(sentence))
    if not (suffix or supply or brand):
        return []  # no pattern can fire: skip tokenising
    toks = list(_TOKEN.finditer(sentence))
    found = ((_suffix_orgs(toks, sentence) if suffix else []) + (_supply_orgs(sentence, toks) if supply else [])
             + (_brand_orgs(sentence, toks, tech_starts) if brand else []))
    found.sort(key=lambda o: (o.start, -(o.end - o.start)))
    out: list[Org] = []
    for o in found:
        if out and o.start < out[-1].end:
            continue
        name = sentence[o.start:o.end].strip(" ’'-")
        if len(name) >= 2 and name.lower() not in _FUNCTION:
            out.append(Org(o.start, o.end, name, o.how))
    return out
