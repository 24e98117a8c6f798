"""Query parameters shared by the search page, list pages and the API: parsed once, validated, turned
into a ClaimQuery."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request

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


@dataclass(frozen=True)
class Param:
    """A query parameter read by hand from ``request.query_params`` (FastAPI's per-parameter resolution was a
    quarter of a search page's CPU under load) and described in the OpenAPI document (``openapi_parameters``).
    An empty value is no value (a form's blank field)."""

    name: str
    kind: type = str
    max_length: int | None = None
    ge: int | None = None
    le: int | None = None
    default: Any = None
    description: str | None = None

    def schema(self) -> dict[str, Any]:
        s: dict[str, Any] = {"type": {str: "string", int: "integer", bool: "boolean"}[self.kind]}
        for key, value in (("maxLength", self.max_length), ("minimum", self.ge), ("maximum", self.le),
                           ("default", self.default)):
            if value is not None:
                s[key] = value
        return s

    def parse(self, raw: str | None, errors: list[dict[str, Any]]) -> Any:
        if raw is None or raw == "":
            return self.default
        if self.kind is str:
            if self.max_length is not None and len(raw) > self.max_length:
                return self._error(errors, f"at most {self.max_length} characters", "string_too_long")
            return raw
        if self.kind is bool:
            value = _BOOLS.get(raw.strip().lower())
            return self._error(errors, "expected true or false", "bool_parsing") if value is None else value
        if not _INT.fullmatch(raw):
            return self._error(errors, "expected a whole number", "int_parsing")
        number = int(raw)
        if (self.ge is not None and number < self.ge) or (self.le is not None and number > self.le):
            return self._error(errors, f"expected a number from {self.ge} to {self.le}", "out_of_range")
        return number

    def _error(self, errors: list[dict[str, Any]], msg: str, kind: str) -> None:
        errors.append({"loc": ["query", self.name], "param": self.name, "msg": msg, "type": kind})
        return None


_BOOLS = {"true": True, "1": True, "yes": True, "on": True, "false": False, "0": False, "no": False, "off": False}
_INT = re.compile(r"\s*[+-]?[0-9]{1,12}\s*")

FILTER_PARAMS = (
    Param("q", max_length=200, description="full-text words (quotes, suppliers)"),
    Param("country", max_length=3), Param("technology", max_length=40), Param("aigs_category", max_length=40),
    Param("supplier", max_length=200), Param("supplier_country", max_length=3), Param("financier", max_length=200),
    Param("year_from", int, ge=1900, le=2100), Param("year_to", int, ge=1900, le=2100),
    Param("status", max_length=16), Param("stage", max_length=16), Param("kind", max_length=32),
    Param("doc_id", max_length=72), Param("bri", bool, description="true: BRI members only; false: non-members"),
)
PAGE_PARAMS = (Param("limit", int, ge=1, le=MAX_LIMIT, default=50), Param("offset", int, ge=0, le=10_000_000,
                                                                           default=0))


def _parse(request: Request, params: tuple[Param, ...], errors: list[dict[str, Any]]) -> dict[str, Any]:
    given = request.query_params
    return {p.name: p.parse(given.get(p.name), errors) for p in params}


async def claim_filters(request: Request) -> Filters:
    errors: list[dict[str, Any]] = []
    v = _parse(request, FILTER_PARAMS, errors)
    q, bri, year_from, year_to = v["q"], v["bri"], v["year_from"], v["year_to"]
    f = ClaimFilter(
        status=_one_of("status", v["status"], STATUSES, errors), kind=_one_of("kind", v["kind"], CLAIM_KINDS, errors),
        country=_iso3("country", v["country"], errors), supplier=v["supplier"],
        supplier_country=_iso3("supplier_country", v["supplier_country"], errors),
        technology=_one_of("technology", v["technology"], TECHNOLOGY_KEYS, errors),
        aigs_category=_one_of("aigs_category", v["aigs_category"], AIGS_CATEGORIES, errors),
        financier=v["financier"], doc_id=v["doc_id"], stage=_one_of("stage", v["stage"], STAGES, errors),
        year_from=year_from, year_to=year_to)
    if errors:
        raise WebError(400, "invalid filter", errors)
    members = bri_members(app_state(request).store) if bri is not None else None
    query = ss.ClaimQuery(filter=f, q=q, countries=members if bri else None,
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


async def paging(request: Request) -> Page:
    errors: list[dict[str, Any]] = []
    v = _parse(request, PAGE_PARAMS, errors)
    if errors:
        raise WebError(400, "invalid request", errors)
    return Page(limit=v["limit"], offset=v["offset"])


_DESCRIBED = {claim_filters: FILTER_PARAMS, paging: PAGE_PARAMS}


def openapi_parameters(dependant: Any) -> list[dict[str, Any]]:
    """The query parameters a route reads through ``claim_filters`` or ``paging`` (FastAPI sees only the request),
    for its OpenAPI operation."""
    found: list[dict[str, Any]] = []
    for dep in dependant.dependencies:
        found += [{"name": p.name, "in": "query", "required": False, "schema": p.schema(),
                   **({"description": p.description} if p.description else {})}
                  for p in _DESCRIBED.get(dep.call, ())] + openapi_parameters(dep)
    return found


PageDep = Annotated[Page, Depends(paging)]
