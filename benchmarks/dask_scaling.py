"""Benchmark: extraction on a Dask LocalCluster with 1 worker, then 2 workers, on the same corpus; ratio printed.

Each worker is a process with one thread. The gazetteer is built on every worker before timing starts, so the
ratio measures the work, not start-up. On a machine with fewer than two free cores the ratio cannot reach 2.

    .venv/bin/python benchmarks/dask_scaling.py [--words 300000] [--batch-size 500]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extract_bench import corpus_docs  # noqa: E402

TARGET = 1.8


def timed_run(docs: list[dict[str, str]], workers: int, batch_size: int) -> tuple[float, int]:
    from distributed import LocalCluster

    from survindex.runner import run_extraction
    from survindex.runner.pool import warm

    with LocalCluster(n_workers=workers, processes=True, threads_per_worker=1, dashboard_address=None) as cluster:
        from distributed import Client

        with Client(cluster.scheduler_address) as client:
            client.run(warm)
        t0 = time.perf_counter()
        n = sum(1 for _ in run_extraction(docs, workers=workers, scheduler=cluster.scheduler_address,
                                          batch_size=batch_size))
        return time.perf_counter() - t0, n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--words", type=int, default=300_000)
    ap.add_argument("--batch-size", type=int, default=500)
    args = ap.parse_args()
    docs = corpus_docs(args.words)
    words = sum(len(d["text"].split()) for d in docs)
    print(f"corpus: {len(docs):,} documents, {words:,} words; {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}")
    results = {}
    for workers in (1, 2):
        wall, claims = timed_run(docs, workers, args.batch_size)
        results[workers] = wall
        print(f"{workers} worker(s): {wall:7.2f} s  {words / wall:>10,.0f} words/s  {claims:,} claims")
    ratio = results[1] / results[2]
    print(f"scaling ratio 2 workers / 1 worker: {ratio:.2f}x (target >= {TARGET}: {'met' if ratio >= TARGET else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
