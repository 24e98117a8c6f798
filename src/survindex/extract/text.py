"""Text normalisation with exact offsets back to the original, and fast regex sentence segmentation."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from typing import NamedTuple

MAX_SENTENCE = 1200  # longer runs without a sentence end are cut at whitespace, so rules stay linear

_ASCII_TABLE = bytes(
    (c + 32) if 65 <= c <= 90 else c if (48 <= c <= 57 or 97 <= c <= 122) else 32 for c in range(256)
)
_FOLD_CACHE: dict[str, str] = {}
_RUNS = re.compile(r"  +")


def fold_char(ch: str) -> str:
    """One character folded to one character: NFKC, casefold, diacritics stripped; non-alphanumerics -> space."""
    got = _FOLD_CACHE.get(ch)
    if got is None:
        f = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", ch).casefold())
        f = "".join(c for c in f if not unicodedata.combining(c))
        got = f[0] if f and f[0].isalnum() else " "
        _FOLD_CACHE[ch] = got
    return got


class _FoldTable(dict[int, str]):
    """``str.translate`` table that folds each code point on first sight and remembers it (per process)."""

    def __missing__(self, code: int) -> str:
        got = chr(_ASCII_TABLE[code]) if code < 128 else fold_char(chr(code))
        self[code] = got
        return got


_FOLD_TABLE = _FoldTable()


def _fold_same_length(text: str) -> str:
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_TABLE).decode("ascii")
    return text.translate(_FOLD_TABLE)


class Normalised(NamedTuple):
    """``norm`` is the folded text with whitespace runs collapsed; ``orig(i)`` maps a norm index back.
    (A named tuple: built once per document and sentence, and cheaper to build than a frozen dataclass.)"""

    norm: str
    breaks: tuple[int, ...]
    shifts: tuple[int, ...]

    def orig(self, i: int) -> int:
        if not self.breaks:
            return i
        k = bisect_right(self.breaks, i) - 1
        return i + (self.shifts[k] if k >= 0 else 0)

    def orig_end(self, j: int) -> int:
        """Original end offset for a norm end offset ``j`` (exclusive)."""
        return self.orig(j - 1) + 1 if j > 0 else 0


def normalise(text: str) -> Normalised:
    """Fold ``text`` for matching; every norm character maps to exactly one original character."""
    folded = _fold_same_length(text)
    if "  " not in folded:
        return Normalised(folded, (), ())
    breaks: list[int] = []
    shifts: list[int] = []
    removed = 0
    for m in _RUNS.finditer(folded):
        start, end = m.span()
        breaks.append(start + 1 - removed)  # where the run's single kept space ends, in norm offsets
        removed += end - start - 1
        shifts.append(removed)
    return Normalised(_RUNS.sub(" ", folded), tuple(breaks), tuple(shifts))


def norm_key(text: str) -> str:
    """The matching key of a lexicon entry: the same folding, trimmed and collapsed."""
    return " ".join(_fold_same_length(text).split())


# -- sentence segmentation ---------------------------------------------------------------------------------
ABBREVIATIONS = frozenset(
    "u.s u.k u.n e.g i.e mr mrs ms dr prof st ft mt no nos inc corp co ltd llc bros jr sr vs etc jan feb mar apr "
    "jun jul aug sep sept oct nov dec gov sen rep gen col lt capt sgt dept univ ave blvd rd approx est fig al "
    "a.m p.m d.c n.y l.a u.s.a p.r.c".split()
)
_END = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s)|\n\s*\n|\n(?=\s*[•·▪◦‣*–-]\s)|\n(?=[^\n]{0,3}[A-Z\"“‘(\d])")
_END_INLINE = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s)")  # _END for text without line breaks
_BULLET = re.compile(r"[\s•·▪◦‣*–\-]+")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")


def _is_abbreviation(text: str, end: int) -> bool:
    m = _WORD_BEFORE.search(text, max(0, end - 12), end)
    if not m:
        return False
    word = m.group(1).lower()
    return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _next_starts_sentence(text: str, pos: int) -> bool:
    n = len(text)
    while pos < n and text[pos].isspace():
        pos += 1
    if pos >= n:
        return True
    ch = text[pos]
    return ch.isupper() or ch.isdigit() or ch in "\"“‘'(•·▪◦‣*–-[" or not ch.isalpha()


def _boundaries(text: str) -> list[int]:
    cuts = [0]
    for m in (_END if "\n" in text else _END_INLINE).finditer(text):
        end = m.end()
        if text[m.start()] in ".!?…":
            if text[m.start()] == "." and m.end() - m.start() == 1 and _is_abbreviation(text, m.start() + 1):
                continue
            if not _next_starts_sentence(text, end):
                continue
        cuts.append(end)
    cuts.append(len(text))
    return cuts


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    m = _BULLET.match(text, a, b)
    if m:
        a = m.end()
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _cut_long(text: str, a: int, b: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    while b - a > MAX_SENTENCE:
        cut = text.rfind(" ", a + MAX_SENTENCE // 2, a + MAX_SENTENCE)
        cut = cut if cut > a else a + MAX_SENTENCE
        out.append((a, cut))
        a = cut
    out.append((a, b))
    return out


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` in ``text``: trimmed of whitespace and leading bullets, never empty."""
    cuts = _boundaries(text)
    spans: list[tuple[int, int]] = []
    for a, b in zip(cuts, cuts[1:]):
        for x, y in _cut_long(text, a, b):
            x, y = _trim(text, x, y)
            if y > x:
                spans.append((x, y))
    return spans
