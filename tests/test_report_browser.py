"""The built report in headless Chromium (Debian chromium via Playwright), served over real HTTP on 127.0.0.1."""

from __future__ import annotations

import functools
import http.server
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from survindex.cli import cli
from survindex.report.atlas import atlas_path
from survindex.store import open_store
from tests import test_report_fixtures as report_fixtures
from tests.helpers import http_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("report")
    db = str(tmp / "survindex.db")
    store = open_store(db)
    report_fixtures.fill(store)
    store.close()
    r = CliRunner().invoke(cli, ["build", "--db", db, "--out", str(tmp / "site"), "--quiet", "--status", "all"])
    assert r.exit_code == 0, r.output
    return tmp / "site"


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    with http_server(handler) as base:
        yield base


def _open(browser: Any, url: str) -> tuple[Any, list[str]]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("requestfailed", lambda r: problems.append(f"failed {r.url}"))
    page.on("request", lambda r: problems.append(f"external {r.url}")
            if not r.url.startswith(("http://127.0.0.1", "file://", "data:")) else None)
    page.goto(url)
    page.wait_for_load_state("load")
    return page, problems


def test_map_has_one_shape_per_country_and_colours_the_index(browser: Any, server: str, site: Path,
                                                              artifacts: Path) -> None:
    page, problems = _open(browser, f"{server}/index.html")
    page.screenshot(path=str(artifacts / "report-index.png"), full_page=True)
    geometries = json.loads(atlas_path("50m").read_text())["objects"]["countries"]["geometries"]
    assert page.locator("svg.world-map path[data-iso3]").count() == len(geometries)
    coloured = set(page.eval_on_selector_all(
        "svg.world-map path[data-iso3]", "els => els.filter(e => +e.dataset.value > 0).map(e => e.dataset.iso3)"))
    index = json.loads((site / "data" / "index.json").read_text())
    on_map = {s for s in page.eval_on_selector_all("svg.world-map path[data-iso3]",
                                                   "els => els.map(e => e.dataset.iso3)") if s}
    assert coloured == set(index["evidence"]["countries"]) & on_map  # countries with a deployment
    assert coloured == {"KEN", "PAK", "SGP", "BRA", "ECU", "DEU"}
    assert "LAO" in index["countries_detail"]  # financing only: a page, but not coloured
    assert page.evaluate("document.body.dataset.js") == "ready"  # the external script ran under the CSP
    assert page.evaluate("getComputedStyle(document.querySelector('main')).maxWidth") == "1100px"
    assert problems == []


def test_country_page_lists_claims_with_quotes(browser: Any, server: str, artifacts: Path) -> None:
    page, problems = _open(browser, f"{server}/countries/PAK.html")
    page.screenshot(path=str(artifacts / "report-country-PAK.png"), full_page=True)
    quotes = page.locator("li.claim blockquote.quote").all_inner_texts()
    assert "Pakistan's Safe City Islamabad used Huawei" in quotes
    assert "Hikvision cameras with facial recognition followed" in quotes
    assert page.locator("li.claim .source a[href='https://example.org/report']").count() == 2
    page.locator("svg.locator path[data-iso3='PAK']").wait_for()
    assert problems == []


def test_unreviewed_claims_are_marked_and_small_countries_clickable(browser: Any, server: str) -> None:
    page, _ = _open(browser, f"{server}/countries/DEU.html")
    assert page.locator("li.claim.status-unreviewed .badge.unreviewed").count() == 1
    assert page.locator("p.banner").count() == 1
    page, _ = _open(browser, f"{server}/index.html")
    page.locator("svg.world-map a:has(path[data-iso3='KEN'])").click()
    page.wait_for_url("**/countries/KEN.html")
    assert page.locator("h1").inner_text().startswith("Kenya")


def test_works_offline_from_files(browser: Any, site: Path) -> None:
    page, problems = _open(browser, (site / "countries.html").as_uri())
    assert page.evaluate("document.body.dataset.js") == "ready"
    page.fill("input.filter", "keny")
    assert page.locator("#countries-table tbody tr:not(.hidden)").count() == 1
    assert problems == []
