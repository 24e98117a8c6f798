"""Scale benchmark: ``stats``, ``build``, a full CSV export, the review queue at depth and uncached web requests
under 50 clients, on synthetic databases of 10k / 100k / 1M claims, each beside a baseline measured in the same
run on the same data (plain SQL ``GROUP BY`` for the index, ``sqlite3 -csv`` / ``psql \\copy`` for the export,
plain keyset SQL for the queue; ``stats`` and the export run three times in turn with their baselines, medians
reported). Prints time, peak RSS, the growth exponent between the two largest sizes and the
ratio to the baseline; PostgreSQL too when SURVINDEX_BENCH_PG_URL is set.

    .venv/bin/python benchmarks/scale.py [--sizes 10k,100k,1M] [--clients 50] [--seconds 10] [--skip build,web]

Databases are cached under build/bench/ (rebuilt when the generator changes); results go to
build/bench/scale-results.json.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import scale_data  # noqa: E402
import scale_measure as m  # noqa: E402

ROOT = HERE.parent / "build" / "bench"
EXE = Path(sys.executable).parent / "survindex"


def parse_size(text: str) -> int:
    t = text.strip().lower()
    mult = {"k": 1_000, "m": 1_000_000}.get(t[-1:], 1)
    return int(float(t.rstrip("km")) * mult)


def label(n: int) -> str:
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k" if n % 1000 == 0 else str(n)


def run_size(db: str, dialect: str, n: int, args: argparse.Namespace) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    skip = set(args.skip.split(",")) if args.skip else set()

    def add(op: str, res: dict[str, Any], base: dict[str, Any] | None = None, base_name: str = "") -> None:
        row = {"db": dialect, "claims": n, "op": op, **res}
        if base:
            row["baseline"], row["baseline_s"] = base_name, base["seconds"]
            row["ratio"] = round(res["seconds"] / base["seconds"], 2) if base["seconds"] else None
        rows.append(row)
        print(json.dumps(row), flush=True)

    if "stats" not in skip:
        add("stats --json", *m.paired(lambda: m.timed([str(EXE), "stats", "--json", "--db", db]),
                                      lambda: m.sql_groupby(db, dialect)), "SQL GROUP BY")
    if "export" not in skip:
        ours, base = m.paired(lambda: m.web_csv(db), lambda: m.sql_csv(db, dialect))
        add("CSV export /api/claims.csv", ours, base, base["tool"])
    if "queue" not in skip:
        q = m.queue_depth(db)
        add("review queue (claims) deepest page", q["claims"], q["claims_sql"], "plain keyset SQL")
        add("review queue (cases) deepest page", q["cases"], q["cases_sql"], "plain keyset SQL")
    if "web" not in skip:
        for res in m.web_load(db, args.clients, args.seconds, args.web_workers):
            add(f"web uncached {res.pop('endpoint')}", res)
    if "build" not in skip:
        out = Path(tempfile.mkdtemp(prefix="scale-site-"))
        try:
            add("build", m.timed([str(EXE), "build", "--db", db, "--out", str(out), "--quiet"]),
                m.sql_csv(db, dialect), "CSV export baseline")
        finally:
            shutil.rmtree(out, ignore_errors=True)
    return rows


def growth(rows: list[dict[str, Any]]) -> None:
    """Growth exponent between the two largest sizes of each operation: log(t2/t1) / log(n2/n1)."""
    by: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in rows:
        by.setdefault((r["db"], r["op"]), []).append(r)
    for series in by.values():
        series.sort(key=lambda r: r["claims"])
        if len(series) >= 2:
            a, b = series[-2], series[-1]
            if a["seconds"] > 0 and b["seconds"] > 0:
                b["growth"] = round(math.log(b["seconds"] / a["seconds"]) / math.log(b["claims"] / a["claims"]), 2)


def table(rows: list[dict[str, Any]]) -> str:
    head = (f"{'db':<10} {'claims':>6} {'operation':<38} {'time':>9} {'cpu':>7} {'p99':>8} {'RSS MB':>7} {'growth':>6} "
            f"{'baseline':>9} {'ratio':>6}  baseline")
    lines = [head, "-" * len(head)]
    for r in rows:
        p99 = f"{r['p99_ms']:.0f}ms" if "p99_ms" in r else ""
        cpu = f"{r['cpu_s']:.1f}s" if "cpu_s" in r else ""
        lines.append(f"{r['db']:<10} {label(r['claims']):>6} {r['op'][:38]:<38} {r['seconds']:>8.3f}s {cpu:>7} {p99:>8} "
                     f"{r.get('rss_mb', ''):>7} {r.get('growth', ''):>6} "
                     f"{(str(r['baseline_s']) + 's') if 'baseline_s' in r else '':>9} {r.get('ratio', ''):>6}  "
                     f"{r.get('baseline', '')}")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10k,100k,1M")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--web-workers", type=int, default=1, help="survindex serve --workers for the web requests")
    ap.add_argument("--skip", default="", help="comma-separated: stats,export,queue,web,build")
    ap.add_argument("--pg", default=os.environ.get("SURVINDEX_BENCH_PG_URL"))
    ap.add_argument("--out", default=str(ROOT / "scale-results.json"))
    ap.add_argument("--load", default=None, help=argparse.SUPPRESS)
    ap.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.load:
        m.load_main(args.load, args.paths, args.clients, args.seconds)
        return 0
    if not shutil.which("sqlite3"):
        subprocess.run(["bash", str(HERE.parent / "scripts" / "system-deps.sh"), "sqlite3"], check=True)
    rows: list[dict[str, Any]] = []
    for n in (parse_size(s) for s in args.sizes.split(",")):
        targets = [("sqlite", lambda n=n: scale_data.sqlite_db(ROOT, n))]
        if args.pg:
            targets.append(("postgresql", lambda n=n: scale_data.pg_db(args.pg, n)))
        for dialect, make in targets:
            t = time.perf_counter()
            db, built = make()
            print(f"{dialect} {label(n)}: {'built ' + json.dumps(built) if built else 'cached'} "
                  f"({time.perf_counter() - t:.0f} s)", flush=True)
            rows += run_size(db, dialect, n, args)
    growth(rows)
    print("\n" + table(rows))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
