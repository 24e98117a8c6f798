"""Benchmark: ``survindex import atlas`` on a large Atlas CSV, beside Python's csv module reading the same file.

Builds a ~77 MB Atlas-format CSV (issue 12's size) in a temporary directory from the rows of EFF's border-communities
file in ``../shared/data/eff-aos-border-campus`` (see its SOURCE.md), each repeat with its reference, agency and city
varied so every row is a distinct document; then runs, each in a child process, and prints wall time and peak RSS
(``os.wait4``) of:

* ``survindex import atlas FILE --db <fresh SQLite file>``
* the baseline: ``python -c`` iterating the same file with ``csv.reader`` (the least any importer must do)

and the ratios of the import to the baseline. ``--json`` prints the figures as JSON too.

    .venv/bin/python benchmarks/import_stream.py [--mb 77] [--json]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DATA = HERE.parent.parent / "shared" / "data" / "eff-aos-border-campus" / "aos-bordercounties_-_01.10.2020.csv"
EXE = Path(sys.executable).parent / "survindex"
BASELINE = ("import csv, sys\ncsv.field_size_limit(2**31 - 1)\n"
            "with open(sys.argv[1], newline='', encoding='utf-8') as f:\n"
            "    n = sum(1 for _ in csv.reader(f))\nprint(n)\n")


def build_csv(target: Path, megabytes: float) -> int:
    """Write the Atlas file repeated until it reaches ``megabytes``; returns the number of data rows."""
    with DATA.open(newline="", encoding="utf-8") as f:
        header, *rows = list(csv.reader(f))
    ref, agency, city = header.index("RefNo"), header.index("Agency"), header.index("City")
    limit, n, k = megabytes * 1_000_000, 0, 0
    with target.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        while out.tell() < limit:
            k += 1
            for row in rows:
                row = list(row)
                row[ref], row[agency], row[city] = f"{row[ref]}-{k}", f"{row[agency]} (unit {k})", f"{row[city]} {k}"
                writer.writerow(row)
                n += 1
    return n


def timed(cmd: list[str]) -> dict[str, Any]:
    """Run ``cmd``; its wall time and peak RSS (``wait4`` on that one child)."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(cmd[:3])} failed: {err[-2000:]}")
    return {"seconds": round(seconds, 2), "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
            "rss_mb": round(usage.ru_maxrss / 1024), "stderr": err.strip().splitlines()[:3]}


def run(megabytes: float) -> dict[str, Any]:
    if not DATA.is_file():
        raise SystemExit(f"Error: {DATA} is missing: the benchmark needs ../shared beside the checkout")
    with tempfile.TemporaryDirectory(prefix="survindex-import-") as tmp:
        csv_path, db = Path(tmp) / "atlas-large.csv", Path(tmp) / "bench.db"
        rows = build_csv(csv_path, megabytes)
        size_mb = round(csv_path.stat().st_size / 1e6, 1)
        baseline = timed([sys.executable, "-c", BASELINE, str(csv_path)])
        imported = timed([str(EXE), "import", "atlas", str(csv_path), "--db", str(db)])
    return {"file_mb": size_mb, "rows": rows, "import": imported, "baseline_csv_reader": baseline,
            "ratio_seconds": round(imported["seconds"] / max(baseline["seconds"], 1e-3), 1),
            "ratio_rss": round(imported["rss_mb"] / max(baseline["rss_mb"], 1), 1)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=77.0, help="size of the CSV to build, in MB (default 77)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args(argv)
    r = run(args.mb)
    out = io.StringIO()
    out.write(f"Atlas CSV: {r['file_mb']} MB, {r['rows']} rows\n")
    for name in ("import", "baseline_csv_reader"):
        m = r[name]
        out.write(f"  {name:<22} {m['seconds']:>8.2f} s  {m['cpu_s']:>8.2f} s cpu  {m['rss_mb']:>6} MB peak RSS\n")
    out.write(f"  ratio import/baseline: {r['ratio_seconds']}x time, {r['ratio_rss']}x peak RSS\n")
    print(out.getvalue(), end="")
    if args.json:
        print(json.dumps(r, indent=2))


if __name__ == "__main__":
    main()
