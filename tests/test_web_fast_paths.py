"""What makes uncached web requests cheap gives the same answers as the plain way: dict fields in templates, orjson
bodies, one-scan search summaries, profiles' cached first claims, pages kept apart from data, shared index, the
country profiles computed at start-up and the SQLite connection pool."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from markupsafe import Markup
from starlette.testclient import TestClient

from survindex import policy, review
from survindex.store import ClaimFilter, open_store
from survindex.store import search as ss
from survindex.store.core import _pool_args
from survindex.web import render, views
from survindex.web.state import DataCache
from tests.test_web_support import app_for, client, login, seed, store_of


def _accept_all(db: str) -> None:
    ids = seed(db)
    store = open_store(db)
    for cid in ids["claims"]:
        review.review_claim(store, cid, {"action": "accept", "version": 1}, "eddie")
    store.close()


def test_templates_read_dict_keys_as_jinja_does() -> None:
    """Keys first for plain dicts, but a dict's own methods still win, and a missing key is undefined."""
    tpl = render.environment().from_string(
        "{{ d.name }}|{{ d.missing }}|{{ d.items() | list | length }}|{{ d.get('n', 0) }}|{{ o.imag }}")
    assert tpl.render(d={"name": "Kenya", "items": 5}, o=3) == "Kenya||2|0|0"


@pytest.mark.parametrize("value", [
    {"a": [1, 2.5, None, True], "b": "<b>&</b>", "é": "ü"},
    {"when": dt.date(2024, 5, 1), "at": dt.datetime(2024, 5, 1, 12, 30, 1, 5), "t": (1, 2), "m": Markup("<i>x</i>")},
    {1: "int key", "nested": {"set": sorted({3, 1})}},
])
def test_json_bodies_equal_the_standard_library(value: Any) -> None:
    expected = json.dumps(value, ensure_ascii=False, default=render._default, separators=(",", ":"))
    body = render.json_bytes(value)
    assert json.loads(body) == json.loads(expected)
    assert b"<" not in body and b">" not in body and b"&" not in body


def test_json_bodies_fall_back_for_what_orjson_refuses() -> None:
    assert json.loads(render.json_bytes({"big": 2 ** 70})) == {"big": 2 ** 70}
    assert render.json_bytes({"s": "a\ud800"}) == b'{"s":"a\\ud800"}'


def test_many_pages_never_push_out_data(tmp_path: Path) -> None:
    cache = DataCache(open_store(str(tmp_path / "c.db")), size=2, pages=3)
    cache.get(("country", "KEN"), lambda: "profile")
    for n in range(10):
        cache.put(("page", f"/country/KEN?limit={n}", ""), (b"", 200, "text/html"))
    assert cache.get(("country", "KEN"), lambda: "computed again") == "profile"
    assert [cache.peek(("page", f"/country/KEN?limit={n}", ""))[0] for n in range(10)] == [False] * 7 + [True] * 3


def test_cached_pages_are_bounded_by_their_bytes(tmp_path: Path) -> None:
    cache = DataCache(open_store(str(tmp_path / "c.db")), pages=100, page_bytes=250)
    cache.version()
    for n in range(10):
        cache.put(("page", f"/?x={n}", ""), (b"x" * 100, 200, "text/html"))
    assert [cache.peek(("page", f"/?x={n}", ""))[0] for n in range(10)] == [False] * 8 + [True] * 2
    cache.invalidate()
    cache.put(("page", "/", ""), (b"x" * 200, 200, "text/html"))
    assert cache.peek(("page", "/", ""))[0]


def test_unscoped_entries_are_shared_by_every_policy_and_scoped_ones_are_not(tmp_path: Path) -> None:
    cache = DataCache(open_store(str(tmp_path / "c.db")))
    with policy.applied(policy.REVIEWED):
        assert cache.get(("index",), lambda: "for all", scoped=False) == "for all"
        assert cache.get(("home",), lambda: "anonymous") == "anonymous"
    with policy.applied(policy.EVERYTHING):
        assert cache.get(("index",), lambda: "computed again", scoped=False) == "for all"
        assert cache.get(("home",), lambda: "editors") == "editors"


@pytest.mark.parametrize("cap", [200_000, 1])
@pytest.mark.parametrize("shown", [policy.REVIEWED, policy.EVERYTHING])
def test_search_summary_equals_its_separate_queries(db_path: str, cap: int, shown: policy.Policy) -> None:
    ids = seed(db_path)
    store = open_store(db_path)
    review.review_claim(store, ids["claims"][0], {"action": "accept", "version": 1}, "eddie")
    cols = ("technology", "country", "supplier", "status")
    with policy.applied(shown):
        for q in (ss.ClaimQuery(q="cameras"), ss.ClaimQuery(q="Hikvision"), ss.ClaimQuery(),
                  ss.ClaimQuery(ClaimFilter(country="ECU"))):
            found = ss.summary(store, q, cols, cap=cap, head=3)
            assert found.total == ss.count(store, q)
            assert found.head == ss.claim_rows(store, q, 3, order="review")
            if cap > 1:
                assert found.facets == {c: ss.facet(store, q, c, limit=30) for c in cols}
    store.close()


@pytest.mark.parametrize("path", ["/country/ECU", "/supplier/Hikvision", "/technology/video_surveillance",
                                  "/search?q=cameras"])
def test_pages_past_the_cached_first_claims_read_the_rest(db_path: str, monkeypatch: Any, path: str) -> None:
    """The same claims, in the same order, whether a page lies in the cached head or past it."""
    _accept_all(db_path)
    sep = "&" if "?" in path else "?"
    json_path = path.replace("?", ".json?") if "?" in path else path + ".json"

    def walk() -> list[str]:
        c = client(app_for(db_path))
        return [cl["id"] for offset in range(4) for cl in c.get(f"{json_path}{sep}offset={offset}&limit=1").json()
                ["claims"]]
    whole = walk()
    monkeypatch.setattr(views, "HEAD", 1)
    assert walk() == whole and whole
    assert client(app_for(db_path)).get(f"{path}{sep}offset=1&limit=1").status_code == 200


def test_a_review_refreshes_the_cached_first_claims(db_path: str) -> None:
    ids = seed(db_path)
    app = app_for(db_path)
    anon = client(app)
    assert anon.get("/country/KEN.json").json()["claims"] == []  # the public sees accepted claims only
    editor, csrf = login(app, "eddie")
    editor.post(f"/claim/{ids['claims'][0]}/review", data={"csrf": csrf, "version": "1", "action": "accept"})
    assert [c["id"] for c in anon.get("/country/KEN.json").json()["claims"]] == [ids["claims"][0]]
    assert [c["status"] for c in editor.get("/country/KEN.json").json()["claims"]] == ["unreviewed", "accepted"]


def test_start_up_computes_the_largest_countries_for_the_public(db_path: str) -> None:
    _accept_all(db_path)
    app = app_for(db_path)
    with TestClient(app):  # runs the start-up
        assert app.openapi_schema is not None  # built, and with it every route's state: none left to the first visitor
        cache = app.state.survindex.cache
        with policy.applied(policy.public()):
            assert cache.peek(("country", "ECU", policy.public().name))[0]
            assert cache.peek(("country", "KEN", policy.public().name))[0]
            assert views.warm_countries(store_of(app), cache, limit=1) == ["ECU"]  # two claims against one


def test_sqlite_files_keep_warm_connections_and_servers_are_pinged() -> None:
    sqlite = _pool_args("sqlite:////tmp/x.db")
    assert sqlite["pool_use_lifo"] and not sqlite["pool_pre_ping"] and sqlite["pool_size"] >= 40
    assert _pool_args("sqlite://") == _pool_args("sqlite:///:memory:") == {"pool_pre_ping": True}
    server = _pool_args("postgresql+psycopg://u@h/db")
    assert server["pool_pre_ping"] and server["pool_use_lifo"] and server["pool_size"] >= 20


def test_page_fragments_are_made_with_their_data_and_kept_out_of_json(db_path: str) -> None:
    """The country profile and home page content are rendered once with the cached data they show: the same
    HTML for every visitor of a policy, after a review the new data's, and never in a JSON body."""
    ids = seed(db_path)
    app = app_for(db_path)
    anon = client(app)
    assert 'data-figure="accepted">0<' in anon.get("/country/KEN").text
    for path in ("/country/KEN.json", "/api/countries/KEN", "/index.json"):
        body = anon.get(path).json()
        assert "profile_html" not in body and "content" not in body, path
    editor, csrf = login(app, "eddie")
    editor.post(f"/claim/{ids['claims'][0]}/review", data={"csrf": csrf, "version": "1", "action": "accept"})
    page = anon.get("/country/KEN").text
    assert 'data-figure="accepted">1<' in page and 'href="/supplier/Huawei">Huawei</a>' in page
    assert 'data-figure="accepted_deployments">1<' in anon.get("/").text
    assert "eddie" in editor.get("/country/KEN").text and "eddie" not in page


def test_cached_claim_rows_render_as_the_table_does(tmp_path: Path) -> None:
    """A profile's first claims keep their rendered rows; a page from them equals the table rendered row by row,
    and its JSON twin carries no markup."""
    db = str(tmp_path / "r.db")
    _accept_all(db)
    store = open_store(db)
    cache = DataCache(store)
    first = views.country(store, cache, "KEN", views.Page(5, 0))
    again = views.country(store, cache, "KEN", views.Page(5, 0))  # the rows' HTML kept from the first
    plain = render.environment().from_string('{% from "_macros.html" import claims_table %}'
                                             "{{ claims_table(claims) }}").render(claims=first["claims"])
    table = render.environment().from_string('{% from "_macros.html" import claims_table %}'
                                             "{{ claims_table(claims, rows_html=html) }}")
    assert first["claims"] and str(again["claims_html"]) == str(first["claims_html"])
    assert table.render(claims=first["claims"], html=first["claims_html"]) == plain
    assert "claims_html" not in render.public_data(first)
    store.close()


def test_a_cached_search_keeps_its_summary_rendered(tmp_path: Path) -> None:
    """A search's documents, count and facets are rendered once with its cached summary: every page of that search
    shows the same fragment, which the summary's data alone makes, and its JSON twin carries none of it."""
    from survindex.web.params import Filters

    db = str(tmp_path / "s.db")
    _accept_all(db)
    store = open_store(db)
    cache = DataCache(store)
    query = Filters({"q": "Huawei"}, ss.ClaimQuery(q="Huawei"))
    first, second = (views.search(store, query, views.Page(k, 0), cache) for k in (1, 2))
    assert second["summary_html"] is first["summary_html"] and first["total"] >= 1
    assert "<h2>Documents</h2>" in first["summary_html"] and f"<h2>{first['total']} claims</h2>" in first["summary_html"]
    assert str(first["summary_html"]) == str(render.fragment("_search_summary.html", first))
    assert "summary_html" not in render.public_data(first)
    page = client(app_for(db)).get("/search", params={"q": "Huawei", "limit": 1}).text  # a visitor: no snippets
    assert str(first["summary_html"]).split("</ul>\n", 1)[1] in page
    store.close()


def test_a_server_handles_few_requests_at_once(any_db: str) -> None:
    """The work is Python under one GIL: a few threads (a few more when requests also wait on a database server),
    not anyio's 40 taking turns."""
    import anyio.to_thread

    from survindex.web.app import SERVER_THREADS, THREADS

    seed(any_db)
    with TestClient(app_for(any_db)) as c:
        assert c.get("/").status_code == 200
        limiter = anyio.to_thread.current_default_thread_limiter
        tokens = c.portal.call(lambda: limiter().total_tokens)  # type: ignore[union-attr]
    assert tokens == (THREADS["sqlite"] if any_db.endswith(".db") else SERVER_THREADS)
    assert THREADS["sqlite"] < SERVER_THREADS < 40


def test_a_server_process_collects_garbage_seldom(tmp_path: Path) -> None:
    """``survindex serve``'s app freezes what start-up loaded and raises the collector's thresholds; an app in
    another process's hands (tests, an embedding program) leaves both alone."""
    import gc

    from survindex.web.app import GC_THRESHOLDS, create_app

    db = str(tmp_path / "g.db")
    seed(db)
    before = gc.get_threshold()
    try:
        with TestClient(create_app(db, secret="s")) as c:
            assert c.get("/").status_code == 200 and gc.get_threshold() == before
        with TestClient(create_app(db, secret="s", freeze_gc=True)) as c:
            assert c.get("/").status_code == 200
            assert gc.get_threshold() == GC_THRESHOLDS and gc.get_freeze_count() > 0
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def test_no_route_hides_another(tmp_path: Path) -> None:
    """The public pages' router is matched first (FastAPI tries included routers in order: a page request skipped
    30 API and case routes first), which is safe only while no route answers another's paths: each route's
    example path (every parameter filled) is matched first, for its methods, by that route."""
    import re

    from starlette.routing import Match

    from survindex.web.routes_doc import all_routes

    routes = [r for r in all_routes(app_for(str(tmp_path / "r.db")).routes) if hasattr(r, "path_regex")]
    assert any(r.path == "/search" for r in routes[:20])  # the pages come first
    for route in (r for r in routes if getattr(r, "methods", None)):  # mounts are only candidates
        path = re.sub(r"\{[^}:]+:path\}", "a/b", re.sub(r"\{[^}:]+\}", "x1", route.path))
        for method in sorted(route.methods - {"HEAD"}):
            scope = {"type": "http", "path": path, "method": method, "root_path": ""}
            first = next(r for r in routes if r.matches(scope)[0] == Match.FULL)
            assert first is route or first.path == route.path, (method, path, first.path)
