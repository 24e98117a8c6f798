"""Keyset reads: the condition "comes after this row" for an ORDER BY, so every page or batch starts where the
last one ended (no OFFSET: the millionth row costs what the first does)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, or_


def after_key(keys: list[tuple[Any, bool]], last: tuple[Any, ...]) -> Any:
    """The keyset condition "comes after ``last``" for an ORDER BY of ``keys`` ((column, descending) pairs):
    ``(k1 > v1) OR (k1 = v1 AND k2 > v2) OR ...``, each ``>`` a ``<`` where the key is descending, and the bound
    ``k1 >= v1`` beside it so the database seeks the index to the cursor instead of scanning up to it."""
    terms = []
    for i, ((col, desc), value) in enumerate(zip(keys, last)):
        step = col < value if desc else col > value
        terms.append(and_(*(k == v for (k, _), v in zip(keys[:i], last[:i])), step))
    (first, desc), value = keys[0], last[0]
    return and_(first <= value if desc else first >= value, or_(*terms))
