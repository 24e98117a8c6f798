"""The filters of case lists (review queue, ``/api/cases``): typed labels or keys, validated once; keyset paging
with an opaque ``after`` cursor (the last case's corroboration, confidence and id)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Annotated, Any

from fastapi import Depends, Query

from survindex.model import vocabulary
from survindex.store.cases import CaseFilter
from survindex.web.errors import WebError
from survindex.web.params import MAX_LIMIT
from survindex.web.render import path_q

STATUSES = ("pending", "unreviewed", "accepted", "rejected", "all")
_CURSOR = re.compile(r"^(\d{1,9})~([0-9.e-]{1,24})~(case-[0-9a-f]{1,64})$")


def country_code(value: str | None, errors: list[dict[str, str]]) -> str | None:
    """An ISO3 code from a code or a name a person types ("Kenya", "ken", "KEN")."""
    if value in (None, ""):
        return None
    assert value is not None
    from survindex.reference import resolve_country

    found = resolve_country(value.strip()) or resolve_country(value.strip().upper())
    if found is None:
        errors.append({"param": "country", "msg": f"unknown country {value!r}: type a name or an ISO3 code"})
        return None
    return str(found.iso3)


def technology_key(value: str | None, errors: list[dict[str, str]]) -> str | None:
    """A taxonomy key from a key or its label ("facial recognition", "Facial recognition", "facial_recognition")."""
    if value in (None, ""):
        return None
    assert value is not None
    techs = vocabulary().technologies
    norm = " ".join(value.replace("_", " ").casefold().split())
    for key, tech in techs.items():
        if norm in (key.replace("_", " "), " ".join(tech.label.casefold().split())):
            return key
    errors.append({"param": "technology", "msg": "unknown technology: pick one of " + ", ".join(techs)})
    return None


def parse_cursor(value: str | None, errors: list[dict[str, str]]) -> tuple[int, float, str] | None:
    if value in (None, ""):
        return None
    found = _CURSOR.match(value or "")
    if not found:
        errors.append({"param": "after", "msg": "not a cursor from a next link"})
        return None
    return int(found.group(1)), float(found.group(2)), found.group(3)


@dataclass(frozen=True)
class CaseQuery:
    """The filters as submitted (for links and forms), the store filter they make, the page."""

    params: dict[str, Any]
    filter: CaseFilter
    limit: int
    after: tuple[int, float, str] | None

    def link(self, path: str, **extra: Any) -> str:
        return path_q(path, **{**self.params, "limit": self.limit if self.limit != 20 else None, **extra})

    @staticmethod
    def cursor(row: dict[str, Any]) -> str:
        return f"{int(row['sources'])}~{float(row['confidence'])!r}~{row['id']}"


def _filter(status: str, country: str | None, technology: str | None, supplier: str | None,
            min_sources: int | None, financier: str | None) -> CaseFilter:
    f = CaseFilter(country=country, technology=technology, supplier=supplier, min_sources=min_sources,
                   financier=financier)
    if status == "pending":
        return replace(f, pending=True)
    return f if status == "all" else replace(f, status=status)


def case_query_dep(default_status: str) -> Any:
    """The dependency parsing case filters; ``status`` defaults to ``default_status``."""
    async def case_query(
        country: Annotated[str | None, Query(max_length=80, description="country name or ISO3 code")] = None,
        technology: Annotated[str | None, Query(max_length=80, description="technology key or label")] = None,
        supplier: Annotated[str | None, Query(max_length=200)] = None,
        financier: Annotated[str | None, Query(max_length=200, description="cases this lender financed")] = None,
        status: Annotated[str | None, Query(max_length=16, description="pending (unreviewed claims left), "
                                                                       "unreviewed, accepted, rejected or all")] = None,
        min_sources: Annotated[int | None, Query(ge=1, le=1000)] = None,
        after: Annotated[str | None, Query(max_length=100, description="cursor from the previous page's next link")]
        = None,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
    ) -> CaseQuery:
        errors: list[dict[str, str]] = []
        iso3 = country_code(country, errors)
        tech = technology_key(technology, errors)
        if status not in (None, "") and status not in STATUSES:
            errors.append({"param": "status", "msg": "expected one of " + ", ".join(STATUSES)})
        cursor = parse_cursor(after, errors)
        if errors:
            raise WebError(400, "invalid filter", errors)
        params = {"country": iso3, "technology": tech, "supplier": supplier or None,
                  "financier": financier or None, "status": status or None, "min_sources": min_sources}
        return CaseQuery(params={k: v for k, v in params.items() if v not in (None, "")},
                         filter=_filter(status or default_status, iso3, tech, supplier or None, min_sources,
                                        financier or None),
                         limit=limit, after=cursor)
    return case_query


QueueQuery = Annotated[CaseQuery, Depends(case_query_dep("pending"))]
PublicQuery = Annotated[CaseQuery, Depends(case_query_dep("accepted"))]
ApiCaseQuery = Annotated[CaseQuery, Depends(case_query_dep("all"))]
