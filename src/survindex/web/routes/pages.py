"""Public pages, each with its ``.json`` twin."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from survindex.web import views
from survindex.web.params import FiltersDep, PageDep
from survindex.web.render import cached_page, page, twin
from survindex.web.state import app_state

router = APIRouter()


@twin(router, "/", "/index.json")
async def home(request: Request) -> Response:
    """Home: the map, the published figures (accepted claims only) and a search box."""
    st = app_state(request)
    return await cached_page(request, "home.html", lambda: views.home(st.store, st.cache))


@twin(router, "/country/{iso3}")
async def country(request: Request, iso3: str, p: PageDep) -> Response:
    """A country's profile: accepted technologies, suppliers, financiers, stages; its claims."""
    st = app_state(request)
    return await cached_page(request, "country.html", lambda: views.country(st.store, st.cache, iso3, p))


@twin(router, "/supplier/{name:path}")
async def supplier(request: Request, name: str, p: PageDep) -> Response:
    """A supplier's reach: countries on a map, technologies, claims."""
    st = app_state(request)
    return await cached_page(request, "supplier.html", lambda: views.supplier(st.store, st.cache, name, p))


@twin(router, "/technology")
def technologies(request: Request) -> Response:
    """The technology taxonomy with AIGS categories."""
    return page(request, "technologies.html", views.technologies())


@twin(router, "/technology/{key}")
async def technology(request: Request, key: str, p: PageDep) -> Response:
    """One technology: countries and suppliers in accepted claims; its claims."""
    st = app_state(request)
    return await cached_page(request, "technology.html", lambda: views.technology(st.store, st.cache, key, p))


@twin(router, "/document/{doc_id}")
def document(request: Request, doc_id: str) -> Response:
    """A document's text with claim spans highlighted, and its claims."""
    return page(request, "document.html", views.document(app_state(request).store, doc_id))


@twin(router, "/claim/{claim_id}")
def claim(request: Request, claim_id: str) -> Response:
    """One claim: quote, source, fields (with originals of corrections) and history."""
    return page(request, "claim.html", views.claim(app_state(request).store, claim_id))


@twin(router, "/search")
async def search(request: Request, f: FiltersDep, p: PageDep) -> Response:
    """Full-text search over documents and quotes, with filters; CSV link."""
    st = app_state(request)
    return await cached_page(request, "search.html", lambda: views.search(st.store, f, p, st.cache))


@twin(router, "/corrections")
def corrections(request: Request, p: PageDep) -> Response:
    """The public corrections log: every review action on a claim."""
    return page(request, "corrections.html", views.corrections(app_state(request).store, p))
