"""Issue 11 items 2-4: read-only databases, storage failures, bounded downloads, idempotent re-runs and stale runs."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from click.testing import CliRunner

from survindex.cli import cli
from survindex.ingest import IngestError
from survindex.ingest.fetch import Fetcher
from survindex.model import Claim, Document
from survindex.store import StorageError, open_store
from survindex.store import safety
from tests.helpers import http_server

PY = sys.executable


def _demo_db(path: Path) -> str:
    db = str(path / "x.db")
    store = open_store(db)
    doc = Document.from_text("Huawei supplied safe city cameras to Nairobi in 2015.", source="t")
    store.put_document(doc)
    store.put_claims([Claim(doc_id=doc.id, kind="deployment", country="KEN", technology="safe_city",
                            supplier="Huawei", quote="Huawei supplied safe city cameras", start=0, end=33,
                            extractor="t", extractor_version="1", status="accepted")])
    with store.engine.connect() as c:  # a checkpoint leaves the WAL empty: the file alone holds everything
        c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    for extra in ("-wal", "-shm"):
        Path(db + extra).unlink(missing_ok=True)
    return db


def _digest(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_read_commands_never_write(tmp_path: Path) -> None:
    db = _demo_db(tmp_path)
    before = _digest(db)
    runner = CliRunner()
    assert runner.invoke(cli, ["stats", "--db", db, "--json"]).exit_code == 0
    result = runner.invoke(cli, ["build", "--db", db, "--out", str(tmp_path / "site"), "--quiet"])
    assert result.exit_code == 0, result.output
    assert _digest(db) == before
    store = open_store(db, read_only=True)
    with pytest.raises(StorageError, match="read-only"):
        store.put_document(Document.from_text("another text", source="t"))
    store.close()


def test_read_only_directory_uses_immutable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A directory SQLite cannot write into (no -shm, no -wal can be made) is opened immutable."""
    db = _demo_db(tmp_path)
    real_access = os.access
    monkeypatch.setattr(safety.os, "access", lambda p, mode: False if mode == os.W_OK else real_access(p, mode))
    url, _args = safety.read_only_url(f"sqlite:///{db}")
    assert "immutable=1" in url
    result = CliRunner().invoke(cli, ["stats", "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.db"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anything: file permissions mean nothing")
def test_read_only_file_and_directory(tmp_path: Path) -> None:
    db = _demo_db(tmp_path)
    os.chmod(db, 0o444)
    os.chmod(tmp_path, 0o555)
    try:
        runner = CliRunner()
        assert runner.invoke(cli, ["stats", "--db", db]).exit_code == 0
        result = runner.invoke(cli, ["build", "--db", db, "--out", str(tmp_path.parent / "site-ro"), "--quiet"])
        assert result.exit_code == 0, result.output
    finally:
        os.chmod(tmp_path, 0o755)


def test_writing_a_read_only_database_is_one_error_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = _demo_db(tmp_path)
    monkeypatch.setattr("survindex.store.opening.Store", lambda name: safety_store(name))
    text = tmp_path / "a.txt"
    text.write_text("Hikvision cameras were installed in Kampala by the police in 2019.", encoding="utf-8")
    result = CliRunner().invoke(cli, ["ingest", str(text), "--db", db, "--no-progress"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "Error: cannot write to" in result.output and "read-only" in result.output


def safety_store(name: str) -> object:
    from survindex.store.core import Store

    return Store(name, read_only=True)


def test_schema_too_new_is_one_error_line(db_path: str) -> None:
    store = open_store(db_path)
    with store.transaction() as c:
        c.exec_driver_sql("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    store.close()
    result = CliRunner().invoke(cli, ["stats", "--db", db_path])
    assert result.exit_code == 1 and "upgrade survindex" in result.output
    assert isinstance(result.exception, SystemExit)  # the one error line, no traceback


def test_killed_run_is_marked_interrupted(any_db: str) -> None:
    code = ("import os, signal; from survindex.store import open_store; s = open_store(%r); "
            "s.start_run('run-killed', 'ingest x'); os.kill(os.getpid(), signal.SIGKILL)") % any_db
    proc = subprocess.run([PY, "-c", code], timeout=60)
    assert proc.returncode == -signal.SIGKILL
    store = open_store(any_db)
    try:
        assert store.start_run("run-next", "ingest y") == 1
        with store.engine.connect() as c:
            rows = dict(c.exec_driver_sql("SELECT id, status FROM runs").all())
        assert rows == {"run-killed": "interrupted", "run-next": "running"}
    finally:
        store.close()


def test_concurrent_ingests_count_each_new_document_once(any_db: str, tmp_path: Path) -> None:
    tree = tmp_path / "docs"
    tree.mkdir()
    for i in range(400):
        (tree / f"d{i:03d}.txt").write_text(f"Report {i}: cameras number {i * 7919} were installed in district {i}.",
                                            encoding="utf-8")
    open_store(any_db).close()
    code = ("import json, sys; from survindex.store import open_store; from survindex.ingest import ingest_paths; "
            "s = open_store(sys.argv[1]); r = ingest_paths(s, [sys.argv[2]], progress=False); "
            "print(json.dumps([r.new, r.duplicates, len(r.errors)]))")
    procs = [subprocess.Popen([PY, "-c", code, any_db, str(tree)], stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "SURVINDEX_CACHE_DIR": "off"}) for _ in range(2)]
    import json

    results = [json.loads(p.communicate(timeout=300)[0]) for p in procs]
    assert sum(r[0] for r in results) == 400 and all(r[2] == 0 for r in results), results
    store = open_store(any_db)
    assert store.table_counts()["documents"] == 400
    store.close()


def test_extract_reruns_do_not_inflate_mentions(any_db: str) -> None:
    store = open_store(any_db)
    try:
        docs = [Document.from_text(f"Acme Vision Ltd sold cameras to Kenya, report {i}.", source="t") for i in (1, 2)]
        for _run in range(3):
            for doc in docs:
                store.put_document(doc)
                claim = Claim(doc_id=doc.id, kind="deployment", country="KEN", technology="video_surveillance",
                              supplier="Acme Vision Ltd", supplier_resolved=False, quote="Acme Vision Ltd sold",
                              start=0, end=20, extractor="t", extractor_version="1", status="unreviewed")
                store.put_claims([claim, claim])
                store.propose_entity("company", "Acme Vision Ltd", None, doc.id)
                store.propose_entity("company", "Acme Vision Ltd", None, doc.id)
        assert [(e["name"], e["mentions"]) for e in store.entities()] == [("Acme Vision Ltd", 2)]
    finally:
        store.close()


class Slow(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/robots.txt":
            self.send_response(404)
            self.end_headers()
            return
        if self.path == "/busy":
            self.send_response(503)
            self.send_header("Retry-After", "180")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "1000")
        self.end_headers()
        try:
            for _ in range(1000):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.3)
        except OSError:
            pass


@pytest.fixture
def slow_server() -> Iterator[str]:
    with http_server(Slow) as base:
        yield base


def test_byte_a_time_server_is_cut_at_the_total_deadline(slow_server: str) -> None:
    started = time.monotonic()
    with Fetcher(allow_private=True, rate=0.0, timeout=5.0, total_seconds=1.5) as f:
        with pytest.raises(IngestError, match="longer than 1.5 s"):
            f.get(f"{slow_server}/drip")
    assert time.monotonic() - started < 3


def test_long_retry_after_is_not_waited(slow_server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SURVINDEX_RETRY_AFTER_MAX", "2")
    started = time.monotonic()
    with Fetcher(allow_private=True, rate=0.0) as f:
        with pytest.raises(IngestError, match="HTTP 503"):
            f.get(f"{slow_server}/busy")
    assert time.monotonic() - started < 2


def test_storage_errors_are_classified() -> None:
    import sqlite3

    assert safety.classify(sqlite3.OperationalError("database or disk is full")) == "the disk is full"
    assert safety.classify(sqlite3.OperationalError("attempt to write a readonly database")) == \
        "the database is read-only"
    assert safety.classify(sqlite3.OperationalError("no such table: x")) is None
    assert safety.classify(OSError(28, "No space left on device")) == "the disk is full"


def test_read_only_store_on_every_database(any_db: str) -> None:
    store = open_store(any_db)
    store.put_document(Document.from_text("Huawei supplied cameras to Nairobi police in 2015.", source="t"))
    store.close()
    reader = open_store(any_db, read_only=True)
    try:
        assert reader.table_counts()["documents"] == 1
        with pytest.raises(StorageError, match="read-only"):
            reader.put_document(Document.from_text("another text entirely", source="t"))
    finally:
        reader.close()
