"""Named, append-only migrations: a database written by the previous release migrates with its data and review
decisions intact, a fresh database and a migrated one end with the same schema (and the one `schema.py`
describes), a newer database is refused untouched, and processes opening a new database at once take turns."""

from __future__ import annotations

import multiprocessing
import shutil
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from survindex.store import open_store
from survindex.store import schema as s
from survindex.store.core import SchemaTooNew, Store
from survindex.store.migrations import MIGRATIONS, SCHEMA_VERSION

FIXTURE = Path(__file__).parent / "fixtures" / "store" / "schema-v2.db"


def _shape(store: Store) -> dict[str, Any]:
    insp = sa.inspect(store.engine)
    out: dict[str, Any] = {}
    for table in sorted(insp.get_table_names()):
        if table.endswith(("_fts", "_data", "_idx", "_docsize", "_config", "_content")):
            continue  # SQLite's FTS5 shadow tables
        out[table] = (sorted((c["name"], str(c["type"]).split("(")[0], c["nullable"])
                             for c in insp.get_columns(table)),
                      sorted((i["name"], tuple(i["column_names"])) for i in insp.get_indexes(table)))
    return out


def test_migrations_are_numbered_and_named() -> None:
    assert [m.number for m in MIGRATIONS] == list(range(1, SCHEMA_VERSION + 1))
    assert MIGRATIONS[0].name == "initial" and all(m.name for m in MIGRATIONS)


def test_database_of_previous_release_migrates_with_data_and_reviews(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    shutil.copy(FIXTURE, db)
    store = open_store(str(db))
    with store.engine.connect() as c:
        assert s.current_version(c) == SCHEMA_VERSION
        names = c.execute(sa.select(s.meta.c.value).where(s.meta.c.key == "migrations")).scalar_one()
    assert names.split(",") == [m.name for m in MIGRATIONS]
    claims = list(store.claims())
    assert len(claims) == 5
    assert sorted(c.status for c in claims) == ["accepted", "accepted", "rejected", "unreviewed", "unreviewed"]
    for c in claims:  # every stored id still resolves, corrected claims included
        assert store.get_claim(c.id)[0].id == c.id
    corrected = [c for c in claims if c.original.get("stage")]
    assert corrected and all(c.stage == "operational" for c in corrected)
    assert len(store.history()) == 3 and store.entities()[0]["name"] == "Acme Surveillance"
    assert store.migrate() == SCHEMA_VERSION  # idempotent


def test_fresh_and_migrated_schemas_are_the_same_and_match_schema_py(any_db: str, tmp_path: Path) -> None:
    stepwise = Store(any_db)
    for n in range(1, SCHEMA_VERSION + 1):
        assert stepwise.migrate(to=n) == n
    if any_db.startswith("postgresql"):
        fresh_shape = _shape(stepwise)  # one private schema per test: compare against schema.py only
    else:
        fresh = Store(str(tmp_path / "fresh.db"))
        fresh.migrate()
        fresh_shape = _shape(fresh)
        assert _shape(stepwise) == fresh_shape
    for table in s.metadata.sorted_tables:
        columns = {c[0] for c in fresh_shape[table.name][0]} - {"fts"}
        assert columns == set(table.columns.keys()), table.name


def test_database_of_newer_schema_is_refused_and_left_alone(db_path: str) -> None:
    store = open_store(db_path)
    with store.transaction() as c:
        c.execute(sa.update(s.meta).where(s.meta.c.key == "schema_version").values(value=str(SCHEMA_VERSION + 5)))
    before = Path(db_path).read_bytes()
    with pytest.raises(SchemaTooNew, match="upgrade survindex"):
        open_store(db_path)
    assert Path(db_path).read_bytes() == before


def _open(path: str) -> int:
    return Store(path).migrate()


def test_processes_opening_a_new_database_at_once_take_turns(tmp_path: Path) -> None:
    for attempt in range(3):
        path = str(tmp_path / f"new{attempt}.db")
        with multiprocessing.get_context("spawn").Pool(8) as pool:
            assert pool.map(_open, [path] * 8) == [SCHEMA_VERSION] * 8


def test_a_new_file_is_put_in_wal_mode_when_another_process_lets_go_of_it(tmp_path: Path) -> None:
    """SQLite refuses the switch to WAL at once, busy timeout or not, while another connection holds the file's
    reserved lock (a process migrating a new database): the opening connection tries again meanwhile."""
    import sqlite3
    import threading

    path = tmp_path / "held.db"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    threading.Timer(0.3, holder.execute, ("COMMIT",)).start()
    store = Store(str(path))
    try:
        with store.read() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
    finally:
        store.close()
        holder.close()
