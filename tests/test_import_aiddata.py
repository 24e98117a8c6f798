"""``survindex import aiddata``: both real GCDF 3.0 files; one document per project row and a financing claim
whose year, amount, currency and flow type are the file's. Real SQLite files, the CLI through CliRunner."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from survindex.cli import cli
from survindex.model import Claim
from survindex.store import open_store

DATA = "data/aiddata-gcdf3"
STAGES = {"Completion": "installed", "Implementation": "contracted", "Pipeline: Commitment": "contracted"}


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, ["import", "aiddata", *args], catch_exceptions=False)


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def by_record(db: str) -> dict[str, Claim]:
    store = open_store(db)
    try:
        return {c.original["record_id"]: c for c in store.claims()}
    finally:
        store.close()


@pytest.fixture(scope="module")
def geospatial_db(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, Any]]:
    db = str(tmp_path_factory.mktemp("aiddata") / "geo.db")
    result = run(str(shared / DATA / "final_input.csv"), "--json", "--db", db)
    assert result.exit_code == 0, result.output
    return db, json.loads(result.stdout)


def test_geospatial_file_one_document_per_row(shared: Path, geospatial_db: tuple[str, dict[str, Any]]) -> None:
    db, report = geospatial_db
    source = rows(shared / DATA / "final_input.csv")
    assert report["kind"] == "geospatial" and report["rows_read"] == len(source) == 4736
    assert report["documents_new"] == len(source) and report["claims"] == len(source)
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM documents").fetchone() == (len(source),)
    assert con.execute("SELECT count(DISTINCT kind), min(kind) FROM claims").fetchone() == (1, "financing")
    con.close()
    claims = by_record(db)
    assert len(claims) == len(source)
    for r in source:
        c = claims[r["AidData.Record.ID"]]
        assert c.year == int(float(r["Commitment.Year"]))
        assert c.country == (r["Recipient.ISO-3"] or None)
        if r["Amount.(Constant.USD.2021)"]:
            assert c.amount_usd == c.amount == pytest.approx(float(r["Amount.(Constant.USD.2021)"]))
            assert c.currency == "USD" and c.original["amount_basis"] == "constant 2021 USD"
        else:
            assert c.amount is None and c.currency is None
        assert c.flow_type is None and c.financier is None and c.technology is None
        assert c.stage == STAGES[r["Status"]] and c.original["status"] == r["Status"]
        assert c.quote == r["Title"].strip() and c.status == "unreviewed"


def test_geospatial_document_text_and_dates(geospatial_db: tuple[str, dict[str, Any]]) -> None:
    db, _ = geospatial_db
    claim = by_record(db)["37016"]
    assert claim.country == "PAK" and "Safe City Islamabad" in claim.quote
    store = open_store(db)
    try:
        doc = store.get_document(claim.doc_id)
    finally:
        store.close()
    assert doc.text[claim.start:claim.end] == claim.quote and claim.start == 0
    assert doc.text.endswith("AidData Record ID: 37016") and doc.title == claim.quote
    assert doc.published and doc.published.startswith(str(claim.year))  # ISO date under an MM/DD/YYYY header
    assert doc.meta["record_id"] == "37016" and doc.meta["columns"]["Sector.Name"]


def test_main_table_flow_types_and_descriptions(shared: Path, db_path: str) -> None:
    path = shared / DATA / "df_filtered.csv"
    result = run(str(path), "--json", "--db", db_path)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    source = rows(path)
    assert report["kind"] == "main" and report["rows_read"] == report["documents_new"] == len(source) == 501
    claims = by_record(db_path)
    store = open_store(db_path)
    try:
        for r in source:
            c = claims[r["AidData Record ID"]]
            assert c.flow_type == {"Loan": "loan", "Grant": "grant"}[r["Flow Type Simplified"]]
            assert c.year == int(r["Commitment Year"])
            assert c.amount_usd == pytest.approx(float(r["Adjusted Amount (Constant USD 2021)"]))
            assert c.original["recipient"] == r["Recipient"]
            if r["Recipient"] == "Sri Lanka":
                assert c.country == "LKA"
        doc = store.get_document(claims[source[0]["AidData Record ID"]].doc_id)
        assert doc.text.startswith(source[0]["Title"] + "\n\n" + source[0]["Description"].strip()[:200])
    finally:
        store.close()
    assert sum(1 for c in claims.values() if c.flow_type == "grant") == sum(
        1 for r in source if r["Flow Type Simplified"] == "Grant")
    assert "Recipient Region" not in report["columns_never_read"]


def test_both_files_share_one_store_and_reimport_is_idempotent(shared: Path, db_path: str) -> None:
    for name in ("df_filtered.csv", "final_input.csv"):
        assert run(str(shared / DATA / name), "--db", db_path).exit_code == 0
    con = sqlite3.connect(db_path)
    dump = {t: con.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in ("documents", "claims", "blobs")}
    assert len(dump["documents"]) == 4736 + 501 and len(dump["blobs"]) == 2
    report = json.loads(run(str(shared / DATA / "df_filtered.csv"), "--json", "--db", db_path).stdout)
    assert report["claims_new"] == 0 and report["documents_new"] == 0
    assert {t: con.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in dump} == dump
    con.close()


def test_unknown_header_is_an_error(tmp_path: Path, db_path: str) -> None:
    path = tmp_path / "projects.csv"
    path.write_text("id,name,money\n1,Bridge,100\n", encoding="utf-8")
    result = run(str(path), "--db", db_path)
    assert result.exit_code == 1 and "matches no known Global Chinese Development Finance" in result.output
