"""Targeted surveillance on the static site and in the web app: the targeted page with published figures and the
layered map (mass / targeted / both), country, vendor and technology pages with each claim's sources."""

from __future__ import annotations

import functools
import http.server
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from survindex.cli import cli
from survindex.report.layers import Layer, layered_svg
from survindex.web.app import create_app
from tests.helpers import http_server, survindex_serve

FIXTURES = Path(__file__).parent / "fixtures" / "import"
MASS = ["import", "table", str(FIXTURES / "truncated_table.csv"), "--country-column", "Country", "--column",
        "Facial recognition=facial_recognition", "--suppliers-column", "Key companies", "--year", "2019"]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Kenya: both; Mexico and Pakistan: targeted only; United Kingdom, Czechia, UAE: mass only."""
    path = str(tmp_path_factory.mktemp("targeted") / "t.db")
    for args in (MASS, ["import", "spyware-inventory", str(FIXTURES / "spyware-inventory.csv")]):
        r = CliRunner().invoke(cli, [*args, "--db", path])
        assert r.exit_code == 0, r.output
    return path


@pytest.fixture(scope="module")
def site(db: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    r = CliRunner().invoke(cli, ["build", "--db", db, "--out", str(out), "--quiet"])
    assert r.exit_code == 0, r.output
    return out


def test_index_joins_mass_and_targeted(db: str) -> None:
    stats = json.loads(CliRunner().invoke(cli, ["stats", "--json", "--db", db]).stdout)
    joined = stats["targeted"]["joined"]
    assert stats["countries"] == 4 and stats["targeted"]["governments"] == 3
    assert (joined["both"], joined["mass_only"], joined["targeted_only"], joined["both_countries"]) == (1, 3, 2, ["KEN"])
    blocs = joined["supplier_blocs"]
    assert (blocs["china"]["mass"], blocs["israel"]["targeted"], blocs["europe"]["targeted"]) == (3, 2, 1)
    assert blocs["china"]["both"] == 0 and blocs["israel"]["mass"] == 0


def test_static_targeted_page_and_map_layers(site: Path) -> None:
    html = (site / "targeted.html").read_text("utf-8")
    assert re.search(r'id="fig-governments">3<', html) and 'id="fig-both">1<' in html
    assert 'class="layer-toggle"' in html and "hidden" in html  # shown by site.js only
    ken = re.search(r'<path d="[^"]+" data-iso3="KEN"([^>]+)>', html)
    assert ken and 'data-fill-both="#6b3a8c"' in ken.group(1) and 'data-value-targeted="1"' in ken.group(1)
    assert 'href="countries/MEX.html"' in html and "<script" not in html.split("</head>")[1]
    assert "Targeted" in (site / "index.html").read_text("utf-8")


def test_static_country_vendor_and_technology_pages(site: Path) -> None:
    mexico = (site / "countries" / "MEX.html").read_text("utf-8")  # targeted only: it still has its page
    assert "Targeted surveillance" in mexico and "Police use phone extraction tools" in mexico
    assert 'href="https://example.org/mexico"' in mexico
    kenya = (site / "countries" / "KEN.html").read_text("utf-8")
    assert "archived 2022-01-01" in kenya and "NSO Group" in kenya and "Huawei" in kenya
    assert list((site / "suppliers").glob("nso-group.html")) and (site / "technologies" / "spyware.html").is_file()
    assert "countries/KEN.html" in (site / "suppliers" / "nso-group.html").read_text("utf-8")


def test_layered_svg_fills_each_layer() -> None:
    svg = layered_svg([Layer("a", "A", {"KEN": 2, "FRA": 1}), Layer("b", "B", {"FRA": 1}, kind="targeted")])
    paths = dict(re.findall(r'data-iso3="([A-Z]{3})"[^>]*?data-fill-b="([^"]+)"', svg))
    assert paths["FRA"] != paths["KEN"] == "#e4e4e0"
    assert svg.count('class="legend" data-layer=') == 2 and 'data-layer="b" display="none"' in svg


def test_web_targeted_pages(db: str) -> None:
    with TestClient(create_app(db, secret="t")) as client:
        page = client.get("/targeted.json").json()
        assert page["targeted"]["governments"] == 3 and page["countries"]["KEN"]["layer"] == "both"
        assert 'data-fill-both' in client.get("/targeted").text
        mex = client.get("/country/MEX.json").json()["targeted"]
        assert mex["vendors"] == ["Cellebrite"] and mex["claims"][0]["citations"] == [{"url": "https://example.org/mexico"}]
        html = client.get("/country/KEN").text
        assert "Targeted surveillance" in html and "archived 2022-01-01" in html
        tech = client.get("/technology/spyware.json").json()["targeted"]
        assert tech["governments"] == 2 and tech["by_vendor"] == {"FinFisher": 1, "NSO Group": 1}
        assert client.get("/technology/safe_city.json").json()["targeted"] is None
        vendor = client.get("/supplier/NSO Group.json").json()["targeted"]
        assert vendor["governments"] == 1 and vendor["countries"] == [{"iso3": "KEN", "name": "Kenya"}]
        claim = vendor["claims"][0]["id"]
        assert "citizenlab.ca" in client.get(f"/claim/{claim}").text


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    with http_server(handler) as base:
        yield base


@pytest.mark.browser
def test_map_layer_toggle_works_offline(browser: Any, server: str) -> None:
    page = browser.new_page()
    external: list[str] = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith("http://127.0.0.1") else None)
    page.goto(f"{server}/targeted.html")
    kenya = page.locator('#layered-map path[data-iso3="KEN"]')
    assert page.locator("fieldset.layer-toggle").is_visible()
    assert kenya.get_attribute("fill") == kenya.get_attribute("data-fill-mass")
    page.check('input[value="both"]')
    assert kenya.get_attribute("fill") == "#6b3a8c"
    assert page.locator('g.legend[data-layer="both"]').get_attribute("display") == "inline"
    page.check('input[value="targeted"]')
    assert kenya.get_attribute("fill") == kenya.get_attribute("data-fill-targeted")
    assert external == []
    page.close()


@pytest.mark.browser
def test_web_map_layer_toggle(browser: Any, db: str) -> None:
    """``survindex serve``: /targeted switches its map layers with the report's site.js, under the app's CSP."""
    with survindex_serve(db, "targeted-secret") as base:
        page = browser.new_page()
        errors: list[str] = []
        page.on("response", lambda r: errors.append(r.url) if r.status >= 400 and "/static/" in r.url else None)
        page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(f"{base}/targeted")
        kenya = page.locator('#layered-map path[data-iso3="KEN"]')
        page.check('input[value="both"]')
        assert kenya.get_attribute("fill") == "#6b3a8c" and errors == []
        page.close()
