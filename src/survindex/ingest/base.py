"""What a reader returns: text and metadata, before normalisation, hashing and language detection."""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass, field
from typing import Any

_ISO = re.compile(r"^\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_UNSAFE = re.compile("[\ud800-\udfff]")


@dataclass
class Parsed:
    """One document as a reader found it. ``raw`` is set when the item has its own bytes (a JSONL line)."""

    text: str
    mime: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    publisher: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    location: str | None = None
    raw: bytes | None = None


def clean_date(value: Any) -> str | None:
    """An ISO date prefix (YYYY, YYYY-MM or YYYY-MM-DD) from a string, date or struct_time; else None."""
    if value is None:
        return None
    if isinstance(value, time.struct_time):
        return f"{value.tm_year:04d}-{value.tm_mon:02d}-{value.tm_mday:02d}"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%Y-%m-%d")
    m = _ISO.match(str(value)[:64])
    if not m:
        return None
    year, month, day = m.group(1), m.group(2), m.group(3)
    try:
        if day:
            return dt.date(int(year), int(month), int(day)).isoformat()
        if month:
            return f"{year}-{month}" if 1 <= int(month) <= 12 else year
    except ValueError:
        return f"{year}-{month}" if month and 1 <= int(month) <= 12 else year
    return year


def clean_str(value: Any, limit: int = 2000) -> str | None:
    """A short metadata string: stripped, bounded, None when empty or not text."""
    if value is None or isinstance(value, (dict, list)):
        return None
    s = " ".join(_CONTROL.sub("", str(value)).split())[:limit]
    return s or None


def clean_meta(value: Any, depth: int = 0) -> Any:
    """JSON metadata made safe for any database: no NUL or lone surrogates in strings, nesting cut at 20."""
    if isinstance(value, str):
        return _UNSAFE.sub("\ufffd", value.replace("\x00", ""))
    if depth >= 20:
        return None
    if isinstance(value, dict):
        return {clean_meta(str(k)): clean_meta(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_meta(v, depth + 1) for v in value]
    if isinstance(value, float) and value != value or value in (float("inf"), float("-inf")):
        return None
    return value
