"""The fault suite (issue 11): survindex tested the way SQLite and PostgreSQL test themselves.

1. Kills: ``ingest``, ``import atlas`` and ``extract --db`` are killed with SIGKILL at random points (several times
   per step), then run again to completion; the database is compared row by row with a clean run.
2. Hostile inputs: hypothesis-generated files for every reader (text, Markdown, HTML, PDF, DOCX, JSONL, feeds) and
   every importer path (CSV in several encodings with stray quotes, damaged XLSX, zip bombs); a crash is any
   exception other than the named errors; rows lost are CSV rows written but not read.
3. Concurrent writers: several ingests and imports of overlapping inputs at once, on SQLite and (with
   SURVINDEX_TEST_PG_URL) PostgreSQL; afterwards the database must equal the clean run's.

    python benchmarks/faults.py                      # the full suite: >= 50 kills, >= 5,000 hostile inputs
    python benchmarks/faults.py --quick              # what tests/test_faults.py runs

It prints runs, kills, inputs tried, crashes, rows lost and differences from a clean run; all but the first three
must be zero (exit status 1 otherwise).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SURVINDEX = [sys.executable, "-c", "from survindex.cli import main; main()"]
ATLAS = ROOT.parent / "shared" / "data" / "eff-aos-border-campus" / "aos-bordercounties_-_01.10.2020.csv"
FALLBACK_ATLAS = ROOT / "tests" / "fixtures" / "import" / "atlas_campus.csv"
TABLES = ("documents", "blobs", "claims", "entities", "extractions", "cases", "case_aliases", "case_dirty", "reviews")
VOLATILE = {"ingested_at", "created_at", "at", "updated_at"}
ENV = {**os.environ, "SURVINDEX_CACHE_DIR": os.environ.get("SURVINDEX_CACHE_DIR", "off")}


@dataclass
class Figures:
    runs: int = 0
    kills: int = 0
    inputs: int = 0
    crashes: int = 0
    rows_lost: int = 0
    differences: int = 0
    peak_mb: float = 0.0
    notes: list[str] = field(default_factory=list)

    def add(self, other: "Figures") -> None:
        for k in ("runs", "kills", "inputs", "crashes", "rows_lost", "differences"):
            setattr(self, k, getattr(self, k) + getattr(other, k))
        self.peak_mb = max(self.peak_mb, other.peak_mb)
        self.notes += other.notes

    def ok(self) -> bool:
        return self.crashes == 0 and self.rows_lost == 0 and self.differences == 0


# -- the corpus ------------------------------------------------------------------------------------------------
COMPANIES = ("Huawei", "ZTE", "Hikvision", "Dahua", "NEC", "SenseTime", "Megvii", "Acme Vision Ltd", "Cellebrite")
PLACES = (("Kenya", "Nairobi"), ("Uganda", "Kampala"), ("Ecuador", "Quito"), ("Serbia", "Belgrade"),
          ("Pakistan", "Lahore"), ("Zambia", "Lusaka"), ("Bolivia", "La Paz"), ("Malaysia", "Kuala Lumpur"))
TECH = ("facial recognition cameras", "a safe city system", "CCTV cameras", "smart policing software",
        "license plate readers", "phone extraction tools")


def make_corpus(folder: Path, n: int, seed: int) -> Path:
    """``n`` short news texts naming suppliers, places and technologies; every tenth nearly repeats another."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    texts: list[str] = []
    for i in range(n):
        if i % 10 == 9 and texts:
            text = rng.choice(texts).replace(".", "!", 1)  # a near duplicate
        else:
            company, (country, city), tech = rng.choice(COMPANIES), rng.choice(PLACES), rng.choice(TECH)
            year = rng.randint(2010, 2023)
            text = (f"In {year} {company} supplied {tech} to the police of {city}, {country}, officials said. "
                    f"The contract number {rng.randrange(10**6)} was signed with the interior ministry of {country}. "
                    f"Report {i}: critics warned about privacy.")
        texts.append(text)
        (folder / f"doc{i:04d}.txt").write_text(text, encoding="utf-8")
    return folder


def steps(corpus: Path, atlas: Path) -> list[tuple[str, list[str]]]:
    return [("ingest", ["ingest", str(corpus), "--no-progress"]), ("import", ["import", "atlas", str(atlas)]),
            ("extract", ["extract", "--batch-size", "20"])]


# -- databases ---------------------------------------------------------------------------------------------------
@contextmanager
def fresh_db(kind: str, work: Path) -> Iterator[str]:
    """A new SQLite file, or a new schema in the PostgreSQL database of SURVINDEX_TEST_PG_URL."""
    if kind == "sqlite":
        yield str(work / f"db-{uuid.uuid4().hex[:8]}.db")
        return
    import sqlalchemy as sa

    from survindex.store.core import database_url

    url = os.environ["SURVINDEX_TEST_PG_URL"]
    name = "f_" + uuid.uuid4().hex[:12]
    eng = sa.create_engine(database_url(url))
    with eng.begin() as c:
        c.execute(sa.text(f'CREATE SCHEMA "{name}"'))
    try:
        yield f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{name}"
    finally:
        with eng.begin() as c:
            c.execute(sa.text(f'DROP SCHEMA "{name}" CASCADE'))
        eng.dispose()


def snapshot(db: str) -> dict[str, dict[str, str]]:
    """Every row of the compared tables, keyed by primary key, without time stamps, as canonical JSON."""
    import sqlalchemy as sa

    from survindex.store import open_store
    from survindex.store import schema as s

    store = open_store(db)
    out: dict[str, dict[str, str]] = {}
    try:
        with store.engine.connect() as c:
            for name in TABLES:
                table = s.metadata.tables[name]
                keys = [col.name for col in table.primary_key.columns]
                cols = [col for col in table.columns if col.name not in VOLATILE]
                rows = c.execute(sa.select(*cols)).mappings()
                out[name] = {json.dumps([r[k] for k in keys], default=str):
                             json.dumps(dict(r), sort_keys=True, default=_plain) for r in rows}
    finally:
        store.close()
    return out


def _plain(value: Any) -> Any:
    return value.hex() if isinstance(value, (bytes, memoryview)) else str(value)


def compare(clean: dict[str, dict[str, str]], got: dict[str, dict[str, str]], label: str) -> Figures:
    f = Figures()
    for name, rows in clean.items():
        other = got.get(name, {})
        lost = [k for k in rows if k not in other]
        extra = [k for k in other if k not in rows]
        changed = [k for k in rows if k in other and other[k] != rows[k]]
        f.rows_lost += len(lost)
        f.differences += len(extra) + len(changed)
        for kind, keys in (("lost", lost), ("extra", extra), ("changed", changed)):
            if keys:
                f.notes.append(f"{label}: {name}: {len(keys)} {kind}, e.g. {keys[0][:120]}")
    return f


def run(args: list[str], db: str, kill_after: float | None = None) -> tuple[int | None, str]:
    """Run a survindex command on ``db``; with ``kill_after``, SIGKILL it then unless it ended. (rc, stderr)"""
    proc = subprocess.Popen([*SURVINDEX, *args, "--db", db], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, env=ENV, start_new_session=True)
    if kill_after is None:
        _, err = proc.communicate(timeout=1800)
        return proc.returncode, err
    try:
        _, err = proc.communicate(timeout=kill_after)
        return proc.returncode, err
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return None, ""


# -- 1. kills ----------------------------------------------------------------------------------------------------
def clean_run(kind: str, work: Path, plan: list[tuple[str, list[str]]]) -> tuple[dict[str, Any], dict[str, float]]:
    durations: dict[str, float] = {}
    with fresh_db(kind, work) as db:
        for name, args in plan:
            started = time.monotonic()
            rc, err = run(args, db)
            durations[name] = time.monotonic() - started
            if rc != 0:
                raise SystemExit(f"the clean {name} failed ({rc}): {err[-500:]}")
        return snapshot(db), durations


def kill_runs(kind: str, work: Path, plan: list[tuple[str, list[str]]], clean: dict[str, Any],
              durations: dict[str, float], runs: int, kills_per_step: int, rng: random.Random) -> Figures:
    f = Figures()
    for r in range(runs):
        with fresh_db(kind, work) as db:
            for name, args in plan:
                for _ in range(kills_per_step):
                    rc, _err = run(args, db, kill_after=rng.uniform(0.3, durations[name] * 1.1))
                    f.kills += rc is None
                rc, err = run(args, db)  # resume to the end
                if rc != 0:
                    f.crashes += 1
                    f.notes.append(f"{kind} run {r}: {name} after kills exited {rc}: {err[-300:]}")
            f.add(compare(clean, snapshot(db), f"{kind} kill run {r}"))
        f.runs += 1
    return f


# -- 3. concurrent writers ---------------------------------------------------------------------------------------
def concurrent(kind: str, work: Path, corpus: Path, atlas: Path, clean: dict[str, Any], rounds: int) -> Figures:
    """Three ingests of the corpus and two imports of the same file at once, then extract; equal to clean."""
    f = Figures()
    for r in range(rounds):
        with fresh_db(kind, work) as db:
            run(["stats"], db)  # create the schema (creation itself is tested by tests/test_migrations.py)
            cmds = [["ingest", str(corpus), "--no-progress"]] * 3 + [["import", "atlas", str(atlas)]] * 2
            procs = [subprocess.Popen([*SURVINDEX, *c, "--db", db], stdout=subprocess.DEVNULL,
                                      stderr=subprocess.PIPE, text=True, env=ENV) for c in cmds]
            news = []
            for p in procs:
                _, err = p.communicate(timeout=1800)
                if p.returncode != 0:
                    f.crashes += 1
                    f.notes.append(f"{kind} concurrent round {r}: exit {p.returncode}: {err[-300:]}")
                news += [int(w) for w in _new_count(err)]
            run(["extract", "--batch-size", "20"], db)
            got = snapshot(db)
            f.add(compare(clean, got, f"{kind} concurrent round {r}"))
            if sum(news) != len(got["documents"]):  # each document counted new by exactly one writer
                f.differences += 1
                f.notes.append(f"{kind} concurrent round {r}: ingests reported {news} new, "
                               f"the database holds {len(got['documents'])} documents")
        f.runs += 1
    return f


def _new_count(stderr: str) -> list[str]:
    """From ``ingest: N documents read, M new stored, K near duplicates linked`` the M + K stored."""
    import re

    m = re.search(r"(\d+) new stored, (\d+) near duplicates linked", stderr)
    if m:
        return [m.group(1), m.group(2)]
    m = re.search(r"documents new: (\d+)", stderr)
    return [m.group(1)] if m else []


# -- main ----------------------------------------------------------------------------------------------------------
def suite(quick: bool, seed: int, kinds: list[str]) -> Figures:
    from benchmarks.faults_inputs import hostile_inputs

    rng = random.Random(seed)
    total = Figures()
    with tempfile.TemporaryDirectory(prefix="survindex-faults-") as tmp:
        work = Path(tmp)
        corpus = make_corpus(work / "corpus", 60 if quick else 400, seed)
        atlas = ATLAS if ATLAS.exists() and not quick else FALLBACK_ATLAS
        plan = steps(corpus, atlas)
        for kind in kinds:
            clean, durations = clean_run(kind, work, plan)
            total.runs += 1
            total.add(kill_runs(kind, work, plan, clean, durations, 1 if quick else (6 if kind == "sqlite" else 3),
                                1 if quick else 3, rng))
            total.add(concurrent(kind, work, corpus, atlas, clean, 1 if quick else 2))
        total.add(hostile_inputs(300 if quick else 5200, seed, work / "hostile"))
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    total.notes.append(f"peak memory: {children:.0f} MB in a survindex command, {total.peak_mb:.0f} MB in the "
                       "hostile-input process (hypothesis included)")
    total.peak_mb = max(total.peak_mb, children)
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a small run (the test suite's)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    kinds = ["sqlite"] + (["postgresql"] if os.environ.get("SURVINDEX_TEST_PG_URL") else [])
    started = time.monotonic()
    figures = suite(args.quick, args.seed, kinds)
    if args.json:
        print(json.dumps(asdict(figures), indent=2))
    else:
        print(f"fault suite ({', '.join(kinds)}; {time.monotonic() - started:.0f} s): runs {figures.runs}, "
              f"kills {figures.kills}, inputs tried {figures.inputs}, crashes {figures.crashes}, rows lost "
              f"{figures.rows_lost}, differences from a clean run {figures.differences}, "
              f"peak memory {figures.peak_mb:.0f} MB")
        for note in figures.notes[:40]:
            print("  " + note)
    return 0 if figures.ok() else 1


if __name__ == "__main__":
    sys.exit(main())
