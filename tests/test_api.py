"""The JSON API: filtered lists with next links, CSV export, records, stats, OpenAPI; SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survindex.model import Claim
from survindex.store import open_store
from survindex.store import search as ss
from tests.test_web_support import app_for, client, seed


@pytest.fixture
def many(any_db: str) -> tuple[Any, dict[str, Any]]:
    """The seed set plus 120 claims on one document, so lists span pages."""
    ids = seed(any_db)
    store = open_store(any_db)
    store.put_claims([Claim(doc_id=ids["ken"], kind="deployment", quote=f"camera batch {i}", country="KEN",
                            supplier="Huawei" if i % 2 else "Hikvision", supplier_country="CHN",
                            technology="video_surveillance", year=2010 + i % 10, location=f"batch={i}", extractor="test",
                            extractor_version="1", confidence=(i % 100) / 100) for i in range(120)])
    store.close()
    return app_for(any_db), ids


def test_claims_pages_follow_next_links_to_the_end(many: tuple[Any, dict[str, Any]]) -> None:
    app, _ = many
    c = client(app)
    url: str | None = "/api/claims?country=KEN&limit=50"
    seen: list[str] = []
    pages = 0
    while url:
        body = c.get(url).json()
        assert body["ok"] is True and body["total"] == 122
        seen += [r["id"] for r in body["rows"]]
        url = body["next"]
        pages += 1
    assert pages == 3 and len(seen) == len(set(seen)) == 122
    assert body["previous"].endswith("offset=50") or "offset=50" in body["previous"]


def test_filters_combine(many: tuple[Any, dict[str, Any]]) -> None:
    app, _ = many
    c = client(app)
    body = c.get("/api/claims", params={"supplier": "Huawei", "year_from": 2014, "year_to": 2016}).json()
    assert body["total"] == 13 and {r["year"] for r in body["rows"]} == {2014, 2015}
    assert body["filters"] == {"supplier": "Huawei", "year_from": 2014, "year_to": 2016}
    assert c.get("/api/claims", params={"q": "batch 7"}).json()["total"] >= 1
    assert c.get("/api/claims", params={"status": "accepted"}).json()["total"] == 0
    assert c.get("/api/claims", params={"aigs_category": "safe_city"}).json()["total"] == 2
    assert c.get("/api/claims", params={"stage": "operational", "country": "ECU"}).json()["total"] == 1


def test_csv_export_has_every_filtered_row(many: tuple[Any, dict[str, Any]]) -> None:
    app, _ = many
    r = client(app).get("/api/claims.csv", params={"country": "KEN", "supplier": "Hikvision"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 60 and {row["supplier"] for row in rows} == {"Hikvision"}
    assert rows[0].keys() >= {"id", "country", "supplier", "technology", "quote", "status"}


def test_records_stats_and_lists(many: tuple[Any, dict[str, Any]]) -> None:
    app, ids = many
    c = client(app)
    assert c.get(f"/api/claims/{ids['claims'][0]}").json()["claim"]["supplier"] == "Huawei"
    docs = c.get("/api/documents").json()
    assert docs["total"] == 2 and {d["id"] for d in docs["rows"]} == {ids["ken"], ids["ecu"]}
    assert len(c.get(f"/api/documents/{ids['ken']}").json()["claims"]) == 122
    countries = {r["iso3"]: r for r in c.get("/api/countries").json()["rows"]}
    assert set(countries) == {"KEN", "ECU"} and countries["KEN"]["claims"] == 122
    suppliers = {r["supplier"]: r for r in c.get("/api/suppliers").json()["rows"]}
    assert suppliers["Huawei"]["claims"] == 61 and suppliers["Huawei"]["countries"] == 1
    stats = c.get("/api/stats").json()
    assert stats["by_status"] == {"unreviewed": 124} and stats["figures"]["documents"] == 2
    assert c.get("/api/countries/KEN").json()["total_claims"] == 122
    search = c.get("/api/search", params={"q": "Quito"}).json()
    assert [d["id"] for d in search["documents"]] == [ids["ecu"]]


def test_openapi_describes_the_api(many: tuple[Any, dict[str, Any]]) -> None:
    app, _ = many
    spec = client(app).get("/api/openapi.json").json()
    paths = set(spec["paths"])
    assert {"/api/claims", "/api/claims.csv", "/api/claims/{claim_id}", "/api/claims/{claim_id}/review",
            "/api/documents", "/api/countries", "/api/suppliers", "/api/stats", "/api/search"} <= paths
    params = {p["name"] for p in spec["paths"]["/api/claims"]["get"]["parameters"]}
    assert {"q", "technology", "aigs_category", "supplier", "supplier_country", "financier", "year_from",
            "year_to", "status", "stage", "bri", "limit", "offset"} <= params


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=60))
def test_fts_words_never_break_a_query(q: str) -> None:
    """Any user text becomes a safe full-text query (words only, quoted)."""
    words = ss.fts_words(q)
    assert all(w and all(ch.isalnum() or ch == "_" for ch in w) for w in words)
    match = ss._sqlite_match(q)
    import sqlite3

    con = sqlite3.connect(":memory:")
    con.execute("CREATE VIRTUAL TABLE t USING fts5(a)")
    con.execute("INSERT INTO t VALUES ('camera network')")
    if match:
        con.execute("SELECT count(*) FROM t WHERE t MATCH ?", (match,)).fetchone()


def test_bri_membership_filter(many: tuple[Any, dict[str, Any]]) -> None:
    app, ids = many
    store = app.state.survindex.store
    store.put_claims([Claim(doc_id=ids["ecu"], kind="deployment", quote="Quito", country="USA",
                            supplier="Axon", technology="body_worn_camera", extractor="test", extractor_version="1")])
    c = client(app)
    members = c.get("/api/claims", params={"bri": "true", "limit": 500}).json()
    assert {r["country"] for r in members["rows"]} == {"KEN", "ECU"} and members["total"] == 124
    others = c.get("/api/claims", params={"bri": "false"}).json()
    assert [r["country"] for r in others["rows"]] == ["USA"]
    assert c.get("/search.json", params={"bri": "false", "q": "quito"}).json()["total"] == 1
