"""``survindex extract``: JSONL in and out, stdin/stdout, and the store path (--db)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from survindex.cli import cli
from survindex.model import Document
from survindex.store import open_store

DOCS = [
    {"id": "d1", "text": "The Nairobi police installed 1,800 CCTV cameras from Huawei in 2018.", "url": "http://x"},
    {"id": "d2", "text": "In 2013, the Dona Ana County Sheriff's Department purchased truck-mounted camera systems "
                         "from the Strongwatch Corporation."},
    {"id": "d3", "text": "Rain fell on the hills."},
]
REQUIRED = ("doc_id", "kind", "country", "supplier", "supplier_country", "technology", "aigs_category", "financier",
            "flow_type", "amount", "currency", "year", "stage", "count", "qualifier", "quote", "start", "end",
            "confidence", "extractor", "extractor_version", "id", "subject", "total", "original", "status", "negated")


def _jsonl(rows: list[dict]) -> str:
    return "".join(json.dumps(r) + "\n" for r in rows)


def test_extract_stdin_to_stdout_has_the_contract_fields() -> None:
    result = CliRunner().invoke(cli, ["extract"], input=_jsonl(DOCS) + "\n{broken\n")
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in result.stdout.splitlines() if x.startswith("{")]
    assert {c["doc_id"] for c in lines} == {"d1", "d2"}
    for c in lines:
        assert set(REQUIRED) <= set(c)
        assert DOCS[int(c["doc_id"][1]) - 1]["text"][c["start"]:c["end"]] == c["quote"]
    d1 = [c for c in lines if c["doc_id"] == "d1"][0]
    assert (d1["country"], d1["supplier"], d1["technology"], d1["year"]) == ("KEN", "Huawei", "video_surveillance", 2018)
    assert "line 5: not JSON" in result.stderr


def test_a_lone_surrogate_in_a_document_gives_valid_json_not_a_crash(tmp_path: Path) -> None:
    doc = '{"id": "s1", "text": "x \\ud800 y: Hikvision cameras used by police in Peru."}\n'
    for workers in ("1", "2"):
        out = tmp_path / f"claims{workers}.jsonl"
        result = CliRunner().invoke(cli, ["extract", "-o", str(out), "--workers", workers], input=doc)
        assert result.exit_code == 0, result.output
        claims = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
        assert claims and claims[0]["country"] == "PER" and claims[0]["quote"].startswith("x \ud800 y")


def test_extract_files_and_workers_agree(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(_jsonl(DOCS * 20), encoding="utf-8")
    outs = []
    for workers in ("1", "2"):
        out = tmp_path / f"out{workers}.jsonl"
        result = CliRunner().invoke(cli, ["extract", "-i", str(src), "-o", str(out), "--workers", workers,
                                          "--batch-size", "7"])
        assert result.exit_code == 0, result.output
        outs.append(out.read_text(encoding="utf-8"))
    assert outs[0] == outs[1] and outs[0].count("\n") > 20


def test_extract_missing_input_file_fails_cleanly(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["extract", "-i", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot read")


def test_extract_db_reads_documents_and_stores_unreviewed_claims(db_path: str) -> None:
    store = open_store(db_path)
    for d in DOCS:
        store.put_document(Document.from_text(d["text"], title=None))
    dup = Document.from_text("The Nairobi police installed CCTV cameras. (copy)",
                             duplicate_of=Document.from_text(DOCS[0]["text"]).id)
    store.put_document(dup)
    result = CliRunner().invoke(cli, ["extract", "--db", db_path, "--batch-size", "1"])
    assert result.exit_code == 0, result.output
    claims = list(store.claims())
    assert claims and all(c.status == "unreviewed" for c in claims)
    assert dup.id not in {c.doc_id for c in claims}
    assert {c.country for c in claims} == {"KEN", "USA"}
    assert any(e["name"] == "Strongwatch Corporation" and e["status"] == "proposed" for e in store.entities())
    again = CliRunner().invoke(cli, ["extract", "--db", db_path])
    assert again.exit_code == 0 and len(list(store.claims())) == len(claims)  # idempotent
    assert "0 new claims" in again.stderr


def test_unreachable_scheduler_is_a_clean_error(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import socket

    from survindex.runner import pool

    monkeypatch.setattr(pool, "CONNECT_TIMEOUT", "2s")
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = CliRunner().invoke(cli, ["extract", "--scheduler", f"tcp://127.0.0.1:{port}"], input=_jsonl(DOCS))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: cannot run on scheduler tcp://127.0.0.1:{port}")
