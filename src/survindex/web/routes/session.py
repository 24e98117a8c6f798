"""Sign in and out: argon2 check, signed session cookie, CSRF, rate limit per IP and username."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from survindex.store import users as su
from survindex.web.auth import Actor, require
from survindex.web.errors import WebError
from survindex.web.render import json_response, page, twin
from survindex.web.state import app_state

router = APIRouter()


@twin(router, "/login")
def login_form(request: Request) -> Response:
    """The sign-in form."""
    return page(request, "login.html", {"title": "Sign in"})


def _next_url(value: object) -> str:
    """Only local paths are followed after sign-in (no open redirect)."""
    if isinstance(value, str) and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/review"


@router.post("/login", include_in_schema=False)
def login(request: Request, actor: Annotated[Actor, Depends(require(None))]) -> Response:
    """Sign in (rate limited per IP and username)."""
    username = str(actor.data.get("username") or "")[:64]
    password = str(actor.data.get("password") or "")[:1024]
    ip = request.client.host if request.client else "?"
    if not app_state(request).login_limiter.allow((ip, username.casefold())):
        raise WebError(429, "too many sign-in attempts; wait a minute and try again", headers={"Retry-After": "60"})
    user = su.authenticate(app_state(request).store, username, password)
    if user is None:
        raise WebError(401, "wrong username or password")
    request.session.clear()
    request.session.update({"uid": user.id, "csrf": secrets.token_urlsafe(32)})
    if "application/json" in request.headers.get("accept", ""):
        return json_response({"ok": True, "user": user.username, "role": user.role, "csrf": request.session["csrf"]})
    return RedirectResponse(_next_url(actor.data.get("next")), status_code=303)


@router.post("/logout", include_in_schema=False)
def logout(request: Request, actor: Annotated[Actor, Depends(require("viewer"))]) -> Response:
    """Sign out."""
    request.session.clear()
    return RedirectResponse("/", status_code=303)
