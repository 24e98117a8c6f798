"""Sign in and out, change one's password: argon2 check, server-side session, CSRF; failed sign-ins are budgeted
per client address (checked before any hashing) and per address and user name; successful ones cost nothing."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from survindex.store import users as su
from survindex.web.auth import Actor, require, sign_in, sign_out
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
    st = app_state(request)
    ip = request.client.host if request.client else "?"
    key = (ip, username.casefold())
    if not st.ip_limiter.allow(ip):
        raise WebError(429, "too many failed sign-ins from this address; wait 15 minutes",
                       headers={"Retry-After": "900"})
    if not st.login_limiter.allow(key):
        st.ip_limiter.refund(ip)
        raise WebError(429, "too many sign-in attempts; wait a minute and try again", headers={"Retry-After": "60"})
    user = su.authenticate(st.store, username, password)
    if user is None:
        raise WebError(401, "wrong username or password")
    st.ip_limiter.refund(ip)
    st.login_limiter.refund(key)
    csrf = sign_in(request, user)
    if "application/json" in request.headers.get("accept", ""):
        return json_response({"ok": True, "user": user.username, "role": user.role, "csrf": csrf})
    return RedirectResponse(_next_url(actor.data.get("next")), status_code=303)


@router.post("/logout", include_in_schema=False)
def logout(request: Request, actor: Annotated[Actor, Depends(require("viewer"))]) -> Response:
    """Sign out: the session ends on the server, so a copy of the cookie is worth nothing."""
    sign_out(request)
    return RedirectResponse("/", status_code=303)


@router.post("/account/password", include_in_schema=False)
def change_password(request: Request, actor: Annotated[Actor, Depends(require("viewer"))]) -> Response:
    """Change one's password (fields ``current`` and ``new``): every session of the account ends, this browser
    gets a new one."""
    assert actor.user is not None
    st = app_state(request)
    current, new = str(actor.data.get("current") or "")[:1024], str(actor.data.get("new") or "")[:1024]
    if su.authenticate(st.store, actor.user.username, current) is None:
        raise WebError(403, "the current password is wrong")
    try:
        su.set_password(st.store, actor.user.username, new, actor=actor.user.username)
    except su.UserError as exc:
        raise WebError(400, str(exc)) from None
    csrf = sign_in(request, actor.user) if not actor.via_token else None
    return json_response({"ok": True, "user": actor.user.username, "csrf": csrf})
