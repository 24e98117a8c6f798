"""Run every benchmark in one go (``make bench``): extraction vs spaCy, Dask scaling, web latency, scale (10k and
100k claims here; ``benchmarks/scale.py --sizes 10k,100k,1M`` for the million, about 90 minutes the first time).

Each benchmark prints its own ratios against a baseline measured in the same run. PostgreSQL is used for the web
benchmark when SURVINDEX_BENCH_PG_URL is set (``make bench`` starts a throw-away server and sets it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    pg = os.environ.get("SURVINDEX_BENCH_PG_URL")
    runs = [
        ["extract_bench.py"],
        ["dask_scaling.py"],
        ["web_bench.py", *(["--pg", pg] if pg else [])],
        ["scale.py", "--sizes", os.environ.get("SURVINDEX_BENCH_SIZES", "10k,100k")],
        ["cases_scale.py", "--sizes", "10000,100000"],
        ["review_load.py"],
    ]
    failed = 0
    for args in runs:
        print(f"\n=== {' '.join(args)}", flush=True)
        failed += subprocess.call([sys.executable, str(HERE / args[0]), *args[1:]]) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
