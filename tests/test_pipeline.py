"""The whole pipeline on real files: import, ingest, extract, index, build — twice, with identical rows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from click.testing import CliRunner

from survindex.cli import cli
from survindex.store import open_store
from survindex.store.core import database_url

RUN_LOGS = {"runs", "errors", "audit_log"}  # logs of what happened, not data


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _dump(db: str) -> dict[str, list[Any]]:
    eng = sa.create_engine(database_url(db))
    meta = sa.MetaData()
    meta.reflect(eng)
    out: dict[str, list[Any]] = {}
    with eng.connect() as c:
        for name, table in sorted(meta.tables.items()):
            if name in RUN_LOGS or "fts" in name or name == "meta":  # FTS shadow tables are an index
                continue
            cols = [col for col in table.columns if col.name not in ("ingested_at", "created_at")]
            out[name] = sorted(map(tuple, c.execute(sa.select(*cols))), key=repr)
    eng.dispose()
    return out


def _pipeline(db: str, shared: Path) -> None:
    _run("import", "table", str(shared / "data/aigs-p5js/cleaned-global2.csv"), "--db", db, "--country-column",
         "Country", "--column", "safeCity=safe_city", "--column", "facialRec=facial_recognition",
         "--column", "smartPoli=smart_policing", "--column", "smSurv=social_media_monitoring")
    _run("ingest", str(shared / "seed"), "--db", db, "--no-progress")
    _run("extract", "--db", db)


def test_pipeline_is_idempotent_and_traceable(tmp_path: Path, shared: Path) -> None:
    db = str(tmp_path / "p.db")
    _pipeline(db, shared)
    first = _dump(db)
    _pipeline(db, shared)
    assert _dump(db) == first

    stats = json.loads(_run("stats", "--db", db, "--json", "--status", "all"))
    assert stats["countries"] == 97
    published = {(f["subject"], f["published"]) for f in stats["published_figures"]}
    assert {("supplier", 50), ("supplier_country", 63), ("bri", 36)} <= published

    store = open_store(db)
    seed_claims = [c for c in store.claims() if c.extractor.startswith("survindex.extract")]
    assert seed_claims and all(c.status == "unreviewed" for c in seed_claims)
    for c in seed_claims:  # every extracted claim leads to its exact sentence
        assert store.get_document(c.doc_id).text[c.start:c.end] == c.quote

    out = tmp_path / "site"
    _run("build", "--db", db, "--out", str(out), "--status", "all")
    assert (out / "index.html").is_file() and (out / "data" / "datapackage.json").is_file()
