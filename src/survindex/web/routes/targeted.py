"""``/targeted``: the targeted-surveillance index (spyware, digital forensics) joined to the mass AI index."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from survindex.web import targeted
from survindex.web.render import cached_page, twin
from survindex.web.state import app_state

router = APIRouter()


@twin(router, "/targeted")
async def targeted_page(request: Request) -> Response:
    """Targeted surveillance: governments per category, vendor, vendor country and regime type, published figures
    beside computed ones, mass vs targeted per country and per supplier bloc, and the map of both."""
    st = app_state(request)
    return await cached_page(request, "targeted.html", lambda: targeted.page(st.store, st.cache))
