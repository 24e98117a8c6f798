"""Case pages of the static report: one page per case with a published claim, listed on the country, supplier and
technology pages; every claim link resolves to the claim's entry; unreviewed claims stay off an accepted build."""

from __future__ import annotations

import re
from pathlib import Path

from survindex.report.site import build_site
from survindex.store import open_store
from tests.test_cases import _case_of, _doc_claims


def test_case_pages_show_published_claims_and_link_everywhere(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "s.db"))
    a = _doc_claims(store, "Huawei built Kenya's safe city in Nairobi.", "Reuters", country="KEN",
                    technology="safe_city", supplier="Huawei", supplier_country="CHN", stage="installed")
    b = _doc_claims(store, "Kenya's police watch Huawei cameras in Nairobi.", "BBC", country="KEN",
                    technology="video_surveillance", supplier="Huawei", supplier_country="CHN", stage="operational")
    hidden = _doc_claims(store, "Rumour: Kenya's Huawei cameras recognise faces.", "Blog", country="KEN",
                         technology="video_surveillance", supplier="Huawei", supplier_country="CHN")
    for claim in (a, b):
        store.update_claim(claim.id, {"status": "accepted"}, "alice", 1)
    store.refresh_cases()
    case_id = _case_of(store, a.id)
    assert _case_of(store, hidden.id) == case_id
    out = tmp_path / "site"
    build_site(store, out, progress=False)
    page = (out / "case" / "KEN.html").read_text("utf-8")
    assert f'id="{case_id}"' in page
    assert "Reuters" in page and "BBC" in page and hidden.id not in page and "Rumour" not in page
    assert "installed" in page and "operational" in page and 'class="locator"' in page
    for name in ("countries/KEN.html", "suppliers/huawei.html", "technologies/safe_city.html", "cases.html"):
        assert f"case/KEN.html#{case_id}" in (out / name).read_text("utf-8"), name
    country = (out / "countries" / "KEN.html").read_text("utf-8")
    for href in re.findall(r'href="\.\./countries/KEN\.html#([^"]+)"', page):
        assert f'id="{href}"' in country
    assert re.findall(r'href="\.\./countries/KEN\.html#', page)
    import csv
    import json

    rows = list(csv.DictReader((out / "data" / "cases.csv").open(encoding="utf-8")))
    assert [r["id"] for r in rows] == [case_id] and hidden.id not in rows[0]["claim_ids"]
    package = json.loads((out / "data" / "datapackage.json").read_text("utf-8"))
    assert "cases-csv" in {r["name"] for r in package["resources"]}
    assert "data/cases.csv" in (out / "downloads.html").read_text("utf-8")


def test_worker_processes_write_the_same_case_pages_and_rows(tmp_path: Path) -> None:
    """Country pages and their cases are written by worker processes on a large build: same pages, same rows."""
    import csv

    store = open_store(str(tmp_path / "s.db"))
    for n, (country, supplier) in enumerate([("KEN", "Huawei"), ("PAK", "Huawei"), ("ECU", "ZTE"), ("KEN", "NEC")]):
        claim = _doc_claims(store, f"{supplier} built a safe city in {country} ({n}).", f"Paper {n}", country=country,
                            technology="safe_city", supplier=supplier, supplier_country="CHN", stage="installed")
        store.update_claim(claim.id, {"status": "accepted"}, "alice", 1)
    store.refresh_cases()
    built = {}
    for workers in (0, 2):
        out = tmp_path / f"site{workers}"
        build_site(store, out, progress=False, workers=workers)
        built[workers] = out
    one, two = built[0], built[2]
    pages = sorted(str(p.relative_to(one)) for p in one.rglob("*.html"))
    assert pages == sorted(str(p.relative_to(two)) for p in two.rglob("*.html"))
    assert sorted(p.name for p in (one / "case").glob("*.html")) == ["ECU.html", "KEN.html", "PAK.html"]
    strip = re.compile(r"Built [^<]*UTC")
    for rel in pages:
        assert strip.sub("", (one / rel).read_text("utf-8")) == strip.sub("", (two / rel).read_text("utf-8")), rel
    rows = [sorted(csv.DictReader((out / "data" / "cases.csv").open(encoding="utf-8")), key=lambda r: r["id"])
            for out in (one, two)]
    assert rows[0] == rows[1] and len(rows[0]) == 4
    assert not list((two / "data").glob(".cases-*"))
