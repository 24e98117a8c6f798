"""The page cache drops only what a change touches: a review of a Kenyan claim leaves Pakistan's page cached;
the home page's index headlines are served stale and refreshed in the background."""

from __future__ import annotations

import time
from typing import Any
from pathlib import Path

from survindex.store import open_store
from survindex.web.state import GLOBAL, DataCache, tags_of


def test_tags_follow_profiles_and_everything_else_is_global() -> None:
    assert tags_of(("page", "/country/KEN", "")) == ("country", "KEN")
    assert tags_of(("page", "/country/KEN.json", "limit=5")) == ("country", "KEN")
    assert tags_of(("page", "/supplier/China%20Tech", "")) == ("supplier", "China Tech")
    assert tags_of(("technology", "safe_city", 50, 0)) == ("technology", "safe_city")
    assert tags_of(("page", "/search", "q=x")) == GLOBAL and tags_of(("home",)) == GLOBAL


def test_invalidate_drops_only_dependent_entries(tmp_path: Path) -> None:
    cache = DataCache(open_store(str(tmp_path / "c.db")))
    keys = (("country", "KEN", 50, 0), ("country", "PAK", 50, 0), ("search", ""), ("home",))
    for key in keys:
        cache.get(key, lambda key=key: key)
    cache.invalidate({("country", "KEN")})
    again = {key: cache.get(key, lambda: "computed again") for key in keys}
    assert again[("country", "PAK", 50, 0)] == ("country", "PAK", 50, 0)
    assert again[("country", "KEN", 50, 0)] == again[("search", "")] == again[("home",)] == "computed again"
    cache.invalidate()
    assert cache.get(("country", "PAK", 50, 0), lambda: "computed again") == "computed again"


def test_stale_entries_are_served_while_they_are_recomputed(tmp_path: Path) -> None:
    """An entry slow to compute (the index of a large database) is served stale after a change while it is
    computed again in the background; a cheap one is computed again at once."""
    cache = DataCache(open_store(str(tmp_path / "c.db")))
    assert cache.get(("cheap",), lambda: 1, stale_ok=True) == 1
    cache.invalidate({("country", "KEN")})
    assert cache.get(("cheap",), lambda: 2, stale_ok=True) == 2
    assert cache.get(("home", "index"), lambda: (time.sleep(cache.STALE_AFTER + 0.05), 1)[1], stale_ok=True) == 1
    cache.invalidate({("country", "KEN")})
    assert cache.get(("home", "index"), lambda: (time.sleep(0.2), 2)[1], stale_ok=True) == 1  # at once
    for _ in range(50):
        if cache.peek(("home", "index")) == (True, 2):
            break
        time.sleep(0.05)
    assert cache.get(("home", "index"), lambda: 3, stale_ok=True) == 2


def test_home_page_survives_an_index_failure(tmp_path: Path, monkeypatch: Any) -> None:
    """When the index cannot be computed the home page still shows its SQL counts (the error is logged)."""
    from survindex.web import views

    def broken(_store: Any) -> dict[str, Any]:
        raise RuntimeError("reference data unreadable")

    monkeypatch.setattr(views, "index_of", broken)
    store = open_store(str(tmp_path / "h.db"))
    page = views.home(store, DataCache(store))
    assert page["figures"]["countries"] == 0 and page["index"]["headlines"] is None


def test_one_request_at_a_time_reads_the_data_version(tmp_path: Path) -> None:
    """When the poll interval has passed and another request is already reading the data version, a request
    keeps the version it has instead of queueing behind (on PostgreSQL the read counts every claim)."""
    cache = DataCache(open_store(str(tmp_path / "c.db")), poll=0.0)
    first = cache.version()
    assert cache._polling.acquire(blocking=False)  # another request is reading the version
    try:
        assert cache.version() == first  # (a request that queued for the lock would never return here)
    finally:
        cache._polling.release()
    assert cache.version() == first  # read again, nothing changed
