"""Who is asking: server-side session (the signed cookie holds a token the ``sessions`` table must know) or
``Authorization: Bearer`` token; roles; CSRF on every write; the public policy of each request."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request

from survindex import policy
from survindex.store import sessions
from survindex.store import users as su
from survindex.web.errors import WebError
from survindex.web.state import app_state

_UNSET = object()


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def current_user(request: Request) -> su.User | None:
    """The signed-in user (session) or the owner of the bearer token; None for anonymous readers."""
    cached: su.User | None | object = getattr(request.state, "user", _UNSET)
    if cached is not _UNSET:
        return cached if isinstance(cached, su.User) else None
    store = app_state(request).store
    token = _bearer(request)
    user: su.User | None = None
    if token:
        user = su.user_for_token(store, token)
    elif isinstance(request.session.get("sid"), str):
        uid = sessions.user_id(store, request.session["sid"])
        found = su.user_by_id(store, uid) if uid is not None else None
        user = found if found is not None and found.active else None
        if user is None:
            request.session.clear()  # ended, expired or disabled: the cookie is worth nothing now
    request.state.user = user
    return user


def sign_in(request: Request, user: su.User) -> str:
    """Start a server-side session for ``user``; returns the new CSRF token."""
    from survindex import settings

    old = request.session.get("sid")
    if isinstance(old, str):
        sessions.end(app_state(request).store, old)
    request.session.clear()
    sid = sessions.start(app_state(request).store, user.id, settings.load().session_hours)
    csrf = secrets.token_urlsafe(32)
    request.session.update({"sid": sid, "csrf": csrf})
    request.state.user = user
    return csrf


def sign_out(request: Request) -> None:
    sid = request.session.get("sid")
    if isinstance(sid, str):
        sessions.end(app_state(request).store, sid)
    request.session.clear()


async def apply_policy(request: Request) -> None:
    """A dependency of every route: anonymous requests see what ``survindex.policy.public()`` allows, signed-in
    users everything. Requests without a cookie or token are anonymous without a database query."""
    from starlette.concurrency import run_in_threadpool

    if "authorization" not in request.headers and "sid" not in request.session:
        policy.set_for_request(policy.public())
        return
    user = await run_in_threadpool(current_user, request)
    policy.set_for_request(policy.EVERYTHING if user is not None else policy.public())


@dataclass
class Actor:
    """The user behind a write and the submitted fields (form or JSON body)."""

    user: su.User | None
    data: dict[str, Any] = field(default_factory=dict)
    via_token: bool = False


async def read_body(request: Request) -> dict[str, Any]:
    size = int(request.headers.get("content-length") or 0)
    if size > app_state(request).max_body:
        raise WebError(413, f"request body too large ({size} bytes; limit {app_state(request).max_body})")
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("application/json"):
        try:
            body = await request.json()
        except ValueError as exc:
            raise WebError(400, "the body is not valid JSON") from exc
        if not isinstance(body, dict):
            raise WebError(400, "the JSON body must be an object")
        return body
    if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        return {k: v for k, v in form.items() if isinstance(v, str)}
    return {}


def check_csrf(request: Request, data: dict[str, Any]) -> None:
    """A cookie-authenticated write must carry the session's CSRF token (form field or X-CSRF-Token)."""
    expected = request.session.get("csrf")
    given = data.get("csrf") or request.headers.get("x-csrf-token") or ""
    if not expected or not isinstance(given, str) or not hmac.compare_digest(str(expected), given):
        raise WebError(403, "missing or invalid CSRF token; reload the page and submit the form again")


def require(role: str | None) -> Callable[[Request], Awaitable[Actor]]:
    """A dependency for write routes: the user must have ``role`` (None: anyone, e.g. the login form);
    requests authenticated by session also need the CSRF token."""
    async def dependency(request: Request) -> Actor:
        user = current_user(request)
        via_token = _bearer(request) is not None and user is not None
        if role is not None and user is None:
            raise WebError(401, "sign in first (or send an API token: Authorization: Bearer …)",
                           headers={"WWW-Authenticate": "Bearer"})
        if role is not None and user is not None and not user.can(role):
            raise WebError(403, f"this needs the {role} role; you are {user.role}")
        data = await read_body(request)
        if not via_token:
            check_csrf(request, data)
        return Actor(user=user, data=data, via_token=via_token)
    return dependency


def require_page(request: Request, role: str) -> su.User:
    """For GET pages only editors may see (the review queue)."""
    user = current_user(request)
    if user is None:
        raise WebError(401, "sign in first", headers={"WWW-Authenticate": "Bearer"})
    if not user.can(role):
        raise WebError(403, f"this needs the {role} role; you are {user.role}")
    return user
