"""Issue 11 item 5: server-side sessions, account changes, token expiry/scope/revocation, sign-in budget, the public
policy and formula-safe static CSV (each test failed before the fix)."""

from __future__ import annotations

import csv
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from survindex.cli import cli
from survindex.store import open_store
from survindex.store import users as su
from tests.test_web_support import PASSWORD, app_for, client, csrf_of, login, seed, store_of


@pytest.fixture
def app(db_path: str) -> Any:
    seed(db_path)
    return app_for(db_path)


def _accept_first(app: Any) -> str:
    store = store_of(app)
    claim = next(iter(store.claims()))
    store.update_claim(claim.id, {"status": "accepted"}, actor="eddie", expected_version=1, action="accept")
    return claim.id


def test_sign_out_ends_the_session_and_a_copied_cookie_stops_working(app: Any) -> None:
    editor, csrf = login(app, "eddie")
    copied = dict(editor.cookies)
    assert editor.get("/review").status_code == 200
    thief = client(app)
    thief.cookies.update(copied)
    assert thief.get("/review").status_code == 200
    assert editor.post("/logout", data={"csrf": csrf}).status_code == 303
    assert thief.get("/review").status_code == 401


def test_password_change_and_disable_end_every_session(app: Any) -> None:
    first, csrf = login(app, "eddie")
    second, _ = login(app, "eddie")
    r = first.post("/account/password", data={"csrf": csrf, "current": PASSWORD, "new": "a brand new password"})
    assert r.status_code == 200, r.text
    assert second.get("/review").status_code == 401  # the other session ended
    assert first.get("/review").status_code == 200  # this browser got a new one
    su.set_active(store_of(app), "eddie", False)
    assert first.get("/review").status_code == 401
    c = client(app)
    token = csrf_of(c)
    r = c.post("/login", data={"username": "eddie", "password": "a brand new password", "csrf": token})
    assert r.status_code == 401


def test_tokens_have_scope_expiry_and_revocation(app: Any) -> None:
    store = store_of(app)
    cid = next(iter(store.claims())).id
    body = {"action": "accept", "version": 1}

    def review(token: str) -> int:
        return int(client(app).post(f"/api/claims/{cid}/review", json=body,
                                    headers={"Authorization": f"Bearer {token}"}).status_code)

    reader = su.create_token(store, "eddie", "reader", scope="read")
    assert review(reader) == 403
    short = su.create_token(store, "eddie", "short", days=1e-6)
    time.sleep(1.1)
    assert review(short) == 401
    writer = su.create_token(store, "eddie", "writer")
    assert su.revoke_tokens(store, "eddie", "writer") == 1
    assert review(writer) == 401
    fresh = su.create_token(store, "eddie", "fresh")
    assert review(fresh) == 200
    names = {t["name"]: t for t in su.list_tokens(store, "eddie")}
    assert names["writer"]["revoked_at"] and names["reader"]["scope"] == "read" and names["fresh"]["expires_at"]


def test_failed_sign_ins_are_budgeted_before_hashing(app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    state = app.state.survindex
    state.ip_limiter.limit = 3
    calls = []
    real = su.authenticate
    monkeypatch.setattr(su, "authenticate", lambda *a: calls.append(1) or real(*a))
    c = client(app)
    token = csrf_of(c)
    codes = [c.post("/login", data={"username": f"user{i}", "password": "guess", "csrf": token}).status_code
             for i in range(10)]
    assert codes == [401] * 3 + [429] * 7 and len(calls) == 3


def test_successful_sign_ins_do_not_count(app: Any) -> None:
    app.state.survindex.ip_limiter.limit = 2
    app.state.survindex.login_limiter.limit = 2
    for _ in range(6):
        login(app, "eddie")


def test_anonymous_visitors_see_the_public_policy(app: Any) -> None:
    accepted = _accept_first(app)
    store = store_of(app)
    hidden = [c.id for c in store.claims() if c.id != accepted][0]
    anon = client(app)
    assert anon.get("/api/claims").json()["total"] == 1
    assert anon.get(f"/api/claims/{hidden}").status_code == 404
    assert anon.get(f"/claim/{hidden}").status_code == 404
    assert anon.get(f"/api/claims/{accepted}").status_code == 200
    rows = list(csv.DictReader(anon.get("/api/claims.csv").text.splitlines()))
    assert [r["id"] for r in rows] == [accepted]
    claim = store.get_claim(accepted)[0]
    doc = anon.get(f"/api/documents/{claim.doc_id}").json()["document"]
    assert doc["text"] == claim.quote  # the quote, not the ingested text
    entries = anon.get("/corrections.json").json()["entries"]
    assert entries and {e["actor"] for e in entries} == {"[withheld]"}
    editor, _ = login(app, "eddie")
    assert editor.get("/api/claims").json()["total"] == 4
    assert editor.get("/corrections.json").json()["entries"][0]["actor"] == "eddie"


def test_cached_views_never_cross_policies(app: Any) -> None:
    """An editor's search and profile (unreviewed claims, their counts) are cached for editors only: an anonymous
    visitor asking the same right after gets the public view."""
    accepted = _accept_first(app)
    editor, _ = login(app, "eddie")
    seen = editor.get("/search.json").json()
    assert len(seen["claims"]) > 1 and editor.get("/country/KEN.json").json()["by_status"].get("unreviewed")
    anon = client(app)
    public = anon.get("/search.json").json()
    assert {c["id"] for c in public["claims"]} <= {accepted} and public["total"] <= 1
    assert "unreviewed" not in anon.get("/country/KEN.json").json()["by_status"]


def test_open_policy_shows_everything(app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SURVINDEX_PUBLIC", "open")
    assert client(app).get("/api/claims").json()["total"] == 4


def test_static_site_csv_neutralises_formulas_and_build_follows_the_policy(db_path: str, tmp_path: Path) -> None:
    from survindex.model import Claim, Document

    store = open_store(db_path)
    text = "=HYPERLINK(\"http://evil\") Huawei supplied safe city cameras to Nairobi in 2015."
    doc = Document.from_text(text, source="t")
    store.put_document(doc)
    store.put_claims([Claim(doc_id=doc.id, kind="deployment", country="KEN", technology="safe_city",
                            supplier="Huawei", quote=text[:40], start=0, end=40, extractor="t",
                            extractor_version="1", status="accepted")])
    store.close()
    runner = CliRunner()
    result = runner.invoke(cli, ["build", "--db", db_path, "--out", str(tmp_path / "site"), "--quiet"])
    assert result.exit_code == 0, result.output
    data = (tmp_path / "site" / "data" / "claims.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in data and ",=HYPERLINK" not in data and '"=HYPERLINK' not in data
    result = runner.invoke(cli, ["build", "--db", db_path, "--out", str(tmp_path / "all"), "--status", "all"])
    assert result.exit_code == 1 and "SURVINDEX_PUBLIC" in result.output
