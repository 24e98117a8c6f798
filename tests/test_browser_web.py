"""The web app in Debian chromium (Playwright): the map renders and opens a country; an editor created with
the CLI signs in, accepts a claim, and the country page and its JSON twin show it. Screenshots of every page
go to the artifacts directory."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from survindex.cli import cli
from survindex.store import open_store
from tests.helpers import CHROMIUM, survindex_serve
from tests.test_web_support import seed

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path: Path) -> Iterator[dict[str, Any]]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    db = str(tmp_path / "demo.db")
    from survindex.demo import load_examples

    store = open_store(db)
    load_examples(store)
    store.close()
    ids = seed(db)
    result = CliRunner().invoke(cli, ["users", "add", "reviewer", "--role", "editor", "--password-stdin", "--db", db],
                                input="browser test password\n")
    assert result.exit_code == 0, result.output
    with survindex_serve(db) as base:
        yield {"base": base, **ids}


def _json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=5) as r:
        return json.loads(r.read())


def test_map_click_and_editor_review(server: dict[str, Any], browser: Any, artifacts: Path) -> None:
    base = server["base"]
    errors: list[str] = []
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(base + "/")
    shapes = page.locator("#map svg path[data-iso3]")
    assert shapes.count() > 100
    page.screenshot(path=str(artifacts / "web-home.png"), full_page=True)
    before = _json(base + "/country/KEN.json")["by_status"].get("accepted", 0)
    page.locator('#map svg path[data-iso3="USA"]').click()
    page.wait_for_url(base + "/country/USA")
    assert "United States" in page.locator("h1").inner_text()
    page.screenshot(path=str(artifacts / "web-country.png"), full_page=True)

    page.goto(base + "/search?q=Hikvision")
    assert page.locator("table.claims tbody tr[data-claim]").count() >= 1
    page.screenshot(path=str(artifacts / "web-search.png"), full_page=True)

    page.goto(base + "/login")
    page.screenshot(path=str(artifacts / "web-login.png"), full_page=True)
    page.fill("input[name=username]", "reviewer")
    page.fill("input[name=password]", "browser test password")
    page.click("form.login button[type=submit]")
    page.wait_for_url(base + "/review")
    page.screenshot(path=str(artifacts / "web-review.png"), full_page=True)
    page.goto(base + "/review/claims")
    cid = server["claims"][0]  # Huawei in Kenya, unreviewed
    page.locator(f'tr[data-claim="{cid}"] button.accept').click()
    page.wait_for_url(base + "/review/claims")
    assert page.locator(f'tr[data-claim="{cid}"]').count() == 0

    page.goto(base + "/country/KEN")
    assert page.locator('[data-figure="accepted"]').inner_text() == str(before + 1)
    page.screenshot(path=str(artifacts / "web-country-after-review.png"), full_page=True)
    twin = _json(base + "/country/KEN.json")
    assert twin["by_status"]["accepted"] == before + 1
    assert {"value": "Huawei", "claims": twin["accepted"]["supplier"][0]["claims"]} in twin["accepted"]["supplier"]

    for name, path in (("claim", f"/claim/{cid}"), ("document", f"/document/{server['ken']}"),
                       ("supplier", "/supplier/Huawei"), ("technology", "/technology/safe_city"),
                       ("corrections", "/corrections")):
        page.goto(base + path)
        assert page.locator("h1").count() == 1
        page.screenshot(path=str(artifacts / f"web-{name}.png"), full_page=True)
    assert "eddie" not in page.content() and "reviewer" in page.content()
    assert not [e for e in errors if "Content Security Policy" in e], errors
