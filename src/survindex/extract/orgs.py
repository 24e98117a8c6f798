"""Organisations the registry does not know, found from how suppliers are written about.

Patterns: a capitalised name ending in a company suffix ("Visual Labs Inc.", "Bi2 Technologies"), a
capitalised name after a supply phrase ("purchased … from Wireless CCTV", "manufactured by …", "worked with …"),
a CamelCase brand in front of a product ("SkyCop surveillance trailers", "TerraHawk Mobile … Tower"), a
capitalised name right before a lower-case product noun ("flies Autel EVO II drones"), the object of a hiring
verb ("contracted Safaricom to build") and a name in apposition to a supplier noun ("a local contractor, Danaide").
"""

from __future__ import annotations

import itertools
import re
from functools import cache
from typing import NamedTuple

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


class Org(NamedTuple):
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


def _supply_orgs(sentence: str) -> list[Org]:
    out: list[Org] = []
    for cue in _CUE_AT.finditer(sentence):
        # the cue ends in whitespace, so a token starts where it ends: tokenise from there, not the whole sentence
        toks = list(itertools.islice(_TOKEN.finditer(sentence, cue.end()), 4))
        if not toks or toks[0].start() != cue.end() or _clean(toks[0].group()) in _FUNCTION:
            continue
        if not _SUPPLY_BEFORE.search(sentence, max(0, cue.end() - 120), cue.end()):
            continue
        j = 0
        while j + 1 < len(toks) and _is_cap(toks[j + 1].group()) and \
                toks[j + 1].start() - toks[j].end() <= 1 and not toks[j].group().endswith("."):
            j += 1
        names = [t.group() for t in toks[:j + 1]]
        if _public(names) or (len(names) == 1 and names[0].rstrip(".").isupper()):
            continue  # public bodies; bare acronyms are usually agencies or programmes defined earlier
        out.append(Org(toks[0].start(), toks[j].end() - toks[j].group().endswith("."), "", "supply"))
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
_CASE_CLASS = bytes(ord("A") if 65 <= c <= 90 else ord("a") if 97 <= c <= 122 else 32 for c in range(256))


def _camel(sentence: str) -> bool:
    """A lower-case letter followed by a capital ("SkyCop"): by a byte table for ASCII text (faster than the regex)."""
    if sentence.isascii():
        return b"aA" in sentence.encode("ascii").translate(_CASE_CLASS)
    return bool(_CAMEL_HINT.search(sentence))


_PRODUCT_HEAD = re.compile(r"\s(?:cameras?|drones?|software|sensors?|readers?|trailers?|scanners?)\b")
PRODUCT_HEADS = frozenset("camera cameras drone drones software sensor sensors reader readers trailer trailers scanner "
                          "scanners".split())
_HIRE = re.compile(r"\b(?:contracted|hired|selected|awarded|tapped|commissioned|engaged|chose)\s+(?:the\s+)?"
                   r"(?=[A-Z])")
HIRE_WORDS = frozenset("contracted hired selected awarded tapped commissioned engaged chose".split())
_APPOSITION = re.compile(r"\b(?:contractor|vendor|company|firm|supplier|provider|manufacturer|maker|start-?up|"
                         r"integrator|developer)(?:,\s+|\s+(?:called|named)\s+)(?=[A-Z])")
APPOSITION_WORDS = frozenset("contractor vendor company firm supplier provider manufacturer maker startup start "
                             "integrator developer".split())
_NOT_NAMES = frozenset("monday tuesday wednesday thursday friday saturday sunday january february march april may "
                       "june july august september october november december i we they he she it officer sergeant "
                       "chief dr mr mrs ms captain lieutenant detective deputy director professor former".split())


def _name_run(toks: list[re.Match[str]]) -> int:
    """How many leading tokens form one capitalised name (adjacent, capitalised, at most four)."""
    j = 0
    while j + 1 < len(toks) and j < 3 and _is_cap(toks[j + 1].group()) and \
            toks[j + 1].start() - toks[j].end() <= 1 and not toks[j].group().endswith((".", ",")):
        j += 1
    return j + 1


def _plausible(names: list[str]) -> bool:
    """Not a public body, a function word, a date word, or one bare acronym (agencies and programmes)."""
    if not names or _public(names) or any(_clean(n) in _FUNCTION or _clean(n) in _NOT_NAMES for n in names):
        return False
    return not (len(names) == 1 and names[0].rstrip(".").isupper())


def _object_orgs(sentence: str, cue_rx: re.Pattern[str]) -> list[Org]:
    """The capitalised name right after a hiring verb or a supplier noun in apposition."""
    out: list[Org] = []
    for cue in cue_rx.finditer(sentence):
        toks = list(itertools.islice(_TOKEN.finditer(sentence, cue.end()), 4))
        if not toks or toks[0].start() != cue.end() or not _is_cap(toks[0].group()):
            continue
        n = _name_run(toks)
        if _plausible([t.group() for t in toks[:n]]):
            last = toks[n - 1]
            out.append(Org(toks[0].start(), last.end() - last.group().endswith((".", ",")), "", "object"))
    return out


_CAP_BEFORE = re.compile(r"((?:[A-Z][\w&-]*|[A-Z0-9][\w&-]*[A-Z0-9])(?:\s(?:[A-Z0-9][\w&-]*)){0,3})$")


def _product_orgs(sentence: str) -> list[Org]:
    """A capitalised name directly before a lower-case product noun ("Autel EVO II drones", "Veritone software");
    not at the start of the sentence (any word is capitalised there) and not in Title Case text."""
    out: list[Org] = []
    for head in _PRODUCT_HEAD.finditer(sentence):
        last = sentence[sentence.rfind(" ", 0, head.start()) + 1:head.start()].lstrip("(\"“")
        if not last or not (last[0].isupper() or last[0].isdigit()):
            continue  # the word before the noun starts no name ("surveillance cameras"): skip the backward search
        run = _CAP_BEFORE.search(sentence, max(0, head.start() - 60), head.start())
        if run is None or run.start() == 0:
            continue
        names = run.group(1).split()
        while names and (_clean(names[0]) in _FUNCTION or _clean(names[0]) in _NOT_NAMES or names[0][0].isdigit()):
            names.pop(0)  # "20 Falcon cameras": a count is not part of the name
        if not names or not _plausible(names) or not any(any(c.islower() for c in n) for n in names) \
                or len(names[-1]) == 1:
            continue  # "Predator B drones": a one-letter model designation names a model, not its maker
        a = run.end() - len(" ".join(names))
        if a == 0 or sentence[a - 1] not in " (\"“":
            continue
        out.append(Org(a, run.end(), "", "product"))
    return out


def find_orgs(sentence: str, tech_starts: set[int], words: frozenset[str] | None = None) -> list[Org]:
    """Candidate supplier organisations in one sentence (offsets relative to the sentence), de-overlapped."""
    _, suffixes = _words()
    suffix = (words is None or not words.isdisjoint(suffixes)) and \
        not suffixes.isdisjoint(w.lower() for w in _CAP_WORD.findall(sentence))
    supply = (words is None or not words.isdisjoint(_CUE_WORDS)) and bool(_CUE_AT.search(sentence))
    brand = "-brand" in sentence or _camel(sentence)
    product = words is None or not words.isdisjoint(PRODUCT_HEADS)
    hire = words is None or not words.isdisjoint(HIRE_WORDS)
    apposition = words is None or not words.isdisjoint(APPOSITION_WORDS)
    if not (suffix or supply or brand or product or hire or apposition):
        return []  # no pattern can fire
    toks = list(_TOKEN.finditer(sentence)) if suffix or brand else []
    found = ((_suffix_orgs(toks, sentence) if suffix else []) + (_supply_orgs(sentence) if supply else [])
             + (_brand_orgs(sentence, toks, tech_starts) if brand else [])
             + (_product_orgs(sentence) if product else []) + (_object_orgs(sentence, _HIRE) if hire else [])
             + (_object_orgs(sentence, _APPOSITION) if apposition else []))
    found.sort(key=lambda o: (o.start, -(o.end - o.start)))
    out: list[Org] = []
    for o in found:
        if out and o.start < out[-1].end:
            continue
        name = sentence[o.start:o.end].strip(" ’'-")
        if len(name) >= 2 and name.lower() not in _FUNCTION:
            out.append(Org(o.start, o.end, name, o.how))
    return out
