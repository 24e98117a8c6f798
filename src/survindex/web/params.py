"""Query parameters shared by the search page, list pages and the API: parsed once, validated, turned
into a ClaimQuery."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request

from survindex.model import AIGS_CATEGORIES, CLAIM_KINDS, STAGES, STATUSES, TECHNOLOGY_KEYS
from survindex.store import ClaimFilter
from survindex.store import search as ss
from survindex.web.errors import WebError
from survindex.web.names import bri_members
from survindex.web.state import app_state

_ISO3 = re.compile(r"^[A-Z]{3}$")
MAX_LIMIT = 500


def _one_of(name: str, value: str | None, allowed: tuple[str, ...], errors: list[dict[str, str]]) -> str | None:
    if value in (None, ""):
        return None
    if value not in allowed:
        errors.append({"param": name, "msg": f"expected one of {', '.join(allowed)}"})
        return None
    return value


def _iso3(name: str, value: str | None, errors: list[dict[str, str]]) -> str | None:
    if value in (None, ""):
        return None
    assert value is not None
    if not _ISO3.match(value.upper()):
        errors.append({"param": name, "msg": "expected an ISO 3166 alpha-3 code such as KEN"})
        return None
    return value.upper()


@dataclass(frozen=True)
class Filters:
    """The filters as submitted (for links and forms) and the query they make."""

    params: dict[str, Any]
    query: ss.ClaimQuery


async def claim_filters(
    request: Request,
    q: Annotated[str | None, Query(max_length=200, description="full-text words (quotes, suppliers)")] = None,
    country: Annotated[str | None, Query(max_length=3)] = None,
    technology: Annotated[str | None, Query(max_length=40)] = None,
    aigs_category: Annotated[str | None, Query(max_length=40)] = None,
    supplier: Annotated[str | None, Query(max_length=200)] = None,
    supplier_country: Annotated[str | None, Query(max_length=3)] = None,
    financier: Annotated[str | None, Query(max_length=200)] = None,
    year_from: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    year_to: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    status: Annotated[str | None, Query(max_length=16)] = None,
    stage: Annotated[str | None, Query(max_length=16)] = None,
    kind: Annotated[str | None, Query(max_length=32)] = None,
    doc_id: Annotated[str | None, Query(max_length=72)] = None,
    bri: Annotated[bool | None, Query(description="true: BRI members only; false: non-members")] = None,
) -> Filters:
    errors: list[dict[str, str]] = []
    f = ClaimFilter(
        status=_one_of("status", status, STATUSES, errors), kind=_one_of("kind", kind, CLAIM_KINDS, errors),
        country=_iso3("country", country, errors), supplier=supplier or None,
        supplier_country=_iso3("supplier_country", supplier_country, errors),
        technology=_one_of("technology", technology, TECHNOLOGY_KEYS, errors),
        aigs_category=_one_of("aigs_category", aigs_category, AIGS_CATEGORIES, errors),
        financier=financier or None, doc_id=doc_id or None, stage=_one_of("stage", stage, STAGES, errors),
        year_from=year_from, year_to=year_to)
    if errors:
        raise WebError(400, "invalid filter", errors)
    members = bri_members(app_state(request).store) if bri is not None else None
    query = ss.ClaimQuery(filter=f, q=q or None, countries=members if bri else None,
                          exclude_countries=members if bri is False else None)
    params = {"q": q, "country": f.country, "technology": f.technology, "aigs_category": f.aigs_category,
              "supplier": f.supplier, "supplier_country": f.supplier_country, "financier": f.financier,
              "year_from": year_from, "year_to": year_to, "status": f.status, "stage": f.stage, "kind": f.kind,
              "doc_id": f.doc_id, "bri": None if bri is None else str(bri).lower()}
    return Filters(params={k: v for k, v in params.items() if v not in (None, "")}, query=query)


FiltersDep = Annotated[Filters, Depends(claim_filters)]


@dataclass(frozen=True)
class Page:
    limit: int
    offset: int


async def paging(limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
           offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> Page:
    return Page(limit=limit, offset=offset)


PageDep = Annotated[Page, Depends(paging)]
