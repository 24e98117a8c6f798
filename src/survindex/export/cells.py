"""Spreadsheet-safe text cells: a CSV cell starting with ``= + - @`` (or a tab / carriage return) is a live formula
when the file is opened in Excel or LibreOffice, so it is written with a leading ``'`` (OWASP's CSV injection
advice). The same rule serves the API's CSV and the static site's ``data/claims.csv``; ``restore`` reads it back."""

from __future__ import annotations

from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTED = (*TRIGGERS, "'")  # what ``neutralise_text`` quotes


def neutralise(value: Any) -> Any:
    """A text value that a spreadsheet shows as written; other values unchanged."""
    if isinstance(value, str) and value[:1] in TRIGGERS:
        return "'" + value
    return value


def neutralise_text(value: str) -> str:
    """For files read back by survindex: a leading ``'`` is doubled as well, so ``restore`` is exact."""
    return "'" + value if value[:1] in QUOTED else value


def restore(value: str) -> str:
    return value[1:] if value[:1] == "'" else value
