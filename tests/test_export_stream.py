"""Exports stream: the CSV download's first bytes arrive before the rest is read, batches are read by key, and a
client that goes away stops the export (no more batches are read)."""

from __future__ import annotations

import asyncio
import csv
import io
import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survindex.model import Claim, Document
from survindex.model.records import STAGES
from survindex.store import csvlines, open_store
from survindex.store import search as ss
from survindex.web.routes.api import _TEXT, CSV_COLUMNS
from tests.test_web_support import app_for, seed


def _app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, calls: list[str | None]) -> Any:
    db = str(tmp_path / "s.db")
    ids = seed(db)
    store = open_store(db)
    store.put_claims([Claim(doc_id=ids["ken"], kind="deployment", quote=f"=camera {i}", country="KEN",
                            technology="video_surveillance", extractor="test", extractor_version="1",
                            location=f"row={i}") for i in range(30)])
    store.close()
    real = csvlines.csv_lines

    def small_batches(store: Any, query: Any, columns: Any, safe: Any = (), limit: int = 5000) -> Any:
        for chunk in real(store, query, columns, safe, 4):
            calls.append(chunk)
            yield chunk

    monkeypatch.setattr(csvlines, "csv_lines", small_batches)
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
    calls: list[bytes] = []
    chunks = asyncio.run(_drive(_app(tmp_path, monkeypatch, calls), None))
    assert len(chunks) >= 8  # the first bytes went out long before the last batch was read
    assert chunks[0].startswith(b"id,kind,country")
    assert len(calls) == 9 and all(c.count(b"\r\n") == 4 for c in calls[:-1])  # 34 claims, 4 a batch
    body = b"".join(chunks).decode()
    assert body.count("'=camera") == 30  # formulas neutralised
    assert len(list(csv.reader(io.StringIO(body)))) == 35


def test_a_client_that_goes_away_stops_the_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[bytes] = []
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


def _every_line(store: Any, query: ss.ClaimQuery, columns: tuple[str, ...], safe: tuple[str, ...] = (),
                limit: int = 5000) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(csvlines.csv_lines(store, query, columns, safe, limit)).decode(),
                                       newline="")))


@pytest.mark.parametrize("batch", [1, 3, 7, 50])
def test_export_batches_give_every_claim_once(any_db: str, batch: int) -> None:
    """Batches read by key (SQLite: rowid; PostgreSQL: id) give each matching claim exactly once, filters held."""
    store = open_store(any_db)
    store.put_document(Document(id="doc-e", text="x"))
    store.put_claims([Claim(doc_id="doc-e", kind="deployment", quote=f"q{i}", country=("KEN", "PAK")[i % 2],
                            extractor="test", extractor_version="1", status=("accepted", "rejected")[i % 3 == 0],
                            location=str(i)) for i in range(23)])
    assert ss.count(store, ss.ClaimQuery()) == 23
    for query in (ss.ClaimQuery(), ss.ClaimQuery(ss.ClaimFilter(country="KEN", status="accepted"))):
        ids = [r[0] for r in _every_line(store, query, ("id", "country"), limit=batch)]
        assert len(ids) == len(set(ids)) == ss.count(store, query)
        assert set(ids) == {r["id"] for r in ss.claim_rows(store, query, 100, 0)}
    store.close()


def test_an_export_let_go_lets_go_of_its_connection(any_db: str) -> None:
    """An export closed half-way (its client gone) holds no database connection (PostgreSQL reads through a
    server-side cursor on one)."""
    store = open_store(any_db)
    store.put_document(Document(id="doc-c", text="x"))
    store.put_claims([Claim(doc_id="doc-c", kind="deployment", quote=f"q{i}", extractor="t", extractor_version="1",
                            location=str(i))
                      for i in range(10)])
    lines = csvlines.csv_lines(store, ss.ClaimQuery(), ("id", "quote"), limit=3)
    assert next(lines).count(b"\r\n") == 3
    lines.close()
    assert store.engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    store.close()


def _reference(store: Any, query: ss.ClaimQuery, columns: tuple[str, ...], safe: tuple[str, ...]) -> bytes:
    """The CSV as Python writes it: the values read through SQLAlchemy (SQLite in rowid order, as the export),
    guarded, ``csv.writer``."""
    from sqlalchemy import literal_column, select

    from survindex.export.cells import neutralise
    from survindex.store import schema

    key: Any = literal_column("claims.rowid" if store.dialect == "sqlite" else "claims.id")
    with store.engine.connect() as conn:
        rows = conn.execute(select(*[schema.claims.c[n] for n in columns])
                            .where(*ss.conditions(store, query)).order_by(key)).all()
    out = io.StringIO()
    csv.writer(out).writerows([neutralise(v) if n in safe else v for n, v in zip(columns, r)] for r in rows)
    return out.getvalue().encode()


_TEXT_VALUES = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12)
_CELL_TEXT = st.one_of(_TEXT_VALUES, st.sampled_from(['=1+1', '-5', '@x', '\tx', '\rx', 'a"b', 'a,b', 'l1\nl2', '""']))
_FLOATS = st.one_of(st.floats(allow_nan=False), st.sampled_from([0.0, -0.0, 1 / 3, 0.1 + 0.2, 1e-4, 9.99e-5, 1e15,
                                                                   999999999999999.9, 123000000.0, 0.85]))


@given(st.lists(st.tuples(_CELL_TEXT, st.one_of(st.none(), _CELL_TEXT), st.one_of(st.none(), _FLOATS), _FLOATS,
                          st.one_of(st.none(), st.integers(-2**31, 2**31 - 1)), st.sampled_from(STAGES)),
                min_size=1, max_size=6))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_database_lines_are_csv_writers_lines(any_db: str, values: list[tuple[Any, ...]]) -> None:
    """Whatever the values (quotes, commas, line breaks, formula starts, any Unicode; floats of every size and
    precision, infinities; NULLs), the lines the database writes are byte for byte ``csv.writer``'s."""
    store = open_store(any_db)
    store.put_document(Document(id="doc-h", text="x"))
    store.put_claims([Claim(doc_id="doc-h", kind="deployment", quote=quote, supplier=supplier, amount_usd=amount,
                            confidence=confidence, year=year, stage=stage, extractor="t", extractor_version="1",
                            location=str(i)) for i, (quote, supplier, amount, confidence, year, stage)
                      in enumerate(values)])
    want = _reference(store, ss.ClaimQuery(), CSV_COLUMNS, _TEXT)
    for limit in (1, 5000):
        got = b"".join(csvlines.csv_lines(store, ss.ClaimQuery(), CSV_COLUMNS, _TEXT, limit))
        assert sorted(_records(got)) == sorted(_records(want))  # each claim's line, byte for byte
        assert got == want or store.dialect != "sqlite"  # PostgreSQL: in the order of the plan it chose
    store.close()


def _records(data: bytes) -> list[bytes]:
    """The bytes of each record of a CSV file, as ``csv.reader`` delimits them."""
    taken: list[str] = []

    def lines() -> Iterator[str]:
        for text in io.StringIO(data.decode(), newline=""):
            taken.append(text)
            yield text

    out = []
    for _ in csv.reader(lines()):
        out.append("".join(taken).encode())
        taken.clear()
    return out


def test_every_kind_of_filter_through_the_compiled_statement(any_db: str) -> None:
    """The export's statement, compiled once for all its batches (SQLite) with its parameters bound and lists
    expanded, gives for every kind of filter and both policies the claims a plain SQLAlchemy read gives."""
    from survindex import policy

    store = open_store(any_db)
    store.put_document(Document(id="doc-d", text="x"))
    quotes = ("=SUM(A1) safe city", "+1 camera", "plain 'quoted' \"text\"", "-x, y")
    store.put_claims([Claim(doc_id="doc-d", kind=("deployment", "financing")[i % 2], extractor="t",
                            extractor_version="1", quote=quotes[i % 4] + f" {i}",
                            country=("KEN", "PAK", None)[i % 3], supplier=("Huawei", "@vendor", None)[i % 3],
                            year=(2018, None, 2021)[i % 3], confidence=(0.5, 0.91, 0.2)[i % 3],
                            amount_usd=(1.5e6, None)[i % 2], status=("accepted", "unreviewed", "rejected")[i % 3],
                            location=str(i)) for i in range(40)])
    assert ss.count(store, ss.ClaimQuery()) == 40
    queries = [ss.ClaimQuery(), ss.ClaimQuery(ss.ClaimFilter(country="KEN", status="accepted")),
               ss.ClaimQuery(ss.ClaimFilter(year_from=2019, min_confidence=0.6)), ss.ClaimQuery(q="safe camera"),
               ss.ClaimQuery(countries=("KEN", "PAK")), ss.ClaimQuery(exclude_countries=("PAK",), q="camera")]
    for shown in (policy.public(), policy.EVERYTHING):
        with policy.applied(shown):
            for query in queries:
                got = b"".join(itertools.islice(csvlines.csv_lines(store, query, CSV_COLUMNS, _TEXT, 7), 50))
                want = _reference(store, query, CSV_COLUMNS, _TEXT)
                assert sorted(_records(got)) == sorted(_records(want)), query
                assert got == want or store.dialect != "sqlite"
            assert b"'=SUM" in b"".join(csvlines.csv_lines(store, ss.ClaimQuery(), CSV_COLUMNS, _TEXT))
    store.close()


def test_vocabulary_keys_need_no_quoting() -> None:
    """The vocabulary columns are written unchecked (``csvlines.VOCABULARY``): every key is a plain word."""
    from survindex.model import vocabulary
    from survindex.model.records import CLAIM_KINDS, STATUSES, TECHNOLOGY_KEYS

    keys = {*CLAIM_KINDS, *STATUSES, *STAGES, *TECHNOLOGY_KEYS, *filter(None, map(vocabulary().aigs_for,
                                                                                    TECHNOLOGY_KEYS))}
    assert keys and all(re.fullmatch(r"[a-z0-9_]+", k) for k in keys)
    assert set(csvlines.VOCABULARY) <= set(CSV_COLUMNS)


def test_formula_guard_in_sql_on_both_databases(any_db: str) -> None:
    """A text cell of the export gets a leading ``'`` exactly when it starts a spreadsheet formula (each of
    ``FORMULA_STARTS``), whatever else it starts with (other ASCII, accented letters, emoji) or holds."""
    starts = [*csvlines.FORMULA_STARTS, "a", "'", "é", "Ω", "😀", " =", "1+"]
    store = open_store(any_db)
    store.put_document(Document(id="doc-g", text="x"))
    store.put_claims([Claim(doc_id="doc-g", kind="deployment", quote=f"{first}rest {i}", supplier=first or None,
                            extractor="t", extractor_version="1") for i, first in enumerate(starts)])
    rows = _every_line(store, ss.ClaimQuery(), ("quote", "supplier"), ("quote", "supplier"))
    store.close()
    got = {quote.rsplit(" ", 1)[1]: (quote, supplier) for quote, supplier in rows}
    for i, first in enumerate(starts):
        guard = "'" if first in csvlines.FORMULA_STARTS else ""
        assert got[str(i)] == (f"{guard}{first}rest {i}", f"{guard}{first}"), first
