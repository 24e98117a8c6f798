"""``survindex import table``: the real AIGS derivative, small CSV/XLSX fixtures with suppliers, bad input,
idempotency and all-or-nothing imports. Real SQLite files, the CLI through CliRunner."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from survindex.cli import cli
from survindex.model import Claim
from survindex.store import open_store
from survindex.store.core import ClaimFilter

FIXTURES = Path(__file__).parent / "fixtures" / "import"
AIGS_ARGS = ["--country-column", "Country", "--column", "safeCity=safe_city", "--column",
             "facialRec=facial_recognition", "--column", "smartPoli=smart_policing", "--column",
             "smSurv=social_media_monitoring"]
FIXTURE_ARGS = ["--country-column", "Country", "--column", "Safe city=safe_city", "--column",
                "Facial recognition=facial_recognition", "--column", "Smart policing=smart_policing",
                "--suppliers-column", "Suppliers", "--source-title", "Test country table", "--year", "2022"]


def run(*args: str) -> Any:
    result = CliRunner().invoke(cli, ["import", *args], catch_exceptions=False)
    return result


def dump(db: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the data tables (logs such as runs and errors excluded), in primary-key order."""
    con = sqlite3.connect(db)
    try:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
                for t in ("documents", "blobs", "claims", "entities")}
    finally:
        con.close()


def claims(db: str, **kw: Any) -> list[Claim]:
    store = open_store(db)
    try:
        return list(store.claims(ClaimFilter(**kw)))
    finally:
        store.close()


def test_aigs_real_file_reproduces_the_published_counts(shared: Path, db_path: str) -> None:
    result = run("table", str(shared / "data/aigs-p5js/cleaned-global2.csv"), *AIGS_ARGS, "--json",
                 "--db", db_path)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["rows_read"] == 97 and report["rows_rejected"] == 0 and report["countries"] == 97
    assert set(report["columns_never_read"]) == {"demIndex", "regimeType", "militaryExp", "totalTech", "govSMSurv"}
    by_tech: dict[str, set[str]] = defaultdict(set)
    rows = claims(db_path, kind="deployment")
    for c in rows:
        assert c.country is not None and c.technology is not None
        by_tech[c.technology].add(c.country)
    assert len({c.country for c in rows}) == 97
    assert {k: len(v) for k, v in by_tech.items()} == {
        "safe_city": 64, "facial_recognition": 78, "smart_policing": 69, "social_media_monitoring": 38}
    assert report["claims"] == report["claims_new"] == len(rows) == 64 + 78 + 69 + 38
    assert all(c.status == "accepted" and c.extractor == "import.table" for c in rows)


def test_aigs_claims_cite_their_row_and_keep_the_original_name(shared: Path, db_path: str) -> None:
    path = shared / "data/aigs-p5js/cleaned-global2.csv"
    assert run("table", str(path), *AIGS_ARGS, "--db", db_path).exit_code == 0
    myanmar = claims(db_path, country="MMR")
    assert myanmar and all(c.original["country"] == "Burma/Myanmar" for c in myanmar)
    store = open_store(db_path)
    doc = store.get_document(myanmar[0].doc_id)
    assert store.raw_bytes(doc.id) == path.read_bytes()
    store.close()
    lines = path.read_text("utf-8").splitlines()
    for c in myanmar:
        assert c.start is not None and c.end is not None
        assert doc.text[c.start:c.end] == c.quote and c.quote.startswith("Burma/Myanmar,")
        row = int(c.location.split(";row=")[1].split(";")[0])  # type: ignore[union-attr]
        assert lines[row - 1].startswith("Burma/Myanmar,")  # spreadsheet row number: the header is row 1
        assert c.location.startswith("file=cleaned-global2.csv;row=")  # type: ignore[union-attr]


def test_declared_dataset_gives_the_same_claims(shared: Path, tmp_path: Path) -> None:
    path = str(shared / "data/aigs-p5js/cleaned-global2.csv")
    a, b = str(tmp_path / "a.db"), str(tmp_path / "b.db")
    assert run("table", path, *AIGS_ARGS, "--year", "2022", "--db", a).exit_code == 0
    result = run("table", path, "--dataset", "aigs", "--db", b)
    assert result.exit_code == 0, result.output
    assert {c.id for c in claims(a)} == {c.id for c in claims(b)}
    assert "warning" not in result.stderr  # the declared sanity assertions (>= 50 countries) hold


def _fixture_facts(db: str) -> set[tuple[Any, ...]]:
    return {(c.country, c.technology, c.supplier, c.supplier_resolved, c.year) for c in claims(db)}


def test_csv_fixture_with_suppliers(db_path: str) -> None:
    from survindex.reference import resolve_company

    result = run("table", str(FIXTURES / "country_table.csv"), *FIXTURE_ARGS, "--json", "--db", db_path)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["rows_read"] == 5
    assert [(p["row"], p["reason"]) for p in report["rejected"]] == [(4, "unknown country 'Narnia'")]
    assert [(p["row"], p["column"]) for p in report["cell_errors"]] == [(5, "Facial recognition")]
    assert "'maybe'" in report["cell_errors"][0]["reason"]
    assert "row 5, column 'Facial recognition': unrecognised flag value 'maybe'" in result.stderr
    assert report["columns_never_read"] == ["Notes"]
    assert report["unresolved_suppliers"] == {"Unknown Widgets Ltd": 2}
    assert "row 4: unknown country 'Narnia'" in result.stderr

    huawei, hik, nec = (resolve_company(n) for n in ("Huawei", "Hikvision", "NEC"))
    assert huawei and hik and nec
    assert huawei.hq_country == "CHN" and hik.hq_country == "CHN" and nec.hq_country == "JPN"
    hik_full = resolve_company("Hangzhou Hikvision Digital Technology Co., Ltd.")
    assert hik_full is not None and hik_full.canonical == hik.canonical
    facts = _fixture_facts(db_path)
    assert facts == {
        ("MMR", "safe_city", None, True, 2022), ("MMR", "facial_recognition", None, True, 2022),
        ("KOR", "safe_city", None, True, 2022), ("KOR", "smart_policing", None, True, 2022),
        ("CIV", "safe_city", None, True, 2022), ("KEN", "facial_recognition", None, True, 2022),
        ("MMR", None, huawei.canonical, True, 2022), ("MMR", None, hik.canonical, True, 2022),
        ("MMR", None, nec.canonical, True, 2022), ("MMR", None, "Unknown Widgets Ltd", False, 2022),
        ("KOR", None, nec.canonical, True, 2022), ("CIV", None, hik.canonical, True, 2022),
        ("KEN", None, "Unknown Widgets Ltd", False, 2022), ("KEN", None, huawei.canonical, True, 2022),
    }
    supplier_claims = [c for c in claims(db_path) if c.supplier]
    assert {c.supplier_country for c in supplier_claims if c.supplier == huawei.canonical} == {"CHN"}
    assert all(c.supplier_country is None for c in supplier_claims if not c.supplier_resolved)
    korea = claims(db_path, country="KOR", technology="safe_city")[0]
    assert korea.original == {"country": "South\u00a0Korea", "Safe city": "x"}
    assert korea.location == "file=country_table.csv;row=3;column=Safe city"

    store = open_store(db_path)
    entities = store.entities()
    assert [(e["type"], e["name"], e["mentions"], e["status"]) for e in entities] == [
        ("company", "Unknown Widgets Ltd", 2, "proposed")]
    errors = [e["reason"] for e in store.errors()]
    assert "row 4: unknown country 'Narnia'" in errors
    doc = store.get_document(korea.doc_id)
    assert doc.title == "Test country table" and doc.published == "2022"
    store.close()


def test_xlsx_fixture_sheet_option(tmp_path: Path) -> None:
    csv_db, xlsx_db = str(tmp_path / "csv.db"), str(tmp_path / "xlsx.db")
    assert run("table", str(FIXTURES / "country_table.csv"), *FIXTURE_ARGS, "--db", csv_db).exit_code == 0
    result = run("table", str(FIXTURES / "country_table.xlsx"), *FIXTURE_ARGS, "--sheet", "Index 2022",
                 "--json", "--db", xlsx_db)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert _fixture_facts(xlsx_db) == _fixture_facts(csv_db)
    # the blank row 4 keeps the spreadsheet's numbering: Narnia is row 5 there
    assert [(p["row"], p["reason"]) for p in report["rejected"]] == [(5, "unknown country 'Narnia'")]
    assert report["columns_never_read"] == ["Updated"]
    kenya = claims(xlsx_db, country="KEN", technology="facial_recognition")[0]
    assert kenya.location == "file=country_table.xlsx;sheet=Index 2022;row=7;column=Facial recognition"
    store = open_store(xlsx_db)
    doc = store.get_document(kenya.doc_id)
    store.close()
    assert doc.text[kenya.start:kenya.end] == kenya.quote
    assert "# sheet: About" in doc.text and "# sheet: Index 2022" in doc.text
    missing = run("table", str(FIXTURES / "country_table.xlsx"), *FIXTURE_ARGS, "--db", xlsx_db)
    assert missing.exit_code == 1  # the first sheet (About) has no Country column
    assert "Error: cannot import" in missing.output and "'Country'" in missing.output


def test_cp1252_file_is_read_with_a_warning(db_path: str) -> None:
    result = run("table", str(FIXTURES / "country_table_cp1252.csv"), *FIXTURE_ARGS, "--json", "--db", db_path)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["encoding"] == "cp1252" and any("not valid UTF-8" in w for w in report["warnings"])
    civ = claims(db_path, country="CIV", technology="facial_recognition")
    assert [c.original["country"] for c in civ] == ["Côte d'Ivoire"]


@pytest.mark.parametrize("args, message", [
    (["--column", "Safe city=face_rec"], "unknown technology key 'face_rec' (column 'Safe city')"),
    (["--column", "Safe city"], "--column 'Safe city' is not SRC=TECH_KEY"),
    (["--column", "Safe city=safe_city", "--country-column", "Nation"], "column 'Nation' is not in the file"),
    (["--column", "Safe city=safe_city", "--suppliers-column", "Vendors"], "column 'Vendors' is not in the file"),
])
def test_bad_options_fail_and_write_nothing(db_path: str, args: list[str], message: str) -> None:
    base = [] if "--country-column" in args else ["--country-column", "Country"]
    result = run("table", str(FIXTURES / "country_table.csv"), *base, *args, "--db", db_path)
    assert result.exit_code == 1
    assert "Error: cannot import " in result.output and message in result.output
    store = open_store(db_path)
    assert store.table_counts()["claims"] == 0 and store.table_counts()["documents"] == 0
    store.close()


def test_malformed_files_fail_cleanly(tmp_path: Path, db_path: str) -> None:
    binary = tmp_path / "image.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    fake_xlsx = tmp_path / "table.xlsx"
    fake_xlsx.write_bytes(b"PK\x03\x04 not really a zip")
    empty = tmp_path / "empty.csv"
    empty.write_text("\n\n")
    for path, why in ((binary, "binary file"), (fake_xlsx, "not a readable XLSX"), (empty, "empty"),
                      (tmp_path / "absent.csv", "no such file")):
        result = run("table", str(path), "--country-column", "Country", "--column", "a=safe_city", "--db", db_path)
        assert result.exit_code == 1 and why in result.output, result.output
    result = run("table", str(FIXTURES / "country_table.csv"), "--column", "a=safe_city", "--db", db_path)
    assert result.exit_code == 1 and "--country-column is missing" in result.output


def test_reimport_is_idempotent(shared: Path, db_path: str) -> None:
    files = [(str(FIXTURES / "country_table.csv"), FIXTURE_ARGS),
             (str(shared / "data/aigs-p5js/cleaned-global2.csv"), AIGS_ARGS)]
    for path, args in files:
        assert run("table", path, *args, "--db", db_path).exit_code == 0
    before = dump(db_path)
    for path, args in files:
        result = run("table", path, *args, "--json", "--db", db_path)
        report = json.loads(result.stdout)
        assert report["claims_new"] == 0 and report["documents_new"] == 0 and report["claims"] > 0
    assert dump(db_path) == before


def test_failure_halfway_leaves_the_database_as_it_was(shared: Path, db_path: str) -> None:
    """A database constraint refuses one row in the middle of the AIGS file: nothing of the import stays."""
    assert run("table", str(FIXTURES / "country_table.csv"), *FIXTURE_ARGS, "--db", db_path).exit_code == 0
    con = sqlite3.connect(db_path)
    con.execute("CREATE TRIGGER refuse_hungary BEFORE INSERT ON claims WHEN NEW.country = 'HUN' "
                "BEGIN SELECT RAISE(ABORT, 'claims about Hungary are refused by this test database'); END")
    con.commit()
    con.close()
    before = dump(db_path)
    result = run("table", str(shared / "data/aigs-p5js/cleaned-global2.csv"), *AIGS_ARGS, "--db", db_path)
    assert result.exit_code == 1
    assert "Error: cannot import" in result.output and "refused by this test database" in result.output
    assert "rolled back" in result.output
    assert dump(db_path) == before
    con = sqlite3.connect(db_path)
    assert sorted(r[0] for r in con.execute("SELECT status FROM runs")) == ["failed", "ok"]
    con.close()


def test_supplier_flag_columns(db_path: str) -> None:
    """Carnegie's own workbook marks each supplier in its own column."""
    from survindex.reference import resolve_company

    result = run("table", str(FIXTURES / "supplier_flags.csv"), "--country-column", "Country", "--column",
                 "Safe city=safe_city", "--supplier-flag", "Huawei", "--supplier-flag", "ZTE", "--supplier-flag",
                 "Dahua", "--supplier-flag", "Acme Watchers=Acme Watchers Ltd", "--json", "--db", db_path)
    assert result.exit_code == 0, result.output
    names = {n: resolve_company(n) for n in ("Huawei", "ZTE", "Dahua")}
    assert all(c is not None and c.hq_country == "CHN" for c in names.values())
    canon = {n: c.canonical for n, c in names.items() if c is not None}
    facts = {(c.country, c.supplier, c.supplier_country) for c in claims(db_path) if c.supplier}
    assert facts == {("ECU", canon["Huawei"], "CHN"), ("ECU", canon["ZTE"], "CHN"), ("KEN", canon["Huawei"], "CHN"),
                     ("UZB", canon["Dahua"], "CHN"), ("KEN", "Acme Watchers Ltd", None)}
    assert json.loads(result.stdout)["unresolved_suppliers"] == {"Acme Watchers Ltd": 1}
    bad = run("table", str(FIXTURES / "supplier_flags.csv"), "--country-column", "Country", "--supplier-flag",
              "Huawei=", "--db", db_path)
    assert bad.exit_code == 1 and "is not COLUMN or COLUMN=COMPANY" in bad.output


@pytest.mark.parametrize("written", ["Huawei (China)", "Huawei*", "Huawei[3]", "huawei"])
def test_decorated_supplier_names_resolve(written: str) -> None:
    from survindex.ingest.datasets.pipeline import resolve_supplier
    from survindex.reference import resolve_company

    huawei = resolve_company("Huawei")
    supplier = resolve_supplier(written)
    assert huawei is not None and supplier.resolved and supplier.name == huawei.canonical
    assert supplier.country == "CHN" and supplier.raw == written
    assert not resolve_supplier("Unknown Widgets (Narnia) Ltd").resolved


def test_semicolon_separated_export(tmp_path: Path, db_path: str) -> None:
    """Spreadsheets saved in European locales separate fields with semicolons."""
    path = tmp_path / "table.csv"
    path.write_text("Land;Smart policing;Firmen\nKenya;x;Huawei, ZTE\nKorea, Rep.;1;\n", encoding="utf-8")
    result = run("table", str(path), "--country-column", "Land", "--column", "Smart policing=smart_policing",
                 "--suppliers-column", "Firmen", "--json", "--db", db_path)
    assert result.exit_code == 0, result.output
    assert {(c.country, c.technology) for c in claims(db_path) if c.technology} == {
        ("KEN", "smart_policing"), ("KOR", "smart_policing")}
    assert len([c for c in claims(db_path) if c.supplier]) == 2


def test_ampersand_splits_only_known_companies() -> None:
    from survindex.ingest.datasets.pipeline import resolve_suppliers
    from survindex.reference import resolve_company

    huawei, zte = resolve_company("Huawei"), resolve_company("ZTE")
    assert huawei is not None and zte is not None
    assert [s.name for s in resolve_suppliers("Huawei & ZTE")] == [huawei.canonical, zte.canonical]
    assert [s.name for s in resolve_suppliers("Acme Optics & Sons")] == ["Acme Optics & Sons"]
