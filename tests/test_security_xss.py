"""Injected markup in documents, titles, urls, quotes and supplier names is never reflected raw:
every HTML page escapes it, links are only http(s), and JSON bodies carry it as escaped data."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

import pytest

from survindex.model import Claim, Document
from survindex.store import open_store
from tests.test_web_support import app_for, client, login, seed

SCRIPT = "<script>alert(1)</script>"
ATTR = '"onerror=alert(1)'
JS_URL = "javascript:alert(1)"
RAW = (SCRIPT, ATTR, "<img src=x onerror=alert(1)>")


@pytest.fixture
def poisoned(any_db: str) -> tuple[Any, dict[str, Any]]:
    seed(any_db)
    store = open_store(any_db)
    text = f"Intro {SCRIPT} then {ATTR} and <img src=x onerror=alert(1)> from {JS_URL} supplied cameras."
    doc = Document.from_text(text, title=f"Title {SCRIPT}{ATTR}", url=JS_URL, publisher=SCRIPT)
    start = text.index(SCRIPT)
    claim = Claim(doc_id=doc.id, kind="deployment", quote=text[start:], start=start, end=len(text),
                  country="KEN", supplier=f"Evil {SCRIPT}{ATTR}", supplier_country="CHN",
                  technology="drone", extractor="test", extractor_version="1", status="accepted")
    store.put_document(doc)
    store.put_claims([claim])
    store.close()
    return app_for(any_db), {"doc": doc.id, "claim": claim.id, "supplier": claim.supplier}


def _pages(ids: dict[str, Any]) -> list[str]:
    sup = quote(ids["supplier"], safe="")
    q = quote(SCRIPT + ATTR, safe="")
    return ["/", "/country/KEN", f"/supplier/{sup}", "/technology/drone", f"/document/{ids['doc']}",
            f"/claim/{ids['claim']}", f"/search?q={q}", f"/search?q=Evil&supplier={sup}", "/corrections",
            "/review", f"/country/{q}", f"/claim/{q}"]


def _assert_clean_html(path: str, html: str) -> None:
    for payload in RAW:
        assert payload not in html, (path, payload)
    assert not re.search(r"href\s*=\s*[\"']?\s*javascript:", html, re.I), path
    assert not re.search(r"<[a-z]+[^>]*\sonerror\s*=", html, re.I), path


def test_no_page_reflects_payloads_raw(poisoned: tuple[Any, dict[str, Any]]) -> None:
    app, ids = poisoned
    editor, csrf = login(app, "eddie")
    # a correction storing the payload as a reason and a supplier, so the history and log carry it too
    r = editor.post(f"/claim/{ids['claim']}/review", data={"csrf": csrf, "version": "1", "action": "correct",
                                                           "supplier": SCRIPT, "reason": ATTR + SCRIPT})
    assert r.status_code == 303
    ids["supplier"] = SCRIPT
    seen_escaped = False
    for path in _pages(ids):
        r = editor.get(path)
        assert r.status_code in (200, 400, 404), path
        _assert_clean_html(path, r.text)
        seen_escaped |= "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    assert seen_escaped  # the payloads are shown, as text


def test_javascript_urls_are_not_links(poisoned: tuple[Any, dict[str, Any]]) -> None:
    app, ids = poisoned
    html = client(app).get(f"/document/{ids['doc']}").text
    assert '<span class="url">javascript:alert(1)</span>' in html
    assert "href=\"javascript" not in html.lower()
    claim = client(app).get(f"/claim/{ids['claim']}").text
    assert ">original</a>" not in claim


def test_json_views_carry_payloads_as_escaped_data(poisoned: tuple[Any, dict[str, Any]]) -> None:
    app, ids = poisoned
    c = client(app)
    sup = quote(ids["supplier"], safe="")
    for path in ("/index.json", "/country/KEN.json", f"/supplier/{sup}.json", f"/document/{ids['doc']}.json",
                 f"/claim/{ids['claim']}.json", "/api/claims?country=KEN", f"/api/documents/{ids['doc']}",
                 f"/api/search?q={quote(SCRIPT)}", "/api/suppliers", f"/api/claims/{quote(SCRIPT, safe='')}"):
        r = c.get(path)
        assert r.headers["content-type"].startswith("application/json"), path
        assert r.headers["x-content-type-options"] == "nosniff"
        for payload in (SCRIPT, "<img src=x onerror=alert(1)>", "<", ">"):
            assert payload not in r.text, (path, payload)
        assert not re.search(r'(?<!\\)"onerror', r.text), path  # the quote only ever appears JSON-escaped
        json.loads(r.text)
    doc = c.get(f"/document/{ids['doc']}.json").json()["document"]
    assert doc["title"] == f"Title {SCRIPT}{ATTR}" and doc["url"] == JS_URL  # data kept exactly
