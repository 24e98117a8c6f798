"""Exports stream: the CSV download's first bytes arrive before the rest is read, batches are read by key, and a
client that goes away stops the export (no more batches are read)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from survindex.model import Claim
from survindex.store import open_store
from survindex.store import search as ss
from tests.test_web_support import app_for, seed


def _app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, calls: list[str | None]) -> Any:
    db = str(tmp_path / "s.db")
    ids = seed(db)
    store = open_store(db)
    store.put_claims([Claim(doc_id=ids["ken"], kind="deployment", quote=f"=camera {i}", country="KEN",
                            technology="video_surveillance", extractor="test", extractor_version="1",
                            location=f"row={i}") for i in range(30)])
    store.close()
    real = ss.export_batch

    def small_batches(store: Any, query: Any, columns: Any, limit: int = 5000, after: Any = None,
                      text_safe: Any = ()) -> Any:
        calls.append(after)
        return real(store, query, columns, 4, after, text_safe)

    monkeypatch.setattr(ss, "export_batch", small_batches)
    return app_for(db)


async def _drive(app: Any, stop_after_chunks: int | None) -> list[bytes]:
    """Call the ASGI app for /api/claims.csv; with ``stop_after_chunks`` the client disconnects after that many."""
    chunks: list[bytes] = []
    gone = asyncio.Event()

    async def receive() -> dict[str, Any]:
        await gone.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body" and message.get("body"):
            chunks.append(message["body"])
            if stop_after_chunks is not None and len(chunks) >= stop_after_chunks:
                gone.set()
        if message["type"] == "http.response.body" and not message.get("more_body"):
            gone.set()

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": "/api/claims.csv", "raw_path": b"/api/claims.csv", "query_string": b"", "root_path": "",
             "headers": [(b"host", b"test")], "client": ("127.0.0.1", 1), "server": ("test", 80)}
    await asyncio.wait_for(app(scope, receive, send), 30)
    return chunks


def test_csv_streams_in_batches_read_by_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str | None] = []
    chunks = asyncio.run(_drive(_app(tmp_path, monkeypatch, calls), None))
    assert len(chunks) >= 8  # the first bytes went out long before the last batch was read
    assert chunks[0].startswith(b"id,kind,country")
    assert calls[0] is None and all(a is not None for a in calls[1:])  # each batch starts after the last id
    body = b"".join(chunks).decode()
    assert body.count("'=camera") == 30  # formulas neutralised


def test_a_client_that_goes_away_stops_the_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str | None] = []
    asyncio.run(_drive(_app(tmp_path, monkeypatch, calls), 2))
    assert len(calls) <= 4  # of 9 batches


def test_xlsx_goes_on_in_new_sheets_past_the_row_limit(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from survindex.export import xlsx
    from survindex.export.schema import Field, Schema

    schema = Schema(name="claims", title="t", fields=(Field("id", "string"), Field("n", "integer")))
    rows = [{"id": f"=c{i}", "n": i} for i in range(7)]
    path = xlsx.write(tmp_path / "c.xlsx", iter(rows), schema, per_sheet=3)
    wb = load_workbook(path, read_only=True)
    assert wb.sheetnames == ["claims", "claims_2", "claims_3"] == xlsx.sheet_names("claims", 7, 3)
    assert xlsx.read(path, schema) == rows  # text that looks like a formula stays text
    assert xlsx.sheet_names("claims", 2_000_000) == ["claims", "claims_2"]


@pytest.mark.parametrize("batch", [1, 3, 7, 50])
def test_export_batches_give_every_claim_once(any_db: str, batch: int) -> None:
    """Batches read by key (SQLite: rowid; PostgreSQL: id) give each matching claim exactly once, filters held."""
    from survindex.model import Document

    store = open_store(any_db)
    store.put_document(Document(id="doc-e", text="x"))
    store.put_claims([Claim(doc_id="doc-e", kind="deployment", quote=f"q{i}", country=("KEN", "PAK")[i % 2],
                            extractor="test", extractor_version="1", status=("accepted", "rejected")[i % 3 == 0])
                      for i in range(23)])
    for query in (ss.ClaimQuery(), ss.ClaimQuery(ss.ClaimFilter(country="KEN", status="accepted"))):
        ids: list[str] = []
        after = None
        while True:
            rows, after = ss.export_batch(store, query, ("id", "country"), batch, after)
            ids += [r[0] for r in rows]
            if after is None:
                break
        assert len(ids) == len(set(ids)) == ss.count(store, query)
        assert set(ids) == {r["id"] for r in ss.claim_rows(store, query, 100, 0)}
    store.close()


def test_driver_rows_equal_sqlalchemy_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite export batches of plain columns are read by the sqlite3 driver itself: the same rows, values and
    types as through SQLAlchemy, for every kind of filter (its parameters bound, lists expanded)."""
    from survindex import policy
    from survindex.model import Document
    from survindex.web.routes.api import _TEXT, CSV_COLUMNS

    store = open_store(str(tmp_path / "d.db"))
    store.put_document(Document(id="doc-d", text="x"))
    quotes = ("=SUM(A1) safe city", "+1 camera", "plain 'quoted' \"text\"", "-x, y")
    store.put_claims([Claim(doc_id="doc-d", kind=("deployment", "financing")[i % 2], extractor="t",
                            extractor_version="1", quote=quotes[i % 4] + f" {i}",
                            country=("KEN", "PAK", None)[i % 3], supplier=("Huawei", "@vendor", None)[i % 3],
                            year=(2018, None, 2021)[i % 3], confidence=(0.5, 0.91, 0.2)[i % 3],
                            amount_usd=(1.5e6, None)[i % 2], status=("accepted", "unreviewed", "rejected")[i % 3])
                      for i in range(40)])
    queries = [ss.ClaimQuery(), ss.ClaimQuery(ss.ClaimFilter(country="KEN", status="accepted")),
               ss.ClaimQuery(ss.ClaimFilter(year_from=2019, min_confidence=0.6)), ss.ClaimQuery(q="safe camera"),
               ss.ClaimQuery(countries=("KEN", "PAK")), ss.ClaimQuery(exclude_countries=("PAK",), q="camera")]

    def every(query: ss.ClaimQuery) -> list[Any]:
        out, after = [], None
        while True:
            rows, after = ss.export_batch(store, query, CSV_COLUMNS, 7, after, _TEXT)
            out += rows
            if after is None:
                return out

    assert ss._plain(CSV_COLUMNS)  # the CSV download's columns take the driver's way
    for shown in (policy.public(), policy.EVERYTHING):
        with policy.applied(shown):
            driver = [every(q) for q in queries]
            with monkeypatch.context() as m:
                m.setattr(ss, "_plain", lambda columns: False)
                through = [every(q) for q in queries]
            assert [[tuple(r) for r in rows] for rows in through] == driver
            assert [[list(map(type, r)) for r in rows] for rows in through] == [[list(map(type, r)) for r in rows]
                                                                                 for rows in driver]
            assert any(rows for rows in driver) and any(r[13].startswith("'=") for rows in driver for r in rows)
    store.close()


def test_formula_guard_in_sql_on_both_databases(any_db: str) -> None:
    """A text cell of an export batch gets a leading ``'`` exactly when it starts a spreadsheet formula (each of
    ``FORMULA_STARTS``), whatever else it starts with (other ASCII, accented letters, emoji) or holds."""
    from survindex.model import Document

    starts = [*ss.FORMULA_STARTS, "a", "'", "é", "Ω", "😀", " =", "1+"]
    store = open_store(any_db)
    store.put_document(Document(id="doc-g", text="x"))
    store.put_claims([Claim(doc_id="doc-g", kind="deployment", quote=f"{first}rest {i}", supplier=first or None,
                            extractor="t", extractor_version="1") for i, first in enumerate(starts)])
    rows, _ = ss.export_batch(store, ss.ClaimQuery(), ("quote", "supplier"), 100, None, ("quote", "supplier"))
    store.close()
    got = {quote.rsplit(" ", 1)[1]: (quote, supplier) for quote, supplier in rows}
    for i, first in enumerate(starts):
        guard = "'" if first in ss.FORMULA_STARTS else ""
        assert got[str(i)] == (f"{guard}{first}rest {i}", f"{guard}{first}"), first
