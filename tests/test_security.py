"""Security: headers, cookies, CSRF, roles on every write route, rate limit, body limit, redirects."""

from __future__ import annotations

import re
from typing import Any

import pytest

from survindex.web import create_app
from survindex.web.routes_doc import all_routes
from tests.test_web_support import PASSWORD, SECRET, app_for, client, csrf_of, login, seed, store_of


@pytest.fixture
def seeded(db_path: str) -> tuple[Any, dict[str, Any]]:
    ids = seed(db_path)
    return app_for(db_path), ids


def _write_routes(app: Any) -> list[tuple[str, str]]:
    out = []
    for route in all_routes(app.routes):
        methods = getattr(route, "methods", None) or set()
        for method in sorted(methods - {"GET", "HEAD", "OPTIONS"}):
            out.append((method, route.path))
    return out


def _fill(path: str, claim_id: str) -> str:
    return re.sub(r"\{[^}]+\}", claim_id, path)


SESSION_ROUTES = {"/login", "/logout"}  # signing in and out: open to any role, still CSRF-checked


def test_every_write_route_refuses_anonymous_viewers_and_csrf_less_posts(seeded: tuple[Any, dict[str, Any]]) -> None:
    app, ids = seeded
    cid = ids["claims"][0]
    routes = _write_routes(app)
    assert ("POST", "/claim/{claim_id}/review") in routes and ("POST", "/api/claims/{claim_id}/review") in routes
    body = {"version": "1", "action": "accept"}
    anon = client(app)
    anon.get("/login")  # has a session (and a CSRF token) but no user
    viewer, viewer_csrf = login(app, "vera")
    editor, _ = login(app, "eddie")
    for method, path in routes:
        url = _fill(path, cid)
        r = anon.request(method, url, data=body)
        assert r.status_code in (401, 403), (method, path, r.status_code)
        r = editor.request(method, url, data=body)  # signed in, no CSRF token
        assert r.status_code == 403, (method, path, r.status_code)
        assert "CSRF" in r.json()["error"] if r.headers["content-type"].startswith("application/json") else True
        if path not in SESSION_ROUTES:
            r = viewer.request(method, url, data={**body, "csrf": viewer_csrf})
            assert r.status_code == 403, (method, path, r.status_code)
    claim, meta = store_of(app).get_claim(cid)
    assert claim.status == "unreviewed" and meta["version"] == 1


def test_security_headers_everywhere(seeded: tuple[Any, dict[str, Any]]) -> None:
    app, _ = seeded
    c = client(app)
    for path in ("/", "/index.json", "/api/claims", "/static/site.css", "/nowhere", "/api/claims/cl-x"):
        h = c.get(path).headers
        csp = h["content-security-policy"]
        for part in ("default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'",
                     "frame-ancestors 'none'"):
            assert part in csp, (path, part)
        assert "unsafe-inline" not in csp
        assert h["x-content-type-options"] == "nosniff" and h["x-frame-options"] == "DENY"
        assert h["referrer-policy"]


def test_pages_carry_no_inline_script(seeded: tuple[Any, dict[str, Any]]) -> None:
    app, ids = seeded
    c = client(app)
    for path in ("/", "/country/KEN", f"/document/{ids['ken']}", "/search?q=x", "/login"):
        html = c.get(path).text
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == [], path
        assert not re.search(r"\son[a-z]+=", html), path


def test_session_cookie_flags(db_path: str) -> None:
    seed(db_path)
    for secure in (False, True):
        c = client(create_app(db_path, SECRET, secure_cookies=secure))
        cookie = c.get("/login").headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie
        assert ("secure" in cookie.split(";")[-1] or "; secure" in cookie) is secure


def test_tampered_session_is_anonymous(seeded: tuple[Any, dict[str, Any]]) -> None:
    app, _ = seeded
    editor, _ = login(app, "eddie")
    value = editor.cookies["survindex_session"]
    forged = client(app)
    forged.cookies.set("survindex_session", value[:-3] + ("AAA" if not value.endswith("AAA") else "BBB"))
    assert forged.get("/review.json").status_code == 401
    other_secret = client(create_app(store_of(app).url.replace("sqlite:///", ""), "another-secret"))
    other_secret.cookies.set("survindex_session", value)
    assert other_secret.get("/review.json").status_code == 401


def test_login_rate_limit_per_ip_and_username(seeded: tuple[Any, dict[str, Any]]) -> None:
    app, _ = seeded
    c = client(app)
    token = csrf_of(c)
    codes = [c.post("/login", data={"username": "eddie", "password": "guess", "csrf": token}).status_code
             for _ in range(5)]
    assert codes == [401] * 5
    r = c.post("/login", data={"username": "eddie", "password": PASSWORD, "csrf": token})
    assert r.status_code == 429 and r.headers["retry-after"] == "60"
    other, _ = login(app, "ada")  # another username is not blocked
    assert other.get("/review.json").status_code == 200


def test_body_size_limit(seeded: tuple[Any, dict[str, Any]]) -> None:
    app, ids = seeded
    editor, csrf = login(app, "eddie")
    r = editor.post(f"/claim/{ids['claims'][0]}/review", data={"csrf": csrf, "version": "1", "action": "accept",
                                                               "reason": "x" * 1_200_000})
    assert r.status_code == 413 and r.json()["status"] == 413


def test_no_open_redirect_after_sign_in(seeded: tuple[Any, dict[str, Any]]) -> None:
    app, _ = seeded
    for target, expected in (("//evil.example/x", "/review"), ("https://evil.example", "/review"),
                             ("/\\evil.example", "/review"), ("/country/KEN", "/country/KEN")):
        c = client(app)
        r = c.post("/login", data={"username": "eddie", "password": PASSWORD, "csrf": csrf_of(c), "next": target})
        assert r.headers["location"] == expected


def test_csv_export_neutralises_formulas(seeded: tuple[Any, dict[str, Any]]) -> None:
    from survindex.model import Claim

    app, ids = seeded
    store = store_of(app)
    store.put_claims([Claim(doc_id=ids["ken"], kind="deployment", quote="=HYPERLINK(\"http://x\")", country="KEN",
                            supplier="@SUM(1)", extractor="test", extractor_version="1")])
    text = client(app).get("/api/claims.csv", params={"country": "KEN"}).text
    assert "'=HYPERLINK" in text and "'@SUM(1)" in text
    assert "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text


def test_bodies_of_unknown_size_are_refused(seeded: tuple[Any, dict[str, Any]]) -> None:
    app, ids = seeded
    editor, csrf = login(app, "eddie")

    def chunks() -> Any:
        yield b"csrf=" + csrf.encode() + b"&version=1&action=accept&reason="
        for _ in range(50):
            yield b"x" * 100_000
    r = editor.post(f"/claim/{ids['claims'][0]}/review", content=chunks(),
                    headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 411 and r.json()["status"] == 411
    assert store_of(app).get_claim(ids["claims"][0])[0].status == "unreviewed"


def test_head_is_get_without_a_body(seeded: tuple[Any, dict[str, Any]]) -> None:
    app, _ = seeded
    c = client(app)
    for path in ("/", "/country/KEN.json", "/api/claims"):
        got, head = c.get(path), c.head(path)
        assert head.status_code == got.status_code == 200 and head.content == b""
        assert head.headers["content-type"] == got.headers["content-type"]
        assert "content-security-policy" in head.headers
