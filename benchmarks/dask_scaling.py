"""Benchmark: extraction on a Dask LocalCluster with 1 worker, then 2 workers, on the same corpus; ratio printed.

It runs what `survindex extract --scheduler ADDRESS -o FILE` runs (``run_extraction_jsonl``: the workers encode
each batch's claims as JSONL, the client only collects bytes).

Each worker is a process with one thread; the cluster's monitors are relaxed as for a batch cluster
(``BATCH_CLUSTER``). Before timing, every worker builds its gazetteer and extracts a sample
batch (so lazy tables, regex caches and imports are warm), and the corpus is split into batches big enough that
scheduling overhead is small next to the work. The 1- and 2-worker runs alternate for ``--repeat`` rounds and
the best wall time of each counts, so a burst of load from other processes does not decide the result. Also printed: the CPU seconds the
workers spent (their throughput per CPU second shows whether the work itself scaled, whatever the machine load).
On a machine with fewer than two free cores the wall-time ratio cannot reach 2.

    .venv/bin/python benchmarks/dask_scaling.py [--words 600000] [--batch-size 500] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extract_bench import corpus_docs  # noqa: E402

TARGET = 1.8
# A cluster for CPU-bound batch work: Dask's event-loop tick (20 ms), system monitor (500 ms) and worker memory
# monitor (100 ms) run in every scheduler, nanny and worker process; on two cores they take CPU from the two
# workers. Relaxed as docs/extraction.md recommends for an extraction cluster.
BATCH_CLUSTER = {"distributed.admin.tick.interval": "1s", "distributed.admin.system-monitor.interval": "2s",
                 "distributed.worker.memory.monitor-interval": "1s"}


def _cpu_seconds() -> float:
    """User + system CPU seconds of the calling (worker) process."""
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


def _warm_worker(sample: list[dict[str, Any]]) -> int:
    from survindex.runner.pool import extract_batch, warm

    warm()
    return len(extract_batch(list(enumerate(sample))))


def _worker_cpu(client: Any) -> float:
    return float(sum(client.run(_cpu_seconds).values()))


def _one_run(client: Any, address: str, docs: list[dict[str, Any]], workers: int, batch_size: int,
             ) -> dict[str, float]:
    from survindex.runner import run_extraction_jsonl

    cpu0, own0 = _worker_cpu(client), _cpu_seconds()
    t0 = time.perf_counter()
    n = sum(b.claims for b in run_extraction_jsonl(docs, workers=workers, scheduler=address, batch_size=batch_size))
    wall = time.perf_counter() - t0
    return {"wall_s": wall, "cpu_s": _worker_cpu(client) - cpu0, "claims": float(n),
            "client_cpu_s": _cpu_seconds() - own0}


def timed_runs(docs: list[dict[str, Any]], batch_size: int, repeat: int) -> dict[int, dict[str, float]]:
    """Best wall time of each configuration over ``repeat`` rounds; the 1- and 2-worker runs alternate, so a
    burst of load from other processes hits both alike."""
    from contextlib import ExitStack

    import dask
    from distributed import Client, LocalCluster

    dask.config.set(BATCH_CLUSTER)

    best: dict[int, dict[str, float]] = {w: {"wall_s": float("inf")} for w in (1, 2)}
    with ExitStack() as stack:
        clients = {}
        for w in (1, 2):
            cluster = stack.enter_context(LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=w, processes=True, threads_per_worker=1, dashboard_address=None))
            client = stack.enter_context(Client(cluster.scheduler_address))  # type: ignore[no-untyped-call]
            client.run(_warm_worker, docs[:200])
            clients[w] = (client, cluster.scheduler_address)
        for _ in range(repeat):
            for w, (client, address) in clients.items():
                with client.as_current():
                    got = _one_run(client, address, docs, w, batch_size)
                if got["wall_s"] < best[w]["wall_s"]:
                    best[w] = got
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--words", type=int, default=600_000)
    ap.add_argument("--batch-size", type=int, default=500)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    docs = corpus_docs(args.words)
    words = sum(len(d["text"].split()) for d in docs)
    print(f"corpus: {len(docs):,} documents, {words:,} words, batches of {args.batch_size}; {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}; best of {args.repeat}")
    results = timed_runs(docs, args.batch_size, args.repeat)
    for workers, r in results.items():
        print(f"{workers} worker(s): {r['wall_s']:7.2f} s wall {words / r['wall_s']:>10,.0f} words/s   "
              f"{r['cpu_s']:6.2f} worker CPU-s {words / r['cpu_s']:>10,.0f} words/CPU-s  "
              f"client {r['client_cpu_s']:.2f} CPU-s  {int(r['claims']):,} claims")
    ratio = results[1]["wall_s"] / results[2]["wall_s"]
    print(f"scaling ratio 2 workers / 1 worker (wall time): {ratio:.2f}x "
          f"(target >= {TARGET}: {'met' if ratio >= TARGET else 'NOT met'}); "
          f"load average now {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
