"""Published tables as they really come: country names cut short by a PDF transcription resolve when they begin
one country's name only (and are reported); a table's summary columns are checked row by row against survindex."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from survindex.cli import cli
from survindex.ingest.datasets.checks import CheckError, parse_checks, published_value
from survindex.reference.prefix import resolve_country_prefix
from survindex.store import open_store

FIXTURE = Path(__file__).parent / "fixtures" / "import" / "truncated_table.csv"
ARGS = ["--country-column", "Country", "--column", "Facial recognition=facial_recognition", "--suppliers-column",
        "Key companies", "--year", "2019", "--check", "Chinese=supplier_country:CHN", "--check", "BRI=bri",
        "--check", "Regime=regime"]


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, ["import", "table", *args], catch_exceptions=False)


@pytest.mark.parametrize("text, iso3, candidates", [
    ("United Kingdo", "GBR", ("GBR",)), ("Czech Republ", "CZE", ("CZE",)), ("United Arab E", "ARE", ("ARE",)),
    ("Bosnia and Herz", "BIH", ("BIH",)), ("Papua New G", "PNG", ("PNG",)), ("Nige", None, ("NER", "NGA")),
    ("United", None, ("ARE", "GBR", "MEX", "TZA", "UMI", "USA")), ("Ma", None, ()), ("Narnia", None, ())])
def test_prefixes(text: str, iso3: str | None, candidates: tuple[str, ...]) -> None:
    match = resolve_country_prefix(text)
    assert (match.iso3, match.candidates, match.ambiguous) == (iso3, candidates, len(candidates) > 1)


def test_truncated_names_resolve_or_are_explained(db_path: str) -> None:
    result = run(str(FIXTURE), *ARGS, "--json", "--db", db_path)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["resolved_by_prefix"] == {"United Kingdo": "GBR", "Czech Republ": "CZE", "United Arab E": "ARE"}
    assert [(r["row"], r["reason"]) for r in report["rejected"]] == [
        (5, "ambiguous truncated country name 'Nige' (begins NER, NGA)"), (6, "unknown country 'Narnia'")]
    assert "truncated names resolved as the one country they begin" in result.stderr
    store = open_store(db_path)
    uk = [c for c in store.claims(None) if c.country == "GBR"]
    store.close()
    assert uk and all(c.original["country"] == "United Kingdo" for c in uk)  # the name as written is kept


def test_summary_columns_are_checked_row_by_row(db_path: str) -> None:
    report = json.loads(run(str(FIXTURE), *ARGS, "--json", "--db", db_path).stdout)
    checks = report["published_checks"]
    assert checks["summary"] == {"Chinese": {"checked": 4, "agree": 3, "differ": 1},
                                 "BRI": {"checked": 4, "agree": 3, "differ": 1},
                                 "Regime": {"checked": 4, "agree": 4, "differ": 0}}
    assert [(d["row"], d["country"], d["column"], d["published"], d["computed"]) for d in checks["differences"]] == [
        (4, "ARE", "BRI", False, True), (7, "KEN", "Chinese", False, True)]  # Kenya: Huawei is Chinese
    assert "Chinese" not in report["columns_never_read"]


def test_aigs_regime_column_against_the_regime_table(shared: Path, db_path: str) -> None:
    """The AIGS 2022 derivative's own regime column and technology count, beside survindex's (figures unchanged)."""
    result = run(str(shared / "data/aigs-p5js/cleaned-global2.csv"), "--country-column", "Country",
                 "--column", "safeCity=safe_city", "--column", "facialRec=facial_recognition", "--column",
                 "smartPoli=smart_policing", "--column", "smSurv=social_media_monitoring", "--year", "2022",
                 "--check", "regimeType=regime", "--check", "totalTech=technology_count", "--json", "--db", db_path)
    report = json.loads(result.stdout)
    assert report["rows_read"] == 97 and report["countries"] == 97 and report["claims"] == 64 + 78 + 69 + 38
    summary = report["published_checks"]["summary"]
    assert summary["totalTech"] == {"checked": 97, "agree": 97, "differ": 0}
    assert summary["regimeType"]["checked"] == 97 and summary["regimeType"]["agree"] >= 85


def test_bad_check_is_a_named_error(db_path: str) -> None:
    with pytest.raises(CheckError, match="regime, bri, technology_count"):
        parse_checks(["Regime=colour"])
    result = run(str(FIXTURE), *ARGS, "--check", "BRI=nope", "--db", db_path)
    assert result.exit_code == 1 and "Error: cannot import" in result.output


@pytest.mark.parametrize("check, cell, value", [
    ("regime", "EA", "electoral_autocracy"), ("regime", "Liberal democracy", "liberal_democracy"),
    ("regime", "", None), ("bri", "", False), ("bri", "x", True), ("bri", "N", False),
    ("technology_count", "3", 3), ("supplier_country:CHN", "✔", True), ("regime", "junta", "junta")])
def test_published_values(check: str, cell: str, value: object) -> None:
    assert published_value(check, cell) == value
