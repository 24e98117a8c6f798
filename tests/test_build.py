"""``survindex build`` on a real SQLite file: pages, escaping, downloads that parse back, the data package."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from survindex.cli import cli
from survindex.export import CLAIM_SCHEMA, COUNTRY_SCHEMA, FORMATS
from survindex.store import open_store
from survindex.report.cases import case_schema
from tests import test_report_fixtures as report_fixtures


@pytest.fixture
def filled_db(db_path: str) -> str:
    store = open_store(db_path)
    report_fixtures.fill(store)
    store.close()
    return db_path


def build(db: str, out: Path, *args: str) -> str:
    r = CliRunner().invoke(cli, ["build", "--db", db, "--out", str(out), "--quiet", *args])
    assert r.exit_code == 0, r.output
    return r.output


def test_build_writes_pages_and_says_where(filled_db: str, tmp_path: Path) -> None:
    out = tmp_path / "site"
    output = build(filled_db, out)
    assert f"Report written: {(out / 'index.html').resolve()}" in output
    home = (out / "index.html").read_text()
    assert "Huawei supplies 2 countries." in home  # generated headline
    assert re.search(r'data-iso3="KEN" data-value="1"', home)
    assert "<script>alert" not in home
    for rel in ("countries/KEN.html", "countries/PAK.html", "countries/SGP.html", "countries/ECU.html",
                "suppliers/huawei.html", "suppliers/acme-vision.html", "technologies/safe_city.html",
                "sources.html", "downloads.html", "countries.html", "suppliers.html", "technologies.html",
                "static/style.css", "static/site.js", "static/world.svg"):
        assert (out / rel).is_file(), rel
    assert (out / "countries" / "LAO.html").is_file()  # financing only
    assert 'data-iso3="LAO" data-value="0"' in home
    assert not (out / "countries" / "DEU.html").exists()  # unreviewed: not in an accepted-only build
    assert not (out / "countries" / "FRA.html").exists()  # rejected: never


def test_country_page_lists_claims_with_quotes_escaped(filled_db: str, tmp_path: Path) -> None:
    build(filled_db, tmp_path)
    page = (tmp_path / "countries" / "KEN.html").read_text()
    assert "Nairobi&#39;s Safe City project was supplied by Huawei in 2014." in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "Test report &lt;b&gt;on&lt;/b&gt; safe cities" in page
    assert 'href="https://example.org/report"' in page
    assert "<script" not in re.sub(r'<script src="[^"]+" defer></script>', "", page)  # no inline script


def test_status_all_marks_unreviewed_and_min_confidence_filters(filled_db: str, tmp_path: Path) -> None:
    build(filled_db, tmp_path / "a", "--status", "all")
    page = (tmp_path / "a" / "countries" / "DEU.html").read_text()
    assert 'data-status="unreviewed"' in page and "badge unreviewed" in page
    build(filled_db, tmp_path / "b", "--status", "all", "--min-confidence", "0.7")
    assert not (tmp_path / "b" / "countries" / "DEU.html").exists()


def test_as_of_leaves_out_later_claims(filled_db: str, tmp_path: Path) -> None:
    build(filled_db, tmp_path, "--as-of", "2015")
    index = json.loads((tmp_path / "data" / "index.json").read_text())
    assert sorted(index["countries_detail"]) == ["ECU", "KEN"]


def test_every_download_parses_back(filled_db: str, tmp_path: Path) -> None:
    build(filled_db, tmp_path)
    data = tmp_path / "data"
    index = json.loads((data / "index.json").read_text())
    package = json.loads((data / "datapackage.json").read_text())
    assert len(package["resources"]) == 3 * len(FORMATS)  # countries, claims, cases
    claim_ids = {r["id"] for r in FORMATS["csv"].read(data / "claims.csv", CLAIM_SCHEMA)}
    for res in package["resources"]:
        schema = {"countries": COUNTRY_SCHEMA, "claims": CLAIM_SCHEMA, "cases": case_schema()}[res["name"].split("-")[0]]
        rows = FORMATS[res["format"]].read(data / res["path"], schema)
        assert [f["name"] for f in res["schema"]["fields"]] == list(schema.names)
        if schema.name == "cases":
            assert all(set(r["claim_ids"]) <= claim_ids for r in rows)
        elif schema is COUNTRY_SCHEMA:
            assert sorted(r["iso3"] for r in rows) == sorted(index["countries_detail"])
            pak = next(r for r in rows if r["iso3"] == "PAK")
            assert pak["tech_safe_city"] and pak["tech_facial_recognition"] and not pak["tech_drone"]
            assert pak["suppliers"] == ["Hikvision", "Huawei"]
            ecu = next(r for r in rows if r["iso3"] == "ECU")
            assert ecu["financing_projects"] == 1 and ecu["financing_amount_usd"] == 240e6
        else:
            assert len(rows) == 9  # accepted claims only
            assert {r["doc_url"] for r in rows} == {"https://example.org/report"}
    geo = json.loads((data / "countries.geojson").read_text())
    assert all(f["geometry"]["type"] == "Point" for f in geo["features"])


def test_build_on_empty_db_still_works(db_path: str, tmp_path: Path) -> None:
    build(db_path, tmp_path)
    assert "0 countries" in (tmp_path / "index.html").read_text() or \
        'id="fig-countries">0<' in (tmp_path / "index.html").read_text()


def test_data_package_validates_with_frictionless(filled_db: str, tmp_path: Path) -> None:
    frictionless = pytest.importorskip("frictionless", reason="frictionless is a test dependency (pip install -e .[test])")
    build(filled_db, tmp_path)
    data = tmp_path / "data"
    package = json.loads((data / "datapackage.json").read_text())
    # frictionless reads Parquet through pandas, which survindex does not need: check those with pyarrow above
    package["resources"] = [r for r in package["resources"] if r["format"] != "parquet"]
    (data / "dp-checked.json").write_text(json.dumps(package))
    report = frictionless.validate(str(data / "dp-checked.json"))
    assert report.valid, report.flatten(["title", "message"])
    assert len(report.tasks) == 12  # countries, claims, cases x CSV, JSON, GeoJSON, XLSX


def test_build_is_deterministic(filled_db: str, tmp_path: Path) -> None:
    build(filled_db, tmp_path / "a")
    build(filled_db, tmp_path / "b")
    for rel in ("data/index.json", "data/countries.csv", "data/claims.csv", "data/claims.geojson",
                "countries/PAK.html", "static/world.svg"):
        a, b = (tmp_path / "a" / rel).read_text(), (tmp_path / "b" / rel).read_text()
        assert re.sub(r"Built [^b]+by", "", a) == re.sub(r"Built [^b]+by", "", b), rel


def test_missing_map_data_is_a_clear_error(filled_db: str, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from survindex.report import atlas, map as map_

    def clear() -> None:
        for f in (atlas.shapes, atlas.centroids, map_.projected):
            f.cache_clear()

    clear()
    monkeypatch.setattr(atlas, "VENDOR", tmp_path / "no-vendor")
    try:
        r = CliRunner().invoke(cli, ["build", "--db", filled_db, "--out", str(tmp_path / "s"), "--quiet"])
    finally:
        monkeypatch.undo()
        clear()
    assert r.exit_code == 1
    assert "Error: map data:" in r.output and "Run `make assets`" in r.output
