"""``survindex import atlas``: EFF's real border-communities file and small fixtures in the current-export and
campus layouts. Real SQLite files, the CLI through CliRunner."""

from __future__ import annotations

import csv
import json
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from survindex.cli import cli
from survindex.ingest.datasets.clean import clean_suppliers
from survindex.ingest.datasets.sources import atlas_technology
from survindex.store import open_store
from survindex.store.core import ClaimFilter

FIXTURES = Path(__file__).parent / "fixtures" / "import"
BORDER = "data/eff-aos-border-campus/aos-bordercounties_-_01.10.2020.csv"


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, ["import", "atlas", *args], catch_exceptions=False)


def test_border_file(shared: Path, db_path: str) -> None:
    path = shared / BORDER
    result = run(str(path), "--json", "--db", db_path)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["kind"] == "border" and report["rows_read"] == 207 and report["rows_rejected"] == 0
    assert report["documents_new"] == 207 and report["unmapped_labels"] == {}
    rows = list(csv.DictReader(path.open(encoding="utf-8-sig")))
    store = open_store(db_path)
    try:
        assert store.table_counts()["documents"] == 207
        claims = list(store.claims(ClaimFilter(kind="deployment")))
        docs = {d.id: d for d in store.documents()}
    finally:
        store.close()
    assert {c.country for c in claims} == {"USA"} and len({c.doc_id for c in claims}) == 207
    for c in claims:  # every label present maps through the table, and the claim quotes its summary
        keys, known = atlas_technology(c.original["technology"])
        assert known and c.technology in keys
        doc = docs[c.doc_id]
        assert doc.text[c.start:c.end] == c.quote and c.quote
        assert doc.title == f"{c.original['agency']}: {c.original['technology']}"
    docs_per_tech = Counter(t for t, _ in {(c.technology, c.doc_id) for c in claims})
    labels = Counter(r["TechnologyType"] for r in rows)
    assert docs_per_tech["body_worn_camera"] == labels["Body-worn Cameras"]
    assert docs_per_tech["facial_recognition"] == labels["Face recognition"] + labels["Face Recognition"]
    assert docs_per_tech["cell_site_simulator"] == labels["Cell-site Simulators"]
    assert docs_per_tech["license_plate_recognition"] == sum(n for k, n in labels.items() if "License Plate" in k)


def test_border_row_document_and_vendor(shared: Path, db_path: str) -> None:
    from survindex.reference import resolve_company

    assert run(str(shared / BORDER), "--db", db_path).exit_code == 0
    store = open_store(db_path)
    try:
        axon = resolve_company("Axon")
        assert axon is not None and axon.hq_country == "USA"
        axon_claims = list(store.claims(ClaimFilter(supplier=axon.canonical)))
        assert len(axon_claims) == 15 and all(c.supplier_country == "USA" for c in axon_claims)
        first = next(c for c in axon_claims if c.location == f"file={Path(BORDER).name};row=2;column=Summary")
        doc = store.get_document(first.doc_id)
        assert doc.title == "Cochise County Sheriff's Office: Body-worn Cameras"
        assert doc.published == "2019-03-26" and doc.url and doc.url.startswith("http://agenda.cochise.az.gov/")
        assert doc.meta["agency"] == "Cochise County Sheriff's Office" and doc.meta["state"] == "AZ"
        assert first.year == 2019 and first.technology == "body_worn_camera" and first.status == "accepted"
        assert first.original["vendor"] == "Axon" and first.original["city"] == "Bisbee"
        proposed = {e["name"]: e["mentions"] for e in store.entities()}
    finally:
        store.close()
    with (shared / BORDER).open(encoding="utf-8-sig") as f:
        names = [n for r in csv.DictReader(f) for n in clean_suppliers(r["Vendor"])]
    unresolved = Counter(n for n in names if resolve_company(n) is None)
    assert unresolved and proposed == dict(unresolved)  # every unknown vendor kept and proposed, once per row


def test_current_export_layout(db_path: str) -> None:
    result = run(str(FIXTURES / "atlas_current.csv"), "--json", "--db", db_path)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["kind"] == "current" and report["rows_read"] == 3
    assert report["unmapped_labels"] == {"Quantum Listening Post": 1}
    assert report["unresolved_suppliers"] == {"Unknown Optics LLC": 2}
    store = open_store(db_path)
    try:
        facts = {(c.technology, c.supplier, c.year) for c in store.claims()}
        entities = [(e["name"], e["mentions"]) for e in store.entities()]
    finally:
        store.close()
    from survindex.reference import resolve_company

    axon = resolve_company("Axon")
    assert axon is not None
    assert facts == {("body_worn_camera", axon.canonical, 2021),
                     ("license_plate_recognition", "Unknown Optics LLC", 2018),
                     ("video_surveillance", "Unknown Optics LLC", 2018), ("other", None, 2019)}
    assert entities == [("Unknown Optics LLC", 1)]  # one row (one document) names it, for two technologies


def test_campus_layout_and_unknown_header(tmp_path: Path, db_path: str) -> None:
    result = run(str(FIXTURES / "atlas_campus.csv"), "--json", "--db", db_path)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["kind"] == "campus" and report["claims"] == 2 and report["unmapped_labels"] == {}
    other = tmp_path / "other.csv"
    other.write_text("Agency,Town,Gadget\nSome PD,Springfield,Drones\n", encoding="utf-8")
    before = sqlite3.connect(db_path).execute("SELECT count(*) FROM claims").fetchone()
    result = run(str(other), "--db", db_path)
    assert result.exit_code == 1
    assert "Error: cannot import" in result.output and "matches no known Atlas of Surveillance layout" in result.output
    assert sqlite3.connect(db_path).execute("SELECT count(*) FROM claims").fetchone() == before


def test_atlas_reimport_is_idempotent(shared: Path, db_path: str) -> None:
    assert run(str(shared / BORDER), "--db", db_path).exit_code == 0
    con = sqlite3.connect(db_path)
    dump = {t: con.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in ("documents", "claims", "entities")}
    report = json.loads(run(str(shared / BORDER), "--json", "--db", db_path).stdout)
    assert report["claims_new"] == 0 and report["documents_new"] == 0
    assert {t: con.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in dump} == dump
    con.close()
