"""A scripted reviewer in Debian chromium: the development news articles (``../shared/gold/news-dev-*.jsonl``) are
ingested and extracted into a fresh store, then an editor reviews the case queue with the keyboard only (a accept,
r + reason + Enter reject, u undo), deciding each case from the gold facts of its articles. Measured and printed:
review items (cases in the queue) per gold fact, keyboard actions and page loads per fact. Checked: each action
keeps the page (no reload, focus on the next case), undo restores a case, the published figures change."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from survindex.cli import cli
from survindex.store import open_store
from tests.conftest import SHARED
from tests.helpers import CHROMIUM, survindex_serve

pytestmark = pytest.mark.browser
GOLD = sorted((SHARED / "gold").glob("news-dev-*.jsonl"))
PASSWORD = "browser test password"


def _gold_docs() -> list[dict[str, Any]]:
    return [json.loads(line) for path in GOLD for line in path.read_text("utf-8").splitlines() if line.strip()]


def _write_inputs(tmp: Path, gold: list[dict[str, Any]]) -> Path:
    out = tmp / "docs.jsonl"
    with out.open("w", encoding="utf-8") as f:
        for g in gold:
            meta = g.get("meta") or {}
            doc = {"id": g["id"], "text": g["text"], **{k: meta[k] for k in ("title", "url", "published", "publisher")
                                                        if meta.get(k)}}
            f.write(json.dumps(doc) + "\n")
    return out


@pytest.fixture
def news_server(tmp_path: Path) -> Iterator[dict[str, Any]]:
    if not GOLD:
        pytest.skip(f"the news-dev gold sets are absent ({SHARED / 'gold'}): they come with ../shared")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    gold = _gold_docs()
    db = str(tmp_path / "news.db")
    runner = CliRunner()
    for args in (["ingest", str(_write_inputs(tmp_path, gold)), "--db", db, "--no-progress"], ["extract", "--db", db],
                 ["users", "add", "reviewer", "--role", "editor", "--password-stdin", "--db", db]):
        result = runner.invoke(cli, args, input=PASSWORD + "\n")
        assert result.exit_code == 0, result.output
    with survindex_serve(db) as base:
        yield {"base": base, "db": db, "gold": gold}


def _facts_by_doc(db: str, gold: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Each stored document's gold facts (documents are matched to gold lines by their text)."""
    by_text = {" ".join(g["text"].split())[:300]: g["gold"].get("facts") or [] for g in gold}
    store = open_store(db)
    out: dict[str, list[dict[str, Any]]] = {}
    for doc_id in {c.doc_id for c in store.claims()}:
        out[doc_id] = by_text.get(" ".join(store.get_document(doc_id).text.split())[:300], [])
    store.close()
    return out


def _true(case: dict[str, Any], facts: dict[str, list[dict[str, Any]]]) -> bool:
    """The scripted reviewer's judgement: a gold fact of one of the case's articles has its country and one of its
    technologies."""
    techs = set(case["technologies"] or [case["technology"]])
    docs = {c["doc_id"] for c in case["claim_rows"]}
    return any(f["country"] == case["country"] and techs & set(f["technologies"]) for d in docs for f in facts.get(d, []))


def _login(page: Any, base: str) -> None:
    page.goto(base + "/login")
    page.fill("input[name=username]", "reviewer")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.login button[type=submit]")
    page.wait_for_url(base + "/review")


def _review_page(page: Any, facts: dict[str, list[dict[str, Any]]], tally: dict[str, int]) -> int:
    """Review every case on the loaded queue page with the keyboard; returns how many were reviewed."""
    data = page.request.get(page.url.replace("/review", "/review.json", 1)).json()
    page.evaluate("window.__same_page = true")
    order = [a.get_attribute("id") for a in page.locator("article.case").all()]
    assert order == [c["id"] for c in data["cases"]]
    for i, case in enumerate(data["cases"]):
        assert page.evaluate("document.activeElement.id") == case["id"], "focus is not on the case to review"
        if _true(case, facts):
            page.keyboard.press("a")
            tally["accepted"] += 1
        else:
            page.keyboard.press("r")
            page.keyboard.type("not a fact of the article")
            page.keyboard.press("Enter")
            tally["rejected"] += 1
        tally["actions"] += 1
        status = "accepted" if _true(case, facts) else "rejected"
        try:
            page.wait_for_function("([id, st]) => document.getElementById(id).classList.contains(st)",
                                   arg=[case["id"], status], timeout=10_000)
        except Exception as exc:  # noqa: BLE001 - say what the page said
            raise AssertionError(f"{case['id']} not {status}: {page.locator('#status').inner_text()}") from exc
        if i + 1 < len(data["cases"]):
            page.wait_for_function("id => document.activeElement.id === id", arg=data["cases"][i + 1]["id"])
        assert page.evaluate("window.__same_page === true"), "the page reloaded after an action"
    return len(data["cases"])


def test_keyboard_review_of_the_news_dev_queue(news_server: dict[str, Any], browser: Any, artifacts: Path) -> None:
    base, gold = news_server["base"], news_server["gold"]
    facts = _facts_by_doc(news_server["db"], gold)
    n_facts = sum(1 for g in gold for f in g["gold"].get("facts") or [] if not f.get("optional"))
    n_all = sum(len(g["gold"].get("facts") or []) for g in gold)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _login(page, base)
    total = page.request.get(base + "/review.json").json()["total"]
    before = page.request.get(base + "/api/stats").json()["figures"]
    tally = {"accepted": 0, "rejected": 0, "actions": 0, "loads": 1}
    page.screenshot(path=str(artifacts / "web-review-cases.png"), full_page=False)
    while True:
        if _review_page(page, facts, tally) == 0:
            break
        page.goto(base + "/review?limit=50")
        tally["loads"] += 1
    assert tally["accepted"] + tally["rejected"] == total
    after = page.request.get(base + "/api/stats").json()["figures"]
    assert tally["accepted"] == 0 or after["accepted_claims"] > before["accepted_claims"]

    # undo: the last decision of a fresh page comes back
    page.goto(base + "/review?status=all&limit=5")
    first = page.locator("article.case").first.get_attribute("id")
    page.evaluate("window.__same_page = true")
    was = page.request.get(base + f"/case/{first}.json").json()["case"]["status"]
    page.keyboard.press("r")
    page.keyboard.type("undo check")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('status').textContent.startsWith('Rejected')")
    page.keyboard.press("u")
    page.wait_for_function("() => document.getElementById('status').textContent === 'Undone'")
    assert page.request.get(base + f"/case/{first}.json").json()["case"]["status"] == was
    assert page.evaluate("window.__same_page === true")
    page.keyboard.press("?")
    assert page.locator("#help").is_visible()

    page.set_viewport_size({"width": 390, "height": 844})  # a phone: one column, nothing wider than the screen
    page.goto(base + "/review?status=all&limit=5")
    page.screenshot(path=str(artifacts / "web-review-cases-phone.png"), full_page=False)
    assert page.evaluate("document.documentElement.scrollWidth") <= 392
    page.goto(base + "/cases?status=all")
    assert page.evaluate("document.documentElement.scrollWidth") <= 392
    page.keyboard.press("Tab")  # the first stop of every page: the skip link
    assert page.evaluate("document.activeElement.className") == "skip"

    print(f"\nnews-dev: {len(gold)} articles, {n_facts} gold facts ({n_all} with optional ones); "
          f"{total} cases in the queue = {total / n_facts:.2f} review items per fact ({total / n_all:.2f} counting "
          f"optional facts); keyboard decisions {tally['actions']} ({tally['accepted']} accepted, "
          f"{tally['rejected']} rejected) = {tally['actions'] / n_facts:.2f} per fact; page loads {tally['loads']}")
    assert not [e for e in errors if "Content Security Policy" in e], errors
