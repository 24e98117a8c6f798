"""The review workflow: sign-in, queue, accept / reject / correct, conflicts, history, corrections log,
published figures that change with acceptance. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest

from survindex.store import users as su
from tests.test_web_support import PASSWORD, app_for, client, login, seed, store_of


@pytest.fixture
def seeded(any_db: str) -> tuple[Any, dict[str, Any]]:
    ids = seed(any_db)
    return app_for(any_db), ids


def test_queue_is_ordered_by_confidence_and_needs_an_editor(seeded: tuple[Any, dict[str, Any]]) -> None:
    app, _ = seeded
    assert client(app).get("/review.json").status_code == 401
    viewer, _ = login(app, "vera")
    assert viewer.get("/review.json").status_code == 403
    editor, _ = login(app, "eddie")
    rows = editor.get("/review/claims.json").json()["claims"]
    assert [r["confidence"] for r in rows] == sorted((r["confidence"] for r in rows), reverse=True)
    assert {r["status"] for r in rows} == {"unreviewed"} and len(rows) == 4


def test_accept_changes_published_figures_and_country_page(seeded: tuple[Any, dict[str, Any]]) -> None:
    app, ids = seeded
    anon = client(app)
    before = anon.get("/index.json").json()["figures"]
    assert before["countries"] == 0 and before["accepted_deployments"] == 0
    assert anon.get("/country/KEN.json").json()["accepted"]["supplier"] == []
    editor, csrf = login(app, "eddie")
    cid = ids["claims"][0]
    r = editor.post(f"/claim/{cid}/review", data={"csrf": csrf, "version": "1", "action": "accept"})
    assert r.status_code == 303 and r.headers["location"] == f"/claim/{cid}"
    after = anon.get("/index.json").json()["figures"]
    assert after["countries"] == 1 and after["accepted_deployments"] == 1 and after["suppliers"] == 1
    assert after["cases"] == 1
    home = anon.get("/").text  # each figure leads to its cases
    assert 'href="/cases?supplier=Huawei&amp;status=accepted"' in home and 'href="/cases?status=accepted"' in home
    assert len(anon.get("/cases.json?supplier=Huawei&status=accepted").json()["cases"]) == 1
    country = anon.get("/country/KEN.json").json()
    assert country["accepted"]["supplier"] == [{"value": "Huawei", "claims": 1}]
    assert country["by_status"] == {"accepted": 1, "unreviewed": 1}
    history = anon.get(f"/claim/{cid}.json").json()["history"]
    assert [(h["actor"], h["action"], h["after"]) for h in history] == [("eddie", "accept", {"status": "accepted"})]
    log = anon.get("/corrections.json").json()["entries"]
    assert log[0]["object_id"] == cid and log[0]["action"] == "accept"


def test_reject_needs_a_reason(seeded: tuple[Any, dict[str, Any]]) -> None:
    app, ids = seeded
    editor, csrf = login(app, "eddie")
    cid = ids["claims"][1]
    r = editor.post(f"/claim/{cid}/review",
                    data={"csrf": csrf, "version": "1", "action": "reject"}, headers={"accept": "application/json"})
    assert r.status_code == 400 and r.json()["errors"][0]["param"] == "reason"
    r = editor.post(f"/claim/{cid}/review", data={"csrf": csrf, "version": "1", "action": "reject",
                                                  "reason": "the quote is about plans, not a deployment"})
    assert r.status_code == 303
    claim, meta = store_of(app).get_claim(cid)
    assert claim.status == "rejected" and meta["review_reason"].startswith("the quote")


def test_correction_keeps_the_original(seeded: tuple[Any, dict[str, Any]]) -> None:
    app, ids = seeded
    editor, csrf = login(app, "eddie")
    cid = ids["claims"][2]
    r = editor.post(f"/claim/{cid}/review", data={"csrf": csrf, "version": "1", "action": "correct", "year": "2016",
                                                  "stage": "operational", "technology": "", "reason": "see p. 3"})
    assert r.status_code == 303
    data = client(app).get(f"/claim/{cid}.json").json()["claim"]
    assert data["year"] == 2016 and data["stage"] == "operational" and data["status"] == "accepted"
    assert data["original"] == {"year": None, "stage": "installed"}
    bad = editor.post(f"/claim/{cid}/review", data={"csrf": csrf, "version": "2", "action": "correct",
                                                    "technology": "lasers"}, headers={"accept": "application/json"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["param"] == "technology"


def test_second_editor_with_a_stale_version_gets_a_conflict(seeded: tuple[Any, dict[str, Any]]) -> None:
    app, ids = seeded
    store = store_of(app)
    su.add_user(store, "erin", PASSWORD, "editor")
    first, csrf1 = login(app, "eddie")
    second, csrf2 = login(app, "erin")
    cid = ids["claims"][3]
    assert first.post(f"/claim/{cid}/review", data={"csrf": csrf1, "version": "1", "action": "accept"}
                      ).status_code == 303
    page = second.post(f"/claim/{cid}/review", data={"csrf": csrf2, "version": "1", "action": "reject",
                                                     "reason": "duplicate"})
    assert page.status_code == 409
    assert "someone else saved this claim first" in page.text and "Your change was not saved" in page.text
    api = second.post(f"/api/claims/{cid}/review", json={"version": 1, "action": "reject", "reason": "dup"},
                      headers={"x-csrf-token": csrf2})
    assert api.status_code == 409 and api.json()["status"] == 409
    assert store.get_claim(cid)[0].status == "accepted"


def test_api_token_reviews_without_cookies(seeded: tuple[Any, dict[str, Any]]) -> None:
    app, ids = seeded
    store = store_of(app)
    token = su.create_token(store, "eddie", "script")
    viewer_token = su.create_token(store, "vera")
    cid = ids["claims"][0]
    c = client(app)
    assert c.post(f"/api/claims/{cid}/review", json={"version": 1, "action": "accept"},
                  headers={"authorization": f"Bearer {viewer_token}"}).status_code == 403
    assert c.post(f"/api/claims/{cid}/review", json={"version": 1, "action": "accept"},
                  headers={"authorization": "Bearer svx_wrong"}).status_code == 401
    r = c.post(f"/api/claims/{cid}/review", json={"version": 1, "action": "accept"},
               headers={"authorization": f"Bearer {token}"})
    assert r.status_code == 200 and r.json() == {"ok": True, "id": cid, "version": 2}
    assert su.revoke_tokens(store, "eddie") == 1
    assert su.user_for_token(store, token) is None


def test_login_failures_and_logout(seeded: tuple[Any, dict[str, Any]]) -> None:
    app, _ = seeded
    c = client(app)
    from tests.test_web_support import csrf_of

    token = csrf_of(c)
    r = c.post("/login", data={"username": "eddie", "password": "wrong password", "csrf": token},
               headers={"accept": "application/json"})
    assert r.status_code == 401 and r.json()["error"] == "wrong username or password"
    editor, csrf = login(app, "eddie")
    assert editor.get("/review").status_code == 200
    assert editor.post("/logout", data={"csrf": csrf}).status_code == 303
    assert editor.get("/review").status_code == 401


def test_editor_adds_a_document_and_reviews_its_claims(seeded: tuple[Any, dict[str, Any]]) -> None:
    app, _ = seeded
    editor, csrf = login(app, "eddie")
    assert editor.get("/ingest").status_code == 200
    text = ("In March 2019 Huawei installed facial recognition cameras for the police in Belgrade, Serbia, "
            "as part of the Safe City project agreed with the Ministry of Interior.")
    r = editor.post("/ingest", data={"csrf": csrf, "title": "Belgrade cameras", "url": "javascript:alert(1)",
                                     "text": text}, headers={"accept": "application/json"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["new"] is True and body["claims"] >= 1
    doc = client(app).get(f"/document/{body['id']}.json").json()
    assert doc["document"]["url"] is None and doc["document"]["title"] == "Belgrade cameras"
    claims = [c for c in doc["claims"] if c["country"] == "SRB"]
    assert claims and {c["status"] for c in claims} == {"unreviewed"}
    queue = editor.get("/review/claims.json", params={"country": "SRB"}).json()["claims"]
    assert {c["id"] for c in queue} >= {c["id"] for c in claims}
    cid = claims[0]["id"]
    assert editor.post(f"/claim/{cid}/review", data={"csrf": csrf, "version": "1", "action": "accept"}
                       ).status_code == 303
    assert client(app).get("/country/SRB.json").json()["by_status"].get("accepted") == 1
    empty = editor.post("/ingest", data={"csrf": csrf, "text": "  "}, headers={"accept": "application/json"})
    assert empty.status_code == 400


def test_corrected_supplier_takes_the_registry_name_and_headquarters(seeded: tuple[Any, dict[str, Any]]) -> None:
    app, ids = seeded
    editor, csrf = login(app, "eddie")
    cid = ids["claims"][1]  # Safaricom, KEN
    r = editor.post(f"/claim/{cid}/review", data={"csrf": csrf, "version": "1", "action": "correct",
                                                  "supplier": "huawei technologies co., ltd."})
    assert r.status_code == 303
    claim = client(app).get(f"/claim/{cid}.json").json()["claim"]
    assert (claim["supplier"], claim["supplier_country"]) == ("Huawei", "CHN")
    assert claim["original"]["supplier"] == "Safaricom" and claim["original"]["supplier_country"] == "KEN"
