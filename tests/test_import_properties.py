"""Properties of ``import table`` over generated tables (hypothesis), and the same import on every database."""

from __future__ import annotations

import csv
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survindex.ingest.datasets import TableMapping, import_table
from survindex.store import open_store

FIXTURES = Path(__file__).parent / "fixtures" / "import"
COUNTRIES = {"Kenya": "KEN", "Burma/Myanmar": "MMR", "South\u00a0Korea": "KOR", "Ivory Coast": "CIV",
             "UAE": "ARE", "Korea, Rep.": "KOR", "ecuador": "ECU"}
UNKNOWN = ["Narnia", "Atlantis", ""]
YES, NO, BAD = ["x", "X", "✔", "1", "yes"], ["N", "", "0", "no", " "], ["maybe", "??"]
SUPPLIERS = ["Huawei", "ZTE; Hikvision", "Unknown Widgets Ltd", "",
             "NEC, Hangzhou Hikvision Digital Technology Co., Ltd."]

rows_strategy = st.lists(
    st.tuples(st.sampled_from(sorted(COUNTRIES) + UNKNOWN), st.sampled_from(YES + NO + BAD),
              st.sampled_from(YES + NO), st.sampled_from(SUPPLIERS)),
    min_size=1, max_size=12)


def _write(path: Path, rows: list[tuple[str, str, str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Country", "Safe city", "Facial recognition", "Suppliers"])
        w.writerows(rows)


def _dump(db: str) -> dict[str, list[tuple[Any, ...]]]:
    con = sqlite3.connect(db)
    try:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in ("documents", "claims", "entities")}
    finally:
        con.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows_strategy)
def test_generated_tables(rows: list[tuple[str, str, str, str]]) -> None:
    """Rows with unknown countries are rejected with their row number (wholly blank rows are skipped), bad flags
    are reported per cell,
    every claim quotes its own row, and a second import changes nothing."""
    mapping = TableMapping("Country", {"Safe city": "safe_city", "Facial recognition": "facial_recognition"},
                           suppliers_column="Suppliers")
    with tempfile.TemporaryDirectory() as tmp:
        path, db = Path(tmp) / "table.csv", str(Path(tmp) / "t.db")
        _write(path, rows)
        store = open_store(db)
        report = import_table(store, path, mapping)
        blank = [not "".join(r).strip() for r in rows]  # wholly blank rows are skipped, not rejected
        expected_rejected = [i + 2 for i, r in enumerate(rows) if r[0] not in COUNTRIES and not blank[i]]
        assert [p.row for p in report.rejected] == expected_rejected
        assert [p.row for p in report.cell_errors] == [
            i + 2 for i, r in enumerate(rows) if r[0] in COUNTRIES and r[1] in BAD]
        tech = {(COUNTRIES[r[0]], t) for r in rows if r[0] in COUNTRIES
                for t, flag in (("safe_city", r[1]), ("facial_recognition", r[2])) if flag in YES}
        claims = list(store.claims())
        assert {(c.country, c.technology) for c in claims if c.technology} == tech
        doc = next(iter(store.documents()), None)
        for c in claims:
            assert doc is not None and doc.text[c.start:c.end] == c.quote
        before = _dump(db)
        again = import_table(store, path, mapping)
        assert again.claims_new == 0 and again.documents_new == 0 and _dump(db) == before
        store.close()


def test_same_import_on_every_database(any_db: str) -> None:
    """SQLite and PostgreSQL give the same claim ids, and a re-import writes nothing new."""
    mapping = TableMapping("Country", {"Safe city": "safe_city", "Facial recognition": "facial_recognition"},
                           suppliers_column="Suppliers", year=2022)
    store = open_store(any_db)
    try:
        first = import_table(store, FIXTURES / "country_table.csv", mapping)
        ids = sorted(c.id for c in store.claims())
        second = import_table(store, FIXTURES / "country_table.csv", mapping)
        assert first.claims_new == len(ids) == 13 and second.claims_new == 0
        assert sorted(c.id for c in store.claims()) == ids
        assert [(e["name"], e["mentions"]) for e in store.entities()] == [("Unknown Widgets Ltd", 2)]
    finally:
        store.close()
