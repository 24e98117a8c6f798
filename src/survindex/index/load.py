"""Select the claims the index is computed from, from any store-like object (duck-typed: no DB import)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any, Protocol

from survindex.model import Claim


class ClaimSource(Protocol):
    def claims(self, f: Any = None, limit: int | None = None, offset: int = 0,
               order_by: str = "id") -> Iterable[Claim]: ...


def select(claims: Iterable[Claim], status: str = "accepted", min_confidence: float | None = None,
           as_of: date | None = None) -> Iterator[Claim]:
    """``status="accepted"``: accepted claims only. ``status="all"``: accepted claims and unreviewed claims
    (those at or above ``min_confidence`` when given); rejected and negated claims never."""
    if status not in ("accepted", "all"):
        raise ValueError(f"status must be 'accepted' or 'all', not {status!r}")
    for c in claims:
        if c.negated or c.status == "rejected":
            continue
        if c.status != "accepted":
            if status == "accepted":
                continue
            if min_confidence is not None and c.confidence < min_confidence:
                continue
        if as_of is not None and c.year is not None and c.year > as_of.year:
            continue
        yield c


def load(store: ClaimSource, status: str = "accepted", min_confidence: float | None = None,
         as_of: date | None = None) -> list[Claim]:
    """The claims of ``store`` that the index counts (see ``select``)."""
    return list(select(store.claims(None), status, min_confidence, as_of))
