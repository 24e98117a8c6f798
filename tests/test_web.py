"""Pages and their .json twins over a real SQLite file (and PostgreSQL when available)."""

from __future__ import annotations

import pytest

from tests.test_web_support import app_for, client, seed


@pytest.fixture
def seeded(any_db: str) -> tuple[object, dict[str, object]]:
    ids = seed(any_db)
    return app_for(any_db), ids


PAGES = ["/", "/country/KEN", "/supplier/Huawei", "/technology/safe_city", "/technology", "/search?q=Hikvision",
         "/corrections", "/login"]


def _twin(path: str) -> str:
    base, _, query = path.partition("?")
    base = "/index" if base == "/" else base
    return base + ".json" + ("?" + query if query else "")


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_a_json_twin(seeded: tuple[object, dict[str, object]], path: str) -> None:
    app, _ = seeded
    c = client(app)  # type: ignore[arg-type]
    html = c.get(path)
    assert html.status_code == 200, html.text
    assert html.headers["content-type"].startswith("text/html")
    data = c.get(_twin(path))
    assert data.status_code == 200
    assert data.headers["content-type"].startswith("application/json")
    assert data.json()["ok"] is True


def test_country_page_shows_its_claims_and_facets(seeded: tuple[object, dict[str, object]]) -> None:
    app, ids = seeded
    c = client(app)  # type: ignore[arg-type]
    data = c.get("/country/ken.json").json()
    assert data["iso3"] == "KEN" and data["name"] == "Kenya"
    assert data["bri_member"] is True and data["regime_type"] in ("electoral_democracy", "electoral_autocracy")
    assert data["total_claims"] == 2 and data["by_status"] == {"unreviewed": 2}
    assert {r["supplier"] for r in data["claims"]} == {"Huawei", "Safaricom"}
    assert data["accepted"]["supplier"] == []  # nothing accepted yet
    assert "Huawei" in c.get("/country/KEN").text


def test_document_page_highlights_claim_spans(seeded: tuple[object, dict[str, object]]) -> None:
    app, ids = seeded
    c = client(app)  # type: ignore[arg-type]
    page = c.get(f"/document/{ids['ken']}").text
    assert '<mark class="claim unreviewed"' in page
    assert "Huawei supplied 1,800 CCTV cameras for the Safe City project</a></mark>" in page
    data = c.get(f"/document/{ids['ken']}.json").json()
    assert data["document"]["title"] == "Kenya safe city" and len(data["claims"]) == 2
    assert "highlighted" not in data


def test_claim_page_has_quote_source_and_history(seeded: tuple[object, dict[str, object]]) -> None:
    app, ids = seeded
    cid = ids["claims"][0]  # type: ignore[index]
    c = client(app)  # type: ignore[arg-type]
    data = c.get(f"/claim/{cid}.json").json()
    assert data["claim"]["quote"].startswith("Huawei supplied")
    assert data["source"]["url"] == "https://example.org/kenya"
    assert data["history"] == []
    assert "Not reviewed yet" in c.get(f"/claim/{cid}").text


def test_search_finds_documents_and_quotes(seeded: tuple[object, dict[str, object]]) -> None:
    app, ids = seeded
    c = client(app)  # type: ignore[arg-type]
    data = c.get("/search.json", params={"q": "hikvision"}).json()
    assert [d["id"] for d in data["documents"]] == [ids["ecu"]]
    assert [r["supplier"] for r in data["claims"]] == ["Hikvision"]
    both = c.get("/search.json", params={"q": "cameras"}).json()
    assert both["total"] == 3 and len(both["documents"]) == 2
    filtered = c.get("/search.json", params={"q": "cameras", "country": "KEN"}).json()
    assert [r["country"] for r in filtered["claims"]] == ["KEN"]
    by_tech = c.get("/search.json", params={"technology": "safe_city", "supplier_country": "CHN"}).json()
    assert {r["supplier"] for r in by_tech["claims"]} == {"Huawei", "CEIEC"}
    years = c.get("/search.json", params={"year_from": 2012, "year_to": 2014}).json()
    assert [r["year"] for r in years["claims"]] == [2014]
    assert c.get("/search.json", params={"q": "\"unbalanced AND OR NEAR("}).status_code == 200


def test_unknown_things_are_404_in_one_shape(seeded: tuple[object, dict[str, object]]) -> None:
    app, _ = seeded
    c = client(app)  # type: ignore[arg-type]
    for path in ("/claim/cl-nope.json", "/document/doc-nope.json", "/supplier/Nobody.json", "/technology/x.json",
                 "/country/QQQ.json", "/api/claims/cl-nope", "/api/nothing"):
        r = c.get(path)
        assert r.status_code == 404, path
        assert r.json() == {"ok": False, "error": r.json()["error"], "errors": [], "status": 404}
    assert c.get("/claim/cl-nope").headers["content-type"].startswith("text/html")


def test_bad_filters_are_400_with_details(seeded: tuple[object, dict[str, object]]) -> None:
    app, _ = seeded
    c = client(app)  # type: ignore[arg-type]
    r = c.get("/search.json", params={"technology": "lasers", "country": "Kenya", "year_from": "x"})
    assert r.status_code == 400
    body = r.json()
    assert body["ok"] is False and body["status"] == 400 and body["errors"]


def test_cached_pages_follow_writes_from_other_processes(db_path: str) -> None:
    """Pages are cached by data version: a claim written outside the app shows within the poll interval."""
    import time

    from survindex.model import Claim
    from survindex.store import open_store

    ids = seed(db_path)
    app = app_for(db_path)
    c = client(app)
    assert c.get("/country/KEN.json").json()["total_claims"] == 2
    other = open_store(db_path)  # e.g. `survindex extract` running beside the server
    other.put_claims([Claim(doc_id=ids["ken"], kind="deployment", quote="Mombasa", country="KEN", supplier="ZTE",
                            technology="drone", extractor="test", extractor_version="1")])
    other.close()
    time.sleep(app.state.survindex.cache.poll + 0.1)
    assert c.get("/country/KEN.json").json()["total_claims"] == 3
    assert "ZTE" in c.get("/country/KEN").text


def test_anonymous_pages_set_no_cookie(db_path: str) -> None:
    seed(db_path)
    c = client(app_for(db_path))
    for path in ("/", "/country/KEN", "/search?q=cameras", "/index.json"):
        assert "set-cookie" not in c.get(path).headers, path
    assert "set-cookie" in c.get("/login").headers  # the sign-in form carries a CSRF token


@pytest.mark.parametrize("path", ["/country/KEN", "/supplier/Huawei", "/technology/safe_city"])
def test_claim_pages_page_through_all_their_claims(seeded: tuple[object, dict[str, object]], path: str) -> None:
    app, _ = seeded
    c = client(app)  # type: ignore[arg-type]
    total = c.get(path + ".json").json()["total_claims"]
    seen = []
    for offset in range(total):
        html = c.get(f"{path}?offset={offset}&limit=1").text
        seen += c.get(f"{path}.json?offset={offset}&limit=1").json()["claims"]
        assert (f'href="{path}?offset={offset + 1}&amp;limit=1">Next' in html) == (offset + 1 < total)
        assert (f'href="{path}?offset={max(offset - 1, 0)}&amp;limit=1">Previous' in html) == (offset > 0)
    assert len({cl["id"] for cl in seen}) == total
