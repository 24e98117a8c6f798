"""Templates (Jinja2, autoescaped everywhere) and the one place that decides HTML or its ``.json`` twin."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Callable
from functools import cache
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import orjson
from fastapi import APIRouter, Request
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.responses import HTMLResponse, Response

from survindex.web.names import country_name


def safe_url(url: Any) -> str | None:
    """The URL when it is http(s), else None: only those are rendered as links."""
    if not isinstance(url, str):
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def _default(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if isinstance(value, Markup):
        return str(value)
    return str(value)


def _json_text(value: Any) -> str:
    """JSON as plain text (autoescaped by the template like any other text)."""
    return json.dumps(value, ensure_ascii=False, default=_default, sort_keys=True)


def json_bytes(data: Any) -> bytes:
    """Compact UTF-8 JSON (orjson, several times faster; the standard library for what orjson refuses, such as
    integers past 64 bits or lone surrogates, written as ASCII escapes) with ``<``, ``>`` and ``&`` escaped: they only occur inside JSON
    strings, and escaping them keeps markup out of every JSON body."""
    try:
        body = orjson.dumps(data, default=_default, option=orjson.OPT_NON_STR_KEYS)
    except orjson.JSONEncodeError:
        body = json.dumps(data, default=_default, separators=(",", ":")).encode("ascii")
    return body.replace(b"<", b"\\u003c").replace(b">", b"\\u003e").replace(b"&", b"\\u0026")


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json_bytes(data), status_code=status, media_type="application/json", headers=headers)


def csrf_token(request: Request) -> str:
    """The session's CSRF token (created on first use)."""
    session = request.session
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return str(session["csrf"])


def path_q(path: str, **params: Any) -> str:
    """``path`` with its query string, dropping empty values."""
    clean = {k: v for k, v in params.items() if v not in (None, "", [])}
    return path + ("?" + urlencode(clean, doseq=True) if clean else "")


def seg(value: Any) -> str:
    """One URL path segment."""
    return quote(str(value), safe="")


_DICT_NAMES = frozenset(dir(dict))


class PageEnvironment(Environment):
    """Jinja's environment with a faster ``c.field`` on the plain dicts every page is made of: Jinja tries the
    attribute first and the key after a raised ``AttributeError``, the bulk of a claims table's rendering time.
    A dict's attributes are its class's, so looking the key up first for any other name gives the same result."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_NAMES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


@cache
def environment() -> Environment:
    """The templates, compiled once: ``auto_reload`` off, so a render never checks the template files' times."""
    env = PageEnvironment(loader=PackageLoader("survindex.web", "templates"),
                          autoescape=select_autoescape(default=True), trim_blocks=True, lstrip_blocks=True,
                          auto_reload=False)
    env.filters.update(country_name=country_name, safe_url=safe_url, seg=seg, json_text=_json_text,
                       pct=lambda v: f"{v:.0%}" if isinstance(v, (int, float)) else "")
    env.globals.update(path_q=path_q)
    return env


class LazyCsrf:
    """The CSRF token, created only when a template prints it (pages without forms set no cookie)."""

    def __init__(self, request: Request) -> None:
        self.request = request

    def __str__(self) -> str:
        return csrf_token(self.request)

    def __html__(self) -> str:
        return str(escape(csrf_token(self.request)))


def render_html(request: Request, template: str, data: dict[str, Any], status: int = 200) -> Response:
    from survindex.web.auth import current_user

    user = current_user(request)
    html = environment().get_template(template).render(
        data=data, request=request, user=user, csrf=LazyCsrf(request), path=request.url.path, **data)
    return HTMLResponse(html, status_code=status)


async def cached_page(request: Request, template: str, build: Callable[[], dict[str, Any]]) -> Response:
    """``page`` for anonymous readers served from the data-version cache: a hit costs no thread hop, no
    query and no rendering; a miss (and any signed-in user, whose name and CSRF token are on the page)
    renders in the thread pool."""
    from starlette.concurrency import run_in_threadpool

    from survindex.web.state import app_state, page_key

    def render() -> Response:
        return page(request, template, build())
    if request.session.get("sid") is not None or "authorization" in request.headers:
        return await run_in_threadpool(render)
    cache = app_state(request).cache
    key = page_key(request.scope)
    found, hit = cache.peek(key)
    if not found:
        resp = await run_in_threadpool(render)
        media = resp.headers.get("content-type", "text/html; charset=utf-8")
        hit = (bytes(resp.body), resp.status_code, media)
        cache.put(key, hit)
    body, status, media = hit
    return Response(body, status_code=status, headers={"content-type": media})


def page(request: Request, template: str, data: dict[str, Any], status: int = 200) -> Response:
    """The HTML page, or its JSON twin when the path ends in ``.json``."""
    if request.url.path.endswith(".json"):
        return json_response({"ok": True, **public_data(data)}, status=status)
    return render_html(request, template, data, status=status)


def fragment(template: str, data: dict[str, Any]) -> Markup:
    """``template`` rendered from ``data`` alone (no request, user or CSRF token): made once with the cached data
    it shows (a country's profile, the home page's figures) and put as it is on every page that shows that data."""
    return Markup(environment().get_template(template).render(**data))


def public_data(data: dict[str, Any]) -> dict[str, Any]:
    """JSON view: drop server-rendered markup (the map, highlighted text, fragments of pages)."""
    return {k: v for k, v in data.items() if not isinstance(v, Markup)}


def twin(router: APIRouter, path: str, json_path: str | None = None) -> Callable[[Any], Any]:
    """Register a GET page at ``path`` and its JSON twin at ``path + '.json'`` (registered first)."""
    def deco(fn: Any) -> Any:
        router.add_api_route(json_path or path + ".json", fn, methods=["GET"], include_in_schema=False)
        router.add_api_route(path, fn, methods=["GET"], include_in_schema=False, response_class=HTMLResponse)
        return fn
    return deco
