"""Money, years and counts as written in reports and loan records."""

from __future__ import annotations

import re
from typing import NamedTuple

from survindex.model.money import CURRENCY_TOKENS, SCALE_WORDS

_CUR = r"(?:RMB|CNY|USD|US\$|EUR|GBP|HK\$|yuan|€|£|\$)"
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"(?:million|billion|thousand|bn|mn|m|k)\b"
MONEY = re.compile(
    rf"(?P<pre>{_CUR})\s?(?P<pre2>{_CUR})?\s?(?P<num>{_NUM})(?:\s?(?P<scale>{_SCALE}))?(?:\s?(?P<post>{_CUR}|dollars|euros))?"
    rf"|(?<![\w.])(?P<num2>{_NUM})\s?(?P<scale2>{_SCALE})?\s?(?P<post2>RMB|CNY|USD|EUR|GBP|yuan|dollars|euros)\b",
    re.IGNORECASE,
)
_SCALES = SCALE_WORDS  # the regex above decides which words can occur
_CODES = CURRENCY_TOKENS
_DIGIT = re.compile(r"\d")
YEAR = re.compile(r"(?<![#\d$,.])(?:19[89]\d|20[0-4]\d)(?![\d,])")


class Money(NamedTuple):
    amount: float
    currency: str | None
    raw: str
    start: int
    end: int


def _code(*parts: str | None) -> str | None:
    codes = [_CODES.get(p.lower()) for p in parts if p]
    explicit = [c for c, p in zip(codes, [p for p in parts if p]) if c and p != "$"]
    return (explicit or codes or [None])[0]


def find_money(text: str) -> list[Money]:
    """Every money amount: ``RMB 850 million``, ``$257.9 million``, ``396,000 USD``, ``USD $147,574.37``."""
    out: list[Money] = []
    if not _DIGIT.search(text):
        return out  # every amount has a digit
    for m in MONEY.finditer(text):
        num = m.group("num") or m.group("num2")
        scale = (m.group("scale") or m.group("scale2") or "").lower()
        try:
            value = float(num.replace(",", "")) * _SCALES.get(scale, 1.0)
        except ValueError:
            continue
        cur = _code(m.group("pre"), m.group("pre2"), m.group("post"), m.group("post2"))
        out.append(Money(value, cur, m.group(0).strip(), m.start(), m.end()))
    return out


def find_year(text: str) -> int | None:
    if "19" not in text and "20" not in text:
        return None
    m = YEAR.search(text)
    return int(m.group(0)) if m else None


WORD_NUMBERS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
WORD_NUMBERS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
                     "ninety": 90, "a hundred": 100, "one hundred": 100, "dozens of": 24})


def parse_count(token: str) -> int | None:
    token = token.strip().lower().replace(",", "")
    if token.isdigit():
        return int(token)
    if "-" in token:
        a, _, b = token.partition("-")
        if a in WORD_NUMBERS and b in WORD_NUMBERS:
            return WORD_NUMBERS[a] + WORD_NUMBERS[b]
    return WORD_NUMBERS.get(token)
