"""``survindex import spyware-inventory``: Carnegie's spyware & digital forensics inventory (the real V10 file and
a small fixture), the targeted-surveillance figures it reproduces, and its free-text year spans (hypothesis)."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from survindex.cli import cli
from survindex.ingest.datasets.periods import parse_years
from survindex.ingest.datasets.spyware import citation
from survindex.model import Claim
from survindex.reference import resolve_company, resolve_country
from survindex.store import open_store

INVENTORY = "data/carnegie-spyware-inventory/spyware-forensics-inventory-v10.csv"
FIXTURE = Path(__file__).parent / "fixtures" / "import" / "spyware-inventory.csv"


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def claims(db: str) -> list[Claim]:
    store = open_store(db)
    try:
        return list(store.claims(None))
    finally:
        store.close()


def file_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def by(rows: list[dict[str, str]], column: str) -> dict[str, int]:
    """Distinct countries of deployment per value of ``column`` in the file itself."""
    out: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        out[r[column].strip()].add(r["Country of deployment"])
    return {k: len(v) for k, v in out.items()}


@pytest.fixture(scope="module")
def imported(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, Any], dict[str, Any]]:
    db = str(tmp_path_factory.mktemp("spyware") / "s.db")
    result = run("import", "spyware-inventory", str(shared / INVENTORY), "--json", "--db", db)
    assert result.exit_code == 0, result.output
    stats = run("stats", "--json", "--db", db)
    assert stats.exit_code == 0, stats.output
    return db, json.loads(result.stdout), json.loads(stats.stdout)


def test_real_file_imports_every_row(imported: tuple[str, dict[str, Any], dict[str, Any]]) -> None:
    db, report, _ = imported
    assert report["rows_read"] == 193 and report["rows_rejected"] == 0 and report["claims_new"] == 193
    assert report["countries"] == 74 and report["unresolved_suppliers"] == {} and report["unknown_countries"] == {}
    assert report["columns_never_read"] == [] and report["cell_errors"] == []
    assert any("10 rows had their description split" in w for w in report["warnings"])
    rows = claims(db)
    assert len(rows) == 193 and all(c.kind == "deployment" and c.extractor == "import.spyware" for c in rows)
    assert {c.technology for c in rows} == {"spyware", "digital_forensics"}
    assert sum(c.confidence < 1 for c in rows) == 32  # the rows flagged "x" in Lower confidence sources
    assert sum(len(c.citations) for c in rows) >= 193


def test_real_file_reproduces_carnegies_published_figures(
        shared: Path, imported: tuple[str, dict[str, Any], dict[str, Any]]) -> None:
    _, _, stats = imported
    t = stats["targeted"]
    assert t["governments"] == 74
    assert t["regime_source_groups"] == {"autocracies": 44, "democracies": 30, "unknown": 0}
    assert t["by_regime_source"] == {"closed_autocracy": 13, "electoral_autocracy": 31, "electoral_democracy": 16,
                                     "liberal_democracy": 14}
    assert t["by_vendor_country"]["ISR"] == 56
    assert all(f["difference"] == 0 for f in t["published_figures"]) and len(t["published_figures"]) == 4
    rows = file_rows(shared / INVENTORY)
    assert t["by_source_category"] == by(rows, "Category of technology") == {
        "Spyware": 68, "Digital forensics": 28, "IOT hacking": 1}
    assert t["by_category"] == {"spyware": 68, "digital_forensics": 28}  # IOT hacking (Israel) is spyware here
    per_vendor = by(rows, "Commercial Entity")
    assert t["unknown_vendor"] == per_vendor.pop("Undisclosed") == 1
    canonical = {name: resolve_company(name).canonical for name in per_vendor}  # type: ignore[union-attr]
    assert t["by_vendor"] == {canonical[k]: n for k, n in per_vendor.items()}
    assert len(t["by_vendor"]) == 39 and t["by_vendor"]["NSO Group"] == 30 and t["by_vendor"]["FinFisher"] == 34
    origin: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        for name in r["Country of origin"].split(","):
            if name.strip() != "Undisclosed":
                origin[resolve_country(name.strip()).iso3].add(r["Country of deployment"])  # type: ignore[union-attr]
    assert t["by_vendor_country"] == {k: len(v) for k, v in origin.items()}
    assert stats["countries"] == 0 and stats["by_technology"]["spyware"] == 68  # the mass index stays apart
    assert sum(t["by_regime_reference"].values()) + t["regime_reference_groups"]["unknown"] == 74


def test_claims_quote_their_row_and_cite_each_source(
        shared: Path, imported: tuple[str, dict[str, Any], dict[str, Any]]) -> None:
    db, _, _ = imported
    rows = claims(db)
    store = open_store(db)
    text = store.get_document(rows[0].doc_id).text
    store.close()
    for c in rows:
        assert text[c.start:c.end] == c.quote and c.location and ";row=" in c.location
        assert all(x["url"].startswith("http") and "web.archive.org" not in x["url"] for x in c.citations)
    armenia = next(c for c in rows if c.country == "ARM" and c.supplier == "Cytrox")
    assert armenia.quote == "Government-backed actors purchased Cytrox exploits"
    assert armenia.supplier_country == "ISR" and armenia.original["supplier_countries"] == ["ISR", "HUN"]
    assert armenia.original["country_of_origin"] == "Israel, Hungary" and len(armenia.citations) == 3
    azerbaijan = next(c for c in rows if c.country == "AZE" and c.supplier == "Hacking Team")
    assert azerbaijan.citations[1] == {
        "url": "https://www.iphronline.org/wp-content/uploads/2021/09/Pulling-the-Plug_report_updated.pdf",
        "archive_url": "https://web.archive.org/web/20220205005938/https://www.iphronline.org/wp-content/uploads/"
                       "2021/09/Pulling-the-Plug_report_updated.pdf", "archived": "2022-02-05"}
    canada = next(c for c in rows if c.country == "CAN" and c.supplier is None)
    assert canada.original["vendor"] == "Undisclosed" and canada.supplier_country is None
    brazil = next(c for c in rows if c.country == "BRA" and "infiltration" in c.quote)
    assert brazil.quote == "History of surveillance abuses, infiltration of online platforms and political " \
                           "monitoring are common" and brazil.original["repaired"]
    assert [x["url"] for x in brazil.citations] == ["https://privacyinternational.org/state-privacy/42/state-privacy-brazil",
                                                     "https://freedomhouse.org/country/brazil/freedom-net/2019"]


def test_second_import_changes_nothing(shared: Path, imported: tuple[str, dict[str, Any], dict[str, Any]]) -> None:
    db, _, _ = imported
    again = run("import", "spyware-inventory", str(shared / INVENTORY), "--json", "--db", db)
    assert json.loads(again.stdout)["claims_new"] == 0


def test_fixture_rows_periods_and_unknown_values(db_path: str) -> None:
    result = run("import", "spyware-inventory", str(FIXTURE), "--json", "--db", db_path)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["rows_read"] == 5 and [r["row"] for r in report["rejected"]] == [5, 6]
    assert "unknown country 'Narnia'" in report["rejected"][0]["reason"]
    assert "unknown category 'Satellites'" in report["rejected"][1]["reason"]
    rows = {c.country: c for c in claims(db_path)}
    ken, mex = rows["KEN"], rows["MEX"]
    assert (ken.original["period_first"], ken.original["period_last"], ken.year) == (2016, 2021, 2017)
    assert ken.stage == "operational" and ken.confidence == 0.6 and ken.supplier == "NSO Group"
    assert mex.original["period_ongoing"] and mex.original["period_first"] == 2010 and mex.stage == "operational"
    assert rows["PAK"].stage == "unknown" and rows["PAK"].quote.startswith("Pakistan,")  # no description: the row


def test_missing_column_is_a_named_error(tmp_path: Path, db_path: str) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("Country of deployment,Commercial Entity\nKenya,NSO Group\n", encoding="utf-8")
    result = run("import", "spyware-inventory", str(bad), "--db", db_path)
    assert result.exit_code == 1 and "Error: cannot import" in result.output and "layout" in result.output


def test_wayback_links_are_archive_copies() -> None:
    assert citation("https://example.org/a") == {"url": "https://example.org/a"}
    assert citation("http://web.archive.org/web/20151218184833if_/http://x.org/p?q=1") == {
        "url": "http://x.org/p?q=1", "archive_url": "http://web.archive.org/web/20151218184833if_/http://x.org/p?q=1",
        "archived": "2015-12-18"}


@pytest.mark.parametrize("text, first, last, ongoing", [
    ("2014", 2014, 2014, False), ("2016-2018, 2020, 2021", 2016, 2021, False), ("2010s - present", 2010, None, True),
    ("", None, None, False), ("?-2021", None, 2021, False), ("2016-?", 2016, None, False),
    ("2009 - present", 2009, None, True), ("2013, 2015", 2013, 2015, False), ("2015, 2017-2020", 2015, 2020, False),
    ("2018-2016", 2016, 2018, False), ("2010s", 2010, 2019, False)])
def test_year_spans_of_the_file(text: str, first: int | None, last: int | None, ongoing: bool) -> None:
    span = parse_years(text)
    assert (span.first, span.last, span.ongoing, span.original, span.unread) == (first, last, ongoing, text, ())


years = st.integers(1990, 2030)
parts = st.one_of(years.map(str), st.tuples(years, years).map(lambda p: f"{min(p)}-{max(p)}"),
                  st.tuples(years, years).map(lambda p: f"{min(p)} - {max(p)}"))


@given(st.lists(parts, min_size=1, max_size=5), st.sampled_from([", ", ",", "; "]))
def test_year_spans_first_and_last_are_the_extremes(items: list[str], sep: str) -> None:
    span = parse_years(sep.join(items))
    numbers = [int(y) for item in items for y in item.replace(" ", "").split("-")]
    assert (span.first, span.last, span.ongoing, span.unread) == (min(numbers), max(numbers), False, ())


@given(st.lists(parts, max_size=4), years, st.sampled_from(["present", "Present", "ongoing"]))
def test_an_open_end_is_ongoing_with_no_last_year(items: list[str], start: int, word: str) -> None:
    span = parse_years(", ".join([*items, f"{start} - {word}"]))
    numbers = [int(y) for item in items for y in item.replace(" ", "").split("-")]
    assert span.ongoing and span.last is None and span.first == min([start, *numbers])


@given(st.text(max_size=40))
def test_any_text_parses_without_error_and_keeps_the_original(text: str) -> None:
    span = parse_years(text)
    assert span.original == text
    if span.first is not None and span.last is not None:
        assert span.first <= span.last


def test_every_inventory_vendor_is_in_the_registry_with_a_source(shared: Path) -> None:
    vendors = {r["Commercial Entity"].strip() for r in file_rows(shared / INVENTORY)} - {"Undisclosed"}
    assert len(vendors) == 39
    for name in vendors:
        company = resolve_company(name)
        assert company is not None, name
        assert company.hq_country and company.source and "Carnegie inventory V10" in company.source, name


def test_aigs_figures_stay_exact_beside_the_inventory(shared: Path, db_path: str) -> None:
    aigs = ["import", "table", str(shared / "data/aigs-p5js/cleaned-global2.csv"), "--country-column", "Country",
            "--column", "safeCity=safe_city", "--column", "facialRec=facial_recognition", "--column",
            "smartPoli=smart_policing", "--column", "smSurv=social_media_monitoring", "--year", "2022"]
    for args in (aigs, ["import", "spyware-inventory", str(shared / INVENTORY)]):
        assert run(*args, "--db", db_path).exit_code == 0
    stats = json.loads(run("stats", "--json", "--db", db_path).stdout)
    assert stats["countries"] == 97
    assert stats["by_aigs_category"] == {"safe_city": 64, "facial_recognition": 78, "smart_policing": 69,
                                         "social_media_surveillance": 38}
    joined = stats["targeted"]["joined"]
    assert stats["targeted"]["governments"] == 74
    assert (joined["mass_countries"], joined["targeted_countries"], joined["both"], joined["mass_only"],
            joined["targeted_only"]) == (97, 74, 59, 38, 15)
    assert joined["supplier_blocs"]["israel"]["targeted"] == 56 and joined["supplier_blocs"]["europe"]["targeted"] == 60


def test_same_import_on_every_database(any_db: str) -> None:
    """SQLite and PostgreSQL keep the same claims with their citations and origins; a re-import writes nothing."""
    from survindex.ingest.datasets import import_spyware_inventory

    store = open_store(any_db)
    try:
        first = import_spyware_inventory(store, FIXTURE)
        second = import_spyware_inventory(store, FIXTURE)
        rows = {c.country: c for c in store.claims()}
        assert first.claims_new == 3 and second.claims_new == 0 and set(rows) == {"KEN", "MEX", "PAK"}
        assert rows["KEN"].citations[1]["archive_url"].startswith("https://web.archive.org/web/20220101000000/")
        assert rows["KEN"].original["supplier_countries"] == ["ISR"] and rows["KEN"].confidence == 0.6
    finally:
        store.close()
