"""What the app keeps between requests: the store, a small cache keyed by the data version, the login
rate limiter."""

from __future__ import annotations

import contextvars
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import unquote

from fastapi import Request

from survindex import policy
from survindex.store import Store
from survindex.store import search as ss
from survindex.store.columns import ClaimColumns

T = TypeVar("T")


Tag = tuple[str, ...]
GLOBAL: Tag = ("global",)


def tags_of(key: Any) -> Tag:
    """What a cached entry depends on: ``("country", iso3)``, ``("supplier", name)``, ``("technology", key)`` for
    a profile (its view or its page), else ``GLOBAL`` (home, search, lists: anything may change them)."""
    if key and key[0] == "page":
        parts = str(key[1]).removesuffix(".json").split("/", 2)
        key = (parts[1], unquote(parts[2])) if len(parts) == 3 else ("page",)
    if key and key[0] in ("country", "supplier", "technology") and len(key) > 1:
        return (str(key[0]), str(key[1]))
    return GLOBAL


class DataCache:
    """Results keyed by (data version, key), each tagged with what it depends on (``tags_of``). The data version
    (last audit id, last claim row) is read at most once per ``poll`` seconds, and a change made elsewhere (an
    import) empties the cache; the app's own writes call ``invalidate`` with what they changed, which drops only
    the entries that depend on it (and the ``GLOBAL`` ones). Entries put with ``stale_ok`` (the home page's
    figures) are kept when dropped: when computing them took longer than ``STALE_AFTER`` seconds the last time
    (a large database), the next ``get`` returns the old value at once and recomputes it in the background;
    otherwise it recomputes it at once. Rendered pages (keys starting with ``"page"``) are kept apart, at most
    ``pages`` of them and ``page_bytes`` of their bodies, so that many distinct pages never push out the data
    they are made from."""

    STALE_AFTER = 1.0

    def __init__(self, store: Store, poll: float = 1.0, size: int = 512, pages: int = 2048,
                 page_bytes: int = 32 << 20) -> None:
        self.store, self.poll, self.size, self.pages, self.page_bytes = store, poll, size, pages, page_bytes
        self._bytes = 0  # of the cached pages' bodies
        self._lock = threading.Lock()
        self._items: OrderedDict[Any, Any] = OrderedDict()
        self._pages: OrderedDict[Any, Any] = OrderedDict()
        self._stale: dict[Any, Any] = {}
        self._refreshing: set[Any] = set()
        self._cost: dict[Any, float] = {}  # seconds the last computation of a stale_ok key took
        self._flights: dict[Any, threading.Lock] = {}
        self._version: tuple[int, int] | None = None
        self._checked = 0.0
        self.columns = ClaimColumns(store)  # the claims' filter and facet columns, for search counts and facets
        self._polling = threading.Lock()  # one request reads the data version; the others keep the last one

    def version(self) -> tuple[int, int]:
        """The data version, read again at most once per ``poll`` seconds by one request at a time (on
        PostgreSQL it once counted the claims: 40 threads counting at once made every poll a queue)."""
        now = time.monotonic()
        if self._version is None or now - self._checked > self.poll:
            if not self._polling.acquire(blocking=False):
                current = self._version
                if current is not None:
                    return current  # another request is reading it
                self._polling.acquire()
            try:
                version = ss.data_version(self.store)
                with self._lock:
                    if version != self._version and self._version is not None:
                        self._drop(lambda _key: True)
                    self._version, self._checked = version, now
            finally:
                self._polling.release()
        assert self._version is not None
        return self._version

    def _drop(self, hit: Callable[[Any], bool]) -> None:
        for full in [k for k in self._pages if hit(k[1])]:
            self._bytes -= _body_size(self._pages.pop(full))
        for full in [k for k in self._items if hit(k[1])]:
            value = self._items.pop(full)
            if isinstance(value, _Stale):
                self._stale[full[1]] = value.value

    def invalidate(self, changed: Iterable[Tag] | None = None) -> None:
        """Drop what depends on ``changed`` (tags; None: everything) and take the new data version as current."""
        tags = None if changed is None else {*changed, GLOBAL}
        with self._lock:
            self._drop(lambda key: tags is None or tags_of(key) in tags)
            self._version = None
        version = ss.data_version(self.store)
        with self._lock:
            self._version, self._checked = version, time.monotonic()
            self._items = OrderedDict(((version, k[1]), v) for k, v in self._items.items())
            self._pages = OrderedDict(((version, k[1]), v) for k, v in self._pages.items())

    def _shelf(self, key: Any) -> tuple[OrderedDict[Any, Any], int]:
        """Where ``key`` is kept (pages or data) and how many entries that shelf holds."""
        if isinstance(key, tuple) and key and key[0] == "page":
            return self._pages, self.pages
        return self._items, self.size

    def peek(self, key: Any) -> tuple[bool, Any]:
        """(True, value) when cached at the current data version, else (False, None)."""
        full = (self.version(), key)
        with self._lock:
            shelf, _ = self._shelf(key)
            if full in shelf:
                shelf.move_to_end(full)
                value = shelf[full]
                return True, value.value if isinstance(value, _Stale) else value
        return False, None

    def put(self, key: Any, value: Any, version: tuple[int, int] | None = None, stale_ok: bool = False) -> None:
        with self._lock:
            shelf, size = self._shelf(key)
            full = (version or self._version, key)
            if shelf is self._pages:
                self._bytes += _body_size(value) - _body_size(shelf.pop(full, None))
            shelf[full] = _Stale(value) if stale_ok else value
            while len(shelf) > size or (shelf is self._pages and self._bytes > self.page_bytes and len(shelf) > 1):
                _, old = shelf.popitem(last=False)
                if shelf is self._pages:
                    self._bytes -= _body_size(old)

    def get(self, key: Any, compute: Callable[[], T], stale_ok: bool = False, scoped: bool = True) -> T:
        """The value of ``key`` for what the current request may see (the key is scoped by its policy: an
        editor's counts are never served to an anonymous visitor), computed once per data version. ``scoped``
        False shares one value between all policies: only for values every policy shows whole (figures over
        accepted claims)."""
        if scoped:
            key = (*key, policy.current().name) if isinstance(key, tuple) else (key, policy.current().name)
        found, value = self.peek(key)
        if found:
            return value  # type: ignore[no-any-return]
        version = self._version
        if stale_ok:
            with self._lock:
                old = self._stale.get(key, _MISSING)
                if self._cost.get(key, 0.0) < self.STALE_AFTER:
                    old = _MISSING  # cheap: computed again at once
                start = old is not _MISSING and key not in self._refreshing
                if start:
                    self._refreshing.add(key)
            if old is not _MISSING:
                if start:  # in the request's context: the same policy
                    threading.Thread(target=contextvars.copy_context().run,
                                     args=(self._refresh, key, compute, version), daemon=True).start()
                return old  # type: ignore[no-any-return]
        with self._flight(key):  # one computes, the others wait for its result (no stampede on a cold key)
            found, value = self.peek(key)
            if found:
                return value  # type: ignore[no-any-return]
            computed = self._timed(key, compute) if stale_ok else compute()  # costs kept for stale_ok keys only
            self.put(key, computed, version, stale_ok)
            return computed

    def _timed(self, key: Any, compute: Callable[[], T]) -> T:
        start = time.monotonic()
        value = compute()
        self._cost[key] = time.monotonic() - start
        return value

    def _flight(self, key: Any) -> threading.Lock:
        with self._lock:
            if len(self._flights) > 4 * self.size:
                self._flights = {k: v for k, v in self._flights.items() if v.locked()}
            return self._flights.setdefault(key, threading.Lock())

    def _refresh(self, key: Any, compute: Callable[[], Any], version: tuple[int, int] | None) -> None:
        try:
            value = self._timed(key, compute)
            self.put(key, value, version, stale_ok=True)
            with self._lock:
                self._stale.pop(key, None)
        finally:
            with self._lock:
                self._refreshing.discard(key)


@dataclass(frozen=True)
class _Stale:
    """A cached value that may be served stale while it is recomputed."""

    value: Any


_MISSING = object()


def _body_size(page: Any) -> int:
    """The body's length of a cached page ``(body, status, media type)``; 0 for anything else."""
    return len(page[0]) if isinstance(page, tuple) and page and isinstance(page[0], bytes) else 0


def page_key(scope: Any) -> tuple[str, str, str]:
    """The cache key of an anonymous page: its path and query string."""
    return "page", str(scope["path"]), bytes(scope.get("query_string") or b"").decode("latin-1")


class CachedPages:
    """ASGI middleware: an anonymous GET (no cookie, no Authorization) whose page is cached at the current
    data version is answered from the cache before routing; everything else goes on to the app."""

    def __init__(self, app: Any, cache: DataCache) -> None:
        self.app, self.cache = app, cache

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and not any(
                k in (b"cookie", b"authorization") for k, _ in scope["headers"]):
            found, hit = self.cache.peek(page_key(scope))
            if found:
                body, status, media = hit
                await send({"type": "http.response.start", "status": status, "headers": [
                    (b"content-type", media.encode("latin-1")), (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


class RateLimiter:
    """At most ``limit`` attempts per key in a sliding ``window`` of seconds."""

    def __init__(self, limit: int = 5, window: float = 60.0) -> None:
        self.limit, self.window = limit, window
        self._hits: dict[Any, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: Any) -> bool:
        now = time.monotonic()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and now - hits[0] > self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return False
            hits.append(now)
            if len(self._hits) > 10_000:  # forget idle keys
                self._hits = {k: v for k, v in self._hits.items() if v and now - v[-1] <= self.window}
            return True

    def refund(self, key: Any) -> None:
        """Give back the last attempt of ``key`` (a successful sign-in does not count)."""
        with self._lock:
            hits = self._hits.get(key)
            if hits:
                hits.pop()


def _ip_budget() -> RateLimiter:
    from survindex import settings

    return RateLimiter(limit=settings.load().login_budget, window=900.0)


@dataclass
class AppState:
    store: Store
    cache: DataCache
    secure_cookies: bool = False
    max_body: int = 1_000_000
    login_limiter: RateLimiter = field(default_factory=RateLimiter)  # per client address and user name
    ip_limiter: RateLimiter = field(default_factory=_ip_budget)  # failed sign-ins per client address


def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.survindex
    return state
