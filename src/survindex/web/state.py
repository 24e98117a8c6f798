"""What the app keeps between requests: the store, a small cache keyed by the data version, the login
rate limiter."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from fastapi import Request

from survindex.store import Store
from survindex.store import search as ss

T = TypeVar("T")


class DataCache:
    """Results keyed by (data version, key). The data version (last audit id, last claim row) is read at most
    once per ``poll`` seconds; the app's own writes call ``invalidate`` so they show at once."""

    def __init__(self, store: Store, poll: float = 1.0, size: int = 512) -> None:
        self.store, self.poll, self.size = store, poll, size
        self._lock = threading.Lock()
        self._items: OrderedDict[Any, Any] = OrderedDict()
        self._version: tuple[int, int] | None = None
        self._checked = 0.0

    def version(self) -> tuple[int, int]:
        now = time.monotonic()
        if self._version is None or now - self._checked > self.poll:
            version = ss.data_version(self.store)
            with self._lock:
                if version != self._version:
                    self._items.clear()
                self._version, self._checked = version, now
        assert self._version is not None
        return self._version

    def invalidate(self) -> None:
        with self._lock:
            self._items.clear()
            self._version = None

    def peek(self, key: Any) -> tuple[bool, Any]:
        """(True, value) when cached at the current data version, else (False, None)."""
        full = (self.version(), key)
        with self._lock:
            if full in self._items:
                self._items.move_to_end(full)
                return True, self._items[full]
        return False, None

    def put(self, key: Any, value: Any, version: tuple[int, int] | None = None) -> None:
        with self._lock:
            self._items[(version or self._version, key)] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def get(self, key: Any, compute: Callable[[], T]) -> T:
        found, value = self.peek(key)
        if found:
            return value  # type: ignore[no-any-return]
        version = self._version
        computed = compute()
        self.put(key, computed, version)
        return computed


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
