"""Free-text year spans as published tables write them: ``2014``, ``2016-2018, 2020, 2021``, ``2010s - present``,
``?-2021``, ``2017-present``, empty. Lenient on values: the span is read as a first and a last year, the original
text is kept, and a part that cannot be read is reported (``unread``) rather than guessed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_PART = re.compile(r"[,;/&]|\band\b", re.IGNORECASE)
_RANGE = re.compile(r"^(?P<a>.*?)\s*(?:-|–|—|\bto\b|\buntil\b)\s*(?P<b>.*)$", re.IGNORECASE)
_YEAR = re.compile(r"^(?:c\.?\s*|ca\.?\s*)?(\d{4})$", re.IGNORECASE)
_DECADE = re.compile(r"^(?:the\s+)?(?:early\s+|mid\s+|late\s+)?(\d{3})0'?s$", re.IGNORECASE)
_OPEN = frozenset({"present", "now", "today", "ongoing", "current"})
_UNKNOWN = frozenset({"?", "??", "unknown", "n/a", "na", ""})
YEAR_MIN, YEAR_MAX = 1900, 2100


@dataclass(frozen=True)
class YearSpan:
    """A span of years read from free text; ``first``/``last`` are None when the text does not give them."""

    original: str
    first: int | None = None
    last: int | None = None
    ongoing: bool = False  # "... - present"
    approximate: bool = False  # a decade ("2010s") stands for its years
    unread: tuple[str, ...] = field(default_factory=tuple)  # parts that were neither a year, a range nor empty

    @property
    def empty(self) -> bool:
        return self.first is None and self.last is None and not self.ongoing

    def to_dict(self, prefix: str) -> dict[str, Any]:
        """``{prefix}_first``, ``{prefix}_last`` (and ``_ongoing``/``_approximate`` when true): what a claim keeps."""
        out: dict[str, Any] = {f"{prefix}_first": self.first, f"{prefix}_last": self.last}
        if self.ongoing:
            out[f"{prefix}_ongoing"] = True
        if self.approximate:
            out[f"{prefix}_approximate"] = True
        return out


def _bound(text: str, end: bool) -> tuple[int | None, bool, bool, bool]:
    """(year, ongoing, approximate, readable) of one side of a range or a lone value."""
    t = text.strip().strip(".").strip()
    low = t.casefold()
    if low in _UNKNOWN:
        return None, False, False, True
    if low in _OPEN:
        return None, True, False, True
    m = _YEAR.match(t)
    if m:
        year = int(m.group(1))
        return (year, False, False, True) if YEAR_MIN <= year <= YEAR_MAX else (None, False, False, False)
    m = _DECADE.match(t)
    if m:
        decade = int(m.group(1)) * 10
        if YEAR_MIN <= decade <= YEAR_MAX:
            return decade + (9 if end else 0), False, True, True
    return None, False, False, False


def _part(text: str) -> tuple[list[int], list[int], bool, bool, bool]:
    """(years that start, years that end, ongoing, approximate, readable) of one comma-separated part."""
    m = _RANGE.match(text)
    if m and (m.group("a").strip() or m.group("b").strip()) and not _YEAR.match(text.strip()):
        a, b = _bound(m.group("a"), False), _bound(m.group("b"), True)
        if a[0] is not None and b[0] is not None and a[0] > b[0]:  # "2018-2016": a reversed range
            a, b = _bound(m.group("b"), False), _bound(m.group("a"), True)
        starts = [a[0]] if a[0] is not None else []
        ends = [b[0]] if b[0] is not None else []
        return starts, ends, b[1], a[2] or b[2], a[3] and b[3] and not a[1]
    first = _bound(text, False)
    last = _bound(text, True)
    return ([first[0]] if first[0] is not None else [], [last[0]] if last[0] is not None else [], first[1],
            first[2], first[3])


def parse_years(value: Any) -> YearSpan:
    """The span of years a cell states: first = the earliest year named, last = the latest (None when the text
    ends with "present", which sets ``ongoing``). Never raises."""
    original = "" if value is None else str(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = int(value) if float(value).is_integer() else original
    text = " ".join(str(value if value is not None else "").split())
    starts: list[int] = []
    ends: list[int] = []
    ongoing = approximate = False
    unread: list[str] = []
    for raw in _PART.split(text):
        part = raw.strip()
        if not part:
            continue
        s, e, ongo, approx, ok = _part(part)
        if not ok:
            unread.append(part)
            continue
        starts += s
        ends += e
        ongoing, approximate = ongoing or ongo, approximate or approx
    first = min(starts) if starts else None  # "?-2021": the first year is not known
    last = None if ongoing or not ends else max(ends)  # "2016-?": nor is the last
    if first is not None and last is not None and first > last:  # "2016-?, ?-2010": the widest reading
        first, last = min(starts + ends), max(starts + ends)
    return YearSpan(original=original, first=first, last=last, ongoing=ongoing, approximate=approximate,
                    unread=tuple(unread))
