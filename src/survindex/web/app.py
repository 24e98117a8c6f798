"""The ASGI app: ``create_app(db, secret)`` wires the store, middleware, static files and routes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
import gc
import logging
import secrets
import threading
import warnings
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, FastAPI
from fastapi.routing import APIRoute
from starlette.middleware.sessions import SessionMiddleware
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from survindex import __version__, settings
from survindex.store import Store, open_store
from survindex.web.auth import apply_policy
from survindex.web.errors import HANDLERS
from survindex.web.render import json_response
from survindex.web.state import AppState, CachedPages, DataCache

SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}
MAX_BODY = 1_000_000
# Requests handled at once by a server process. On a SQLite file the work is Python and SQLite in this process:
# with anyio's 40 threads a search computing its counts got the GIL once per 40 turns (a 20 ms query took 1-2 s
# under 50 clients; search p99 at 1M 1.1 s -> 0.45 s). On a database server requests also wait on the server,
# so a few more threads overlap those waits; with 40, 50 clients' first searches of 40 new words all finished
# late together (search p99 at 1M on PostgreSQL 440-576 ms with 40 threads, 212-323 ms with 8; country pages
# the same within the machine's noise).
THREADS = {"sqlite": 4}
SERVER_THREADS = 8
# A server process's garbage collection: a young collection every 50,000 new objects, not Python's 700. A request
# makes thousands (rows, their HTML, the page), so at 700 the collector ran several times a request and walked the
# cached pages' and searches' objects each time it reached the older generations: under 50 clients at 1M, search
# 9-45 % more requests a second and a lower p99 in each of six paired runs (both databases); the same peak memory.
GC_THRESHOLDS = (50_000, 20, 10)
log = logging.getLogger(__name__)


class Guard:
    """Security headers on every response; requests with bodies over ``max_body`` bytes get 413."""

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY) -> None:
        self.app, self.max_body = app, max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is None and b"transfer-encoding" in headers:  # a body of unknown size: refuse, never buffer it
            await self._with_headers(_error(411, "send a Content-Length header"))(scope, receive, send)
            return
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await self._with_headers(_error(413, f"request body too large (limit {self.max_body} bytes)"))(
                scope, receive, send)
            return
        head = scope.get("method") == "HEAD"  # HEAD is GET without the body, for every page
        if head:
            scope = {**scope, "method": "GET"}
        await self._with_headers(self.app, drop_body=head)(scope, receive, send)

    @staticmethod
    def _with_headers(app: ASGIApp, drop_body: bool = False) -> ASGIApp:
        async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
            async def send_wrapper(message: Message) -> None:
                if drop_body and message["type"] == "http.response.body":
                    message = {**message, "body": b""}
                if message["type"] == "http.response.start":
                    headers = list(message.get("headers") or [])
                    present = {k.lower() for k, _ in headers}
                    headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()
                                if k.encode() not in present]
                    message["headers"] = headers
                await send(message)
            await app(scope, receive, send_wrapper)
        return wrapped


def _error(status: int, message: str) -> ASGIApp:
    return json_response({"ok": False, "error": message, "errors": [], "status": status}, status=status)


def _secret(secret: str | None) -> str:
    secret = secret or settings.load().secret
    if not secret:
        warnings.warn("SURVINDEX_SECRET is not set: sessions are signed with a random key and end on restart",
                      stacklevel=3)
        secret = secrets.token_urlsafe(32)
    return secret


def create_app(db: str, secret: str | None = None, secure_cookies: bool | None = None,
               freeze_gc: bool = False) -> FastAPI:
    """The web app over the store at ``db`` (SQLite path or database URL). ``freeze_gc`` (a server process of
    its own: ``survindex serve``) leaves what start-up loaded out of every later garbage collection (a full one
    over a large index and warm caches stalls all requests for tens of milliseconds) and collects less often
    (``GC_THRESHOLDS``)."""
    from survindex.web.routes import api, cases, ingest, pages, review, session
    from survindex.web.routes import targeted as targeted_routes

    store = open_store(db)
    if secure_cookies is None:
        secure_cookies = settings.load().secure_cookies

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        import anyio.to_thread
        from starlette.concurrency import run_in_threadpool

        anyio.to_thread.current_default_thread_limiter().total_tokens = THREADS.get(store.dialect, SERVER_THREADS)
        await run_in_threadpool(warm_up)
        # FastAPI builds each router's routes' state on the first request through that router (100-130 ms, paid
        # by the first visitor and every request waiting behind it); building the OpenAPI schema builds them all
        await run_in_threadpool(_app.openapi)
        await run_in_threadpool(warm_data, store, cache)
        if freeze_gc:  # what start-up loaded and computed lives on: no full garbage collection walks it again
            gc.freeze()
            gc.set_threshold(*GC_THRESHOLDS)
        yield
        store.close()

    app = FastAPI(lifespan=lifespan, dependencies=[Depends(apply_policy)], title="survindex API", version=__version__, openapi_url="/api/openapi.json", docs_url=None,
                  redoc_url=None, description="Cited claims about AI surveillance: deployments, suppliers, finance.")
    cache = DataCache(store)
    app.state.survindex = AppState(store=store, cache=cache, secure_cookies=secure_cookies, max_body=MAX_BODY)
    for exc, handler in HANDLERS.items():
        app.add_exception_handler(exc, handler)
    report_static = Path(str(resources.files("survindex.report"))) / "static" if _has_report() else None
    if report_static and report_static.is_dir():
        app.mount("/static/report", StaticFiles(directory=report_static), name="report-static")
    app.mount("/static", StaticFiles(directory=str(resources.files("survindex.web") / "static")), name="static")
    # the pages first: FastAPI tries the included routers' routes in order (country JSON under 50 clients: +10-16 %
    # requests a second); tests/test_web_fast_paths.py holds that no route answers another's paths
    routers = [m.router for m in (pages, api, session, cases, review, ingest, targeted_routes)]
    for router in routers:
        app.include_router(router)
    _describe_parameters(app, routers)
    app.add_middleware(SessionMiddleware, secret_key=_secret(secret), session_cookie="survindex_session",
                       max_age=int(settings.load().session_hours * 3600), same_site="lax", https_only=secure_cookies)
    app.add_middleware(CachedPages, cache=cache)
    app.add_middleware(Guard, max_body=MAX_BODY)
    return app


def _describe_parameters(app: FastAPI, routers: list[APIRouter]) -> None:
    """The OpenAPI document with the query parameters the routes read by hand (``web.params.Param``)."""
    from survindex.web.params import openapi_parameters

    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()
            for route in (r for router in routers for r in router.routes if isinstance(r, APIRoute)):
                operations = schema.get("paths", {}).get(route.path_format, {})
                extra = openapi_parameters(route.dependant)
                for method in (m.lower() for m in route.methods or () if m.lower() in operations and extra):
                    operations[method]["parameters"] = [*operations[method].get("parameters", []), *extra]
        return build()  # the schema kept since the first call

    app.openapi = openapi  # type: ignore[method-assign]


def warm_up() -> None:
    """Load the reference tables and compile the templates before the first request."""
    from survindex.web.names import country_facts, country_name
    from survindex.web.render import environment

    country_facts("USA")
    country_name("USA")
    env = environment()
    for name in env.list_templates(extensions=["html"]):
        env.get_template(name)


def warm_data(store: Store, cache: DataCache) -> None:
    """The index and the home page's figures for anonymous visitors and for signed-in users, and the profiles
    of the largest countries for anonymous visitors, before the first of them waits for them."""
    from survindex import policy
    from survindex.web import views

    columns = threading.Thread(target=cache.columns.at, args=(cache.version(),), name="survindex-columns")
    columns.start()  # reads while the index is computed: most of both is SQLite, which lets the other run
    for each in dict.fromkeys((policy.public(), policy.EVERYTHING)):
        with policy.applied(each):
            views.home(store, cache)
    with policy.applied(policy.public()):
        try:
            views.warm_countries(store, cache)
        except Exception:  # noqa: BLE001 - a page that fails will say so to its visitor; the app must start
            log.exception("the country profiles could not be computed ahead")
    columns.join()


def _has_report() -> bool:
    try:
        resources.files("survindex.report")
    except (ModuleNotFoundError, TypeError):
        return False
    return True


def app_from_env() -> Any:
    """For ``uvicorn --factory survindex.web.app:app_from_env``: reads SURVINDEX_DB and SURVINDEX_SECRET."""
    from survindex import settings

    conf = settings.load()
    return create_app(conf.db, conf.secret, freeze_gc=True)
