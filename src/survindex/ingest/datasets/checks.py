"""A table's own summary columns (a regime column, a BRI flag, a China-supplied flag, a technology count) declared
as published values and checked row by row against what survindex computes; the differences are listed.

A check is ``COLUMN=WHAT`` where WHAT is ``regime`` (the Regimes-of-the-World type of the country in the table's
year), ``bri`` (Belt and Road member at the end of the table's year), ``technology_count`` (technology flags set in
the row) or ``supplier_country:ISO3`` (a supplier of the row is headquartered there).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from survindex.ingest.datasets.clean import FlagError, clean_flag, clean_text
from survindex.model import vocabulary

CHECKS = ("regime", "bri", "technology_count", "supplier_country:ISO3")
_REGIME_CODES = {"ca": "closed_autocracy", "ea": "electoral_autocracy", "ed": "electoral_democracy",
                 "ld": "liberal_democracy", "0": "closed_autocracy", "1": "electoral_autocracy",
                 "2": "electoral_democracy", "3": "liberal_democracy"}


class CheckError(ValueError):
    """A ``--check`` that is not COLUMN=WHAT with a known WHAT."""


def parse_checks(specs: Iterable[str]) -> dict[str, str]:
    """``["regimeType=regime", "China=supplier_country:CHN"]`` → column → check."""
    out: dict[str, str] = {}
    for spec in specs:
        column, sep, what = spec.rpartition("=")
        what = what.strip()
        ok = what in ("regime", "bri", "technology_count") or re.fullmatch(r"supplier_country:[A-Z]{3}", what)
        if not sep or not column.strip() or not ok:
            raise CheckError(f"--check {spec!r} is not COLUMN=WHAT with WHAT one of {', '.join(CHECKS)}")
        out[column.strip()] = what
    return out


@dataclass(frozen=True)
class RowFacts:
    """What survindex computed for one row: its country, the technologies flagged, the suppliers' countries."""

    country: str
    year: int | None
    technologies: frozenset[str]
    supplier_countries: frozenset[str]


def published_value(check: str, cell: str) -> Any:
    """The cell read as the check's kind of value; the text itself when unreadable. An empty cell is not
    published (None) for a regime or a count, and "no" for a flag: such tables mark only the yes."""
    text = clean_text(cell)
    if not text:
        return None if check in ("regime", "technology_count") else False
    if check == "regime":
        folded = text.casefold().replace("-", " ")
        labels = {label.casefold(): k for k, label in vocabulary().regime_types.items()}
        return _REGIME_CODES.get(folded) or labels.get(folded) or (folded if folded in labels.values() else text)
    if check == "technology_count":
        return int(float(text)) if re.fullmatch(r"\d+(?:\.0+)?", text) else text
    try:
        flag = clean_flag(text)
    except FlagError:
        return text
    return False if flag is None else flag


def computed_value(check: str, facts: RowFacts) -> Any:
    """What survindex computes for the check on this row."""
    from survindex.reference import is_bri_member, regime

    if check == "regime":
        return regime(facts.country, facts.year)
    if check == "bri":
        return is_bri_member(facts.country, f"{facts.year}" if facts.year else None)
    if check == "technology_count":
        return len(facts.technologies)
    return check.partition(":")[2] in facts.supplier_countries


def compare(checks: dict[str, str], cells: dict[str, str], facts: RowFacts, row: int) -> list[dict[str, Any]]:
    """One result per declared column of the row: published and computed values and whether they agree."""
    out = []
    for column, check in checks.items():
        published = published_value(check, cells.get(column, ""))
        if published is None:
            continue
        computed = computed_value(check, facts)
        out.append({"row": row, "country": facts.country, "column": column, "check": check,
                    "published": published, "computed": computed, "agrees": published == computed})
    return out
