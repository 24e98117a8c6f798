"""Cases in the web app: the case review queue (editors only, most corroborated first, filters by label, keyset
pages), accept / reject / correct a case or some of its claims, bulk accept, undo, split, merge, the error shape of
every refusal; case pages with their JSON twin and redirects from old ids; /cases and /api/cases; case lists on
profile pages. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.test_cases import _case_of, _doc_claims
from tests.test_web_support import app_for, client, login, seed, store_of

JSON = {"accept": "application/json"}


@pytest.fixture
def world(any_db: str) -> tuple[Any, dict[str, Any]]:
    """The web test set plus a Kenyan safe city reported by three publishers and a Serbian case."""
    ids = seed(any_db)
    app = app_for(any_db)
    store = store_of(app)
    a = _doc_claims(store, "Huawei built Kenya's safe city in Nairobi.", "Reuters", country="KEN",
                    technology="safe_city", supplier="Huawei", supplier_country="CHN", stage="installed",
                    confidence=0.9)
    b = _doc_claims(store, "Kenya's police watch Huawei cameras in Nairobi.", "BBC", country="KEN",
                    technology="video_surveillance", supplier="Huawei", supplier_country="CHN", confidence=0.8)
    c = _doc_claims(store, "Serbia's police use Huawei cameras in Belgrade.", "BIRN", country="SRB",
                    technology="video_surveillance", supplier="Huawei", supplier_country="CHN", confidence=0.7)
    store.refresh_cases()
    return app, {**ids, "ken": _case_of(store, a.id), "ken_claims": [a.id, b.id], "srb": _case_of(store, c.id),
                 "srb_claim": c.id}


def _queue(editor: TestClient, **params: Any) -> dict[str, Any]:
    r = editor.get("/review.json", params=params)
    assert r.status_code == 200, r.text
    data: dict[str, Any] = r.json()
    return data


def _error(r: Any, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    body: dict[str, Any] = r.json()
    assert body["ok"] is False and body["status"] == status and isinstance(body["errors"], list) and body["error"]
    return body


def test_queue_lists_cases_most_corroborated_first_for_editors(world: tuple[Any, dict[str, Any]]) -> None:
    app, ids = world
    _error(client(app).get("/review.json"), 401)
    viewer, _ = login(app, "vera")
    _error(viewer.get("/review.json"), 403)
    editor, _ = login(app, "eddie")
    data = _queue(editor)
    keys = [(c["sources"], c["confidence"]) for c in data["cases"]]
    assert keys == sorted(keys, reverse=True) and data["cases"][0]["id"] == ids["ken"]
    first = data["cases"][0]
    assert first["sources"] >= 2 and len(first["claim_rows"]) >= 2 and first["token"]
    assert all("excerpt" not in d for d in first["documents"])  # markup stays out of the JSON twin
    page = editor.get("/review").text
    assert f'id="{ids["ken"]}"' in page and "<mark" in page and 'src="/static/review.js"' in page


def test_queue_filters_take_labels_and_pages_by_cursor(world: tuple[Any, dict[str, Any]]) -> None:
    app, ids = world
    editor, _ = login(app, "eddie")
    assert [c["country"] for c in _queue(editor, country="Serbia")["cases"]] == ["SRB"]
    vs = _queue(editor, technology="Video surveillance")
    assert vs["params"]["technology"] == "video_surveillance" and vs["cases"]
    assert {c["supplier"] for c in _queue(editor, supplier="Huawei")["cases"]} == {"Huawei"}
    bad = _error(editor.get("/review.json", params={"technology": "lasers", "country": "Atlantis"}), 400)
    assert {e["param"] for e in bad["errors"]} == {"technology", "country"}
    assert "invalid filter" in editor.get("/review?technology=lasers").text  # the page keeps the form
    seen: list[str] = []
    url: str | None = "/review.json?limit=2"
    while url:
        page = editor.get(url.replace("/review?", "/review.json?")).json()
        seen += [c["id"] for c in page["cases"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == _queue(editor)["total"]
    _error(editor.get("/review.json", params={"after": "nonsense"}), 400)


def test_accept_by_form_keeps_the_place_and_offers_undo(world: tuple[Any, dict[str, Any]]) -> None:
    app, ids = world
    editor, csrf = login(app, "eddie")
    case = _queue(editor)["cases"][0]
    r = editor.post(f"/case/{case['id']}/review", data={"csrf": csrf, "token": case["token"], "action": "accept",
                                                        "next": f"/review#{ids['srb']}"})
    assert r.status_code == 303 and r.headers["location"] == f"/review#{ids['srb']}"
    assert store_of(app).get_claim(ids["ken_claims"][0])[0].status == "accepted"
    page = editor.get("/review").text
    assert "Undo last action" in page and ids["ken"] not in page.split("queue-bar", 1)[1].split("pager")[0]
    undo_action = page.split('action="/review/undo/', 1)[1].split('"', 1)[0]
    r = editor.post(f"/review/undo/{undo_action}", data={"csrf": csrf, "next": "/review"})
    assert r.status_code == 303
    assert store_of(app).get_claim(ids["ken_claims"][0])[0].status == "unreviewed"


def test_json_review_reject_correct_subset_and_conflict(world: tuple[Any, dict[str, Any]]) -> None:
    app, ids = world
    editor, csrf = login(app, "eddie")
    case = _queue(editor)["cases"][0]
    url = f"/case/{case['id']}/review"
    _error(editor.post(url, data={"csrf": csrf, "token": case["token"], "action": "reject"}, headers=JSON), 400)
    _error(editor.post(url, data={"csrf": csrf, "token": case["token"], "action": "correct", "technology": "x"},
                       headers=JSON), 400)
    _error(editor.post(url, data={"token": case["token"], "action": "accept"}, headers=JSON), 403)  # no CSRF
    one = ids["ken_claims"][1]
    r = editor.post(url + ".json", data={"csrf": csrf, "token": case["token"], "action": "accept", "claims": one})
    done = r.json()
    assert r.status_code == 200 and list(done["claims"]) == [one] and done["undo_url"].endswith(str(done["undo"]))
    _error(editor.post(url, data={"csrf": csrf, "token": case["token"], "action": "accept"}, headers=JSON), 409)
    r = editor.post(url, data={"csrf": csrf, "token": done["token"], "action": "correct", "stage": "operational",
                               "reason": "the 2019 report"}, headers=JSON)
    assert r.status_code == 200
    assert store_of(app).get_claim(ids["ken_claims"][0])[0].stage == "operational"
    undone = editor.post(f"/review/undo/{r.json()['undo']}.json", data={"csrf": csrf}).json()
    assert undone["ok"] and ids["ken"] in undone["cases"]
    assert store_of(app).get_claim(ids["ken_claims"][0])[0].stage == "installed"
    _error(editor.post("/review/undo/999999", data={"csrf": csrf}, headers=JSON), 404)


def test_bulk_accept_split_and_merge(world: tuple[Any, dict[str, Any]]) -> None:
    app, ids = world
    editor, csrf = login(app, "eddie")
    cases = _queue(editor)["cases"]  # Kenya's Safaricom and Huawei claims are one case: take two countries' cases
    picked = [f"{c['id']}~{c['token']}" for c in cases[:2]]
    r = editor.post("/review/accept.json", data={"csrf": csrf, "cases": picked})
    assert r.status_code == 200 and len(r.json()["undo_all"]) == 2
    _error(editor.post("/review/accept.json", data={"csrf": csrf}), 400)
    a, b = ids["ken_claims"]
    r = editor.post(f"/case/{ids['ken']}/split.json", data={"csrf": csrf, "claim": b, "reason": "another city"})
    new = r.json()["new_case"]
    assert r.status_code == 200 and new != ids["ken"]
    _error(editor.post(f"/case/{ids['ken']}/split.json", data={"csrf": csrf, "claim": ids["srb_claim"]}), 400)
    _error(editor.post(f"/case/{ids['ken']}/merge.json", data={"csrf": csrf, "other": ids["srb"]}), 400)
    _error(editor.post(f"/case/{ids['ken']}/merge.json", data={"csrf": csrf}), 400)
    r = editor.post(f"/case/{_case_of(store_of(app), a)}/merge.json", data={"csrf": csrf, "other": new})
    assert r.status_code == 200
    assert _case_of(store_of(app), a) == _case_of(store_of(app), b) == r.json()["case"]
    undo = editor.post(r.json()["undo_url"] + ".json", data={"csrf": csrf})  # the merge taken back: split again
    assert undo.status_code == 200 and _case_of(store_of(app), a) != _case_of(store_of(app), b)
    viewer, vcsrf = login(app, "vera")
    _error(viewer.post(f"/case/{ids['ken']}/split.json", data={"csrf": vcsrf, "claim": a}), 403)


def test_case_page_twin_redirects_api_and_profile_lists(world: tuple[Any, dict[str, Any]]) -> None:
    app, ids = world
    anon = client(app)
    page = anon.get(f"/case/{ids['ken']}")
    assert page.status_code == 200 and "Timeline" in page.text and 'class="locator"' in page.text
    assert "Reuters" in page.text and "BBC" in page.text and "/claim/" in page.text
    twin = anon.get(f"/case/{ids['ken']}.json").json()
    assert twin["case"]["sources"] >= 2
    assert {s["publisher"] for s in twin["independent_sources"]} >= {"Reuters", "BBC"}
    assert "map_pin" not in twin and all("excerpt" not in d for d in twin["documents"])
    _error(anon.get("/case/case-0000.json"), 404)
    with store_of(app).transaction() as conn:
        from survindex.store import schema

        conn.execute(schema.case_aliases.insert().values(old_id="case-old", new_id=ids["ken"]))
    r = anon.get("/case/case-old.json")
    assert r.status_code == 301 and r.headers["location"] == f"/case/{ids['ken']}.json"
    assert anon.get("/api/cases", params={"country": "kenya"}).json()["total"] >= 1
    api = anon.get("/api/cases", params={"limit": 1}).json()  # Kenya's claims are one case: page over all
    assert api["total"] >= 2 and len(api["rows"]) == 1 and api["next"]
    assert anon.get(api["next"]).json()["rows"][0]["id"] != api["rows"][0]["id"]
    assert anon.get(f"/api/cases/{ids['ken']}").json()["case"]["id"] == ids["ken"]
    _error(anon.get("/api/cases", params={"status": "maybe"}), 400)
    assert anon.get("/cases.json", params={"status": "all"}).json()["total"] >= 3
    for path in ("/country/KEN", "/supplier/Huawei", "/technology/safe_city"):
        assert f"/case/{ids['ken']}" in anon.get(path).text, path
    assert anon.get("/country/KEN.json").json()["cases"]["total"] >= 1
    assert anon.get("/map/world.svg").headers["content-type"].startswith("image/svg")


def test_financing_figures_lead_to_the_cases_the_loans_joined(world: tuple[Any, dict[str, Any]]) -> None:
    app, ids = world
    store = store_of(app)
    from survindex.model import Claim, Document

    doc = Document.from_text("China Exim Bank lent Kenya $150 million for the Nairobi safe city.", publisher="Nation",
                             published="2015-01-01")
    store.put_document(doc)
    loan = Claim(doc_id=doc.id, kind="financing", quote=doc.text, extractor="t", extractor_version="1",
                 country="KEN", technology="safe_city", financier="Export-Import Bank of China", amount_usd=1.5e8,
                 year=2015, status="accepted", start=0, end=len(doc.text))
    store.put_claims([loan])
    store.refresh_cases()
    anon = client(app)
    cases = anon.get("/cases.json", params={"financier": "Export-Import Bank of China", "status": "all"}).json()
    assert [r["id"] for r in cases["cases"]] == [_case_of(store, loan.id)]
    assert anon.get("/cases.json", params={"financier": "Nobody", "status": "all"}).json()["total"] == 0
