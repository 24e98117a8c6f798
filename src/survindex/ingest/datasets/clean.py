"""Value cleaners, one per value type: lenient on values (normalised value or None), strict on structure.

Every cleaner takes the raw cell (str, number, date or None) and never raises, except ``clean_flag``,
which raises ``FlagError`` for a value it does not recognise so the importer can report that cell.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from survindex.model.money import CURRENCY_TOKENS, SCALE_WORDS

_SPACE = re.compile(r"\s+")


class FlagError(ValueError):
    """A cell of a technology flag column that is neither yes, no nor empty."""

    def __init__(self, value: str) -> None:
        super().__init__(f"unrecognised flag value {value!r} (expected x/N, ✔, 1/0, yes/no, true/false or empty)")
        self.value = value


def clean_text(value: Any) -> str:
    """A cell as text: NFKC (non-breaking spaces become spaces), whitespace collapsed, stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value)).replace("\ufeff", "").replace("\u200b", "")
    return _SPACE.sub(" ", text).strip()


_TRUE = frozenset({"x", "✔", "✓", "✔️", "☑", "1", "yes", "y", "true", "t", "oui", "si", "sí"})
_FALSE = frozenset({"n", "0", "no", "false", "f", "✗", "✘", "-", "–", "—", "non"})
_EMPTY = frozenset({"", "na", "n/a", "nan", "none", "null", "?"})


def clean_flag(value: Any) -> bool | None:
    """``x``/``✔``/``1``/``yes``/``true`` → True, ``N``/``0``/``no``/``false`` → False, empty → None.
    Anything else raises ``FlagError`` (so a typo is reported, not silently read as "no")."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value == 1:
            return True
        if value == 0:
            return False
    text = clean_text(value).casefold().rstrip(".")
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if text in _EMPTY:
        return None
    raise FlagError(clean_text(value))


_YEAR_MIN, _YEAR_MAX = 1900, 2100
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ].*)?$")
_US = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_NUMBER_YEAR = re.compile(r"^(\d{4})(?:\.0+)?$")
_ANY_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d|2100)(?!\d)")


def _valid(year: int) -> int | None:
    return year if _YEAR_MIN <= year <= _YEAR_MAX else None


def clean_date(value: Any) -> str | None:
    """An ISO date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) from ISO text, US ``M/D/YYYY``, a bare or float
    year (``2004.0``) or a date object; None when no date can be read."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat() if _valid(value.year) else None
    text = clean_text(value)
    m = _NUMBER_YEAR.match(text)
    if m:
        year = _valid(int(m.group(1)))
        return f"{year:04d}" if year else None
    m = _ISO.match(text)
    if m:
        return _iso_parts(int(m.group(1)), m.group(2), m.group(3))
    m = _US.match(text)
    if m:
        return _iso_parts(int(m.group(3)), m.group(1), m.group(2))
    return None


def _iso_parts(year: int, month: str | None, day: str | None) -> str | None:
    if not _valid(year):
        return None
    if month is None:
        return f"{year:04d}"
    try:
        if day is None:
            dt.date(year, int(month), 1)
            return f"{year:04d}-{int(month):02d}"
        return dt.date(year, int(month), int(day)).isoformat()
    except ValueError:
        return None


def clean_year(value: Any) -> int | None:
    """A year from ``2004``, ``2004.0``, ``2001-05-23``, ``3/26/2019``, a date, or text holding one year."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _valid(int(value)) if math.isfinite(value) and float(value).is_integer() else None
    date = clean_date(value)
    if date:
        return int(date[:4])
    years = set(_ANY_YEAR.findall(clean_text(value)))
    return int(years.pop()) if len(years) == 1 else None


@dataclass(frozen=True)
class Money:
    amount: float
    currency: str | None  # ISO 4217, or None when the cell does not say

    def __str__(self) -> str:
        return f"{self.currency} {self.amount!r}" if self.currency else repr(self.amount)


# longest first so "US$" wins over "$"
_CURRENCIES = tuple((tok.upper(), code) for tok, code in sorted(CURRENCY_TOKENS.items(), key=lambda kv: -len(kv[0])))
_SCALES = SCALE_WORDS
_MONEY = re.compile(r"^(?P<num>[-+]?\d[\d,]*(?:\.\d+)?(?:e[-+]?\d+)?)\s*(?P<scale>[a-z]+)?$")


def clean_money(value: Any) -> Money | None:
    """``$1.2 million`` → Money(1200000, USD); ``RMB 850 million`` → CNY; ``1,234.5`` → no currency."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Money(float(value), None) if math.isfinite(value) else None
    text = clean_text(value)
    currency = None
    upper = text.upper()
    for token, code in _CURRENCIES:
        if upper.startswith(token) or upper.endswith(token):
            currency = code
            text = text[len(token):] if upper.startswith(token) else text[: len(text) - len(token)]
            upper = text.upper()
            break
    m = _MONEY.match(text.strip().casefold())
    if not m:
        return None
    scale = m.group("scale")
    if scale is not None and scale not in _SCALES:
        return None
    try:
        amount = float(m.group("num").replace(",", "")) * (_SCALES[scale] if scale else 1.0)
    except ValueError:
        return None
    return Money(amount, currency) if math.isfinite(amount) else None


# Company-name suffixes that follow a comma inside one name: "Hikvision Digital Technology Co., Ltd."
_LEGAL = re.compile(
    r"^(?:co\.?,?\s*)?(?:ltd|limited|inc|incorporated|llc|llp|lp|plc|corp|corporation|co|company|gmbh|ag|sa|s\.a|"
    r"nv|n\.v|bv|b\.v|pty|pty\.? ltd|s\.p\.a|spa|srl|s\.r\.l|sas|oy|ab|as|a/s|kk|k\.k|jsc|pjsc|ojsc)\.?$",
    re.IGNORECASE)
_SPLIT = re.compile(r"\s*(?:;|\n|/|\s+and\s+)\s*", re.IGNORECASE)


def clean_suppliers(value: Any) -> list[str]:
    """Split a suppliers cell on ``,`` ``;`` ``/`` `` and `` and newlines, keeping ``Co., Ltd.`` in its name.
    Empty parts are dropped, duplicates (case-insensitive) kept once, order kept."""
    if value is None:
        return []
    raw = _mask_brackets(unicodedata.normalize("NFKC", str(value)).replace("\r", "\n"))
    names: list[str] = []
    seen: set[str] = set()
    for part in _SPLIT.split(raw):
        for piece in _split_commas(part):
            name = clean_text(piece.translate(_UNMASK)).strip(" ,;:-")
            if name and name.casefold() not in seen:
                seen.add(name.casefold())
                names.append(name)
    return names


_SEPARATORS, _HIDDEN = ",;/\n ", "\x10\x11\x12\x13\x14"
_MASK, _UNMASK = str.maketrans(_SEPARATORS, _HIDDEN), str.maketrans(_HIDDEN, _SEPARATORS)
_DROP_HIDDEN = str.maketrans("", "", _HIDDEN)


def _mask_brackets(text: str) -> str:
    """Hide separators inside (…) and […] so "Huawei (Shenzhen, China)" stays one name."""
    out: list[str] = []
    depth = 0
    for ch in text.translate(_DROP_HIDDEN):
        if ch in "([":
            depth += 1
        elif ch in ")]" and depth:
            depth -= 1
        out.append(ch.translate(_MASK) if depth else ch)
    return "".join(out)


def _split_commas(part: str) -> list[str]:
    pieces: list[str] = []
    for piece in part.split(","):
        if pieces and _LEGAL.match(clean_text(piece)):
            pieces[-1] = pieces[-1].rstrip() + ", " + clean_text(piece)
        else:
            pieces.append(piece)
    return pieces
