"""The measurements of the scale benchmark (``scale.py``): one function per operation, each returning
``{"seconds", "rss_mb", ...}``; baselines beside them."""

from __future__ import annotations

import asyncio
import glob
import json
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from web_bench import _free_port, _get  # one minimal HTTP client for both web benchmarks

EXE = Path(sys.executable).parent / "survindex"
CSV_COLUMNS = ("id", "kind", "country", "supplier", "supplier_country", "technology", "aigs_category", "financier",
               "amount_usd", "year", "stage", "status", "confidence", "quote", "doc_id", "version")
_IN_SCOPE = "kind = 'deployment' AND status = 'accepted' AND NOT negated AND superseded_by IS NULL"
GROUPBY_SQL = [
    f"SELECT count(DISTINCT country) FROM claims WHERE {_IN_SCOPE}",
    *(f"SELECT {col}, count(DISTINCT country) FROM claims WHERE {_IN_SCOPE} GROUP BY {col}"
      for col in ("technology", "aigs_category", "supplier", "supplier_country", "year")),
    "SELECT financier, count(*), count(DISTINCT country), sum(amount_usd) FROM claims WHERE kind = 'financing' "
    "AND status = 'accepted' AND NOT negated AND superseded_by IS NULL GROUP BY financier",
]


# The command runs in a child of a small Python process, not of this one: a child's peak RSS (``ru_maxrss``)
# starts from its parent's at the fork (Linux carries the forking process's high-water mark through ``exec``),
# so a child of this process, grown to hundreds of MB, reported at least that much. The wrapper's own is ~10 MB.
_RUN = ("import os, sys, time\n"
        "t = time.perf_counter()\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    os.execvp(sys.argv[1], sys.argv[1:])\n"
        "_, status, usage = os.wait4(pid, 0)\n"
        "print(f'\\n@timed {time.perf_counter() - t} {usage.ru_utime + usage.ru_stime} {usage.ru_maxrss}', "
        "file=sys.stderr)\n"
        "sys.exit(os.waitstatus_to_exitcode(status))\n")


def timed(cmd: list[str], stdout: Any = subprocess.DEVNULL, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``cmd``; its wall time, CPU time and peak RSS (``wait4`` on that one process, started by a small
    wrapper: ``_RUN``)."""
    proc = subprocess.run([sys.executable, "-c", _RUN, *cmd], stdout=stdout, stderr=subprocess.PIPE, env=env)
    err, _, last = proc.stderr.decode(errors="replace").rstrip().rpartition("\n")
    if proc.returncode != 0 or not last.startswith("@timed "):
        raise RuntimeError(f"{' '.join(cmd[:3])} failed ({proc.returncode}): {(err + last)[-2000:]}")
    seconds, cpu, rss_kb = (float(x) for x in last.split()[1:])
    return {"seconds": round(seconds, 3), "cpu_s": round(cpu, 2), "rss_mb": round(rss_kb / 1024)}


def _sqlite_path(db: str) -> str:
    return db.removeprefix("sqlite:///")


def _psql() -> str:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/psql")) or ["psql"]
    return found[-1]


def _pg_url(db: str) -> str:
    return db.replace("postgresql+psycopg://", "postgresql://")


def _sql_cmd(db: str, dialect: str, sql: str, csv: bool = False) -> list[str]:
    if dialect == "sqlite":
        return ["sqlite3", *(["-csv", "-header"] if csv else []), _sqlite_path(db), sql]
    if csv:
        return [_psql(), "-q", _pg_url(db), "-c", f"\\copy ({sql}) TO STDOUT WITH CSV HEADER"]
    return [_psql(), "-q", "-A", _pg_url(db), "-c", sql]


def paired(ours: Any, base: Any, repeat: int = 3) -> tuple[dict[str, Any], dict[str, Any]]:
    """``ours()`` and ``base()`` run in turn ``repeat`` times each (this machine's speed swings by up to 1.5x
    within minutes: the two share each moment); the median time and CPU of each, the peak RSS, and our first
    run (``first_s``: with what the previous step left in the caches)."""
    runs: tuple[list[dict[str, Any]], list[dict[str, Any]]] = ([], [])
    for _ in range(repeat):
        runs[0].append(ours())
        runs[1].append(base())

    def median(rs: list[dict[str, Any]]) -> dict[str, Any]:
        out = {**rs[0], "runs": len(rs)}
        for k in ("seconds", "cpu_s", "first_byte_s"):
            if k in rs[0]:
                out[k] = round(statistics.median(r[k] for r in rs), 3)
        if "rss_mb" in rs[0]:
            out["rss_mb"] = max(r["rss_mb"] for r in rs)
        return out

    return {**median(runs[0]), "first_s": runs[0][0]["seconds"]}, median(runs[1])


def sql_groupby(db: str, dialect: str) -> dict[str, Any]:
    """Baseline for the index: the same counts as plain SQL GROUP BY, in the database's own client."""
    sql = ";\n".join(GROUPBY_SQL) + ";"
    if dialect == "postgresql":
        sql = sql.replace("NOT negated", "negated IS FALSE")
    return timed(_sql_cmd(db, dialect, sql))


def sql_csv(db: str, dialect: str) -> dict[str, Any]:
    """Baseline for the export: the same columns and rows in the same order (SQLite: rowid, PostgreSQL: id)
    straight out of the database's own client."""
    from survindex import policy

    cols = ", ".join(f'"{c}"' for c in CSV_COLUMNS)
    neg, order = ("NOT negated", "rowid") if dialect == "sqlite" else ("negated IS FALSE", "id")
    shown = policy.public().statuses  # what an anonymous visitor's export holds
    statuses = "" if shown is None else " AND status IN ({})".format(", ".join(f"'{x}'" for x in shown))
    sql = f"SELECT {cols} FROM claims WHERE {neg} AND superseded_by IS NULL{statuses} ORDER BY {order}"
    res = timed(_sql_cmd(db, dialect, sql, csv=True))
    return {**res, "tool": "sqlite3 -csv" if dialect == "sqlite" else "psql \\copy"}


class Server:
    """``survindex serve`` on a free port, for the duration of a ``with``."""

    def __init__(self, db: str, workers: int = 1) -> None:
        self.db, self.workers = db, workers

    def __enter__(self) -> "Server":
        port = _free_port()
        env = {**os.environ, "SURVINDEX_SECRET": "bench"}
        self.proc = subprocess.Popen([str(EXE), "serve", "--db", self.db, "--port", str(port),
                                      "--workers", str(self.workers)], env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.base = f"http://127.0.0.1:{port}"
        for _ in range(600):
            try:
                urllib.request.urlopen(self.base + "/api/stats", timeout=60)
                return self
            except OSError:
                time.sleep(0.1)
        self.proc.kill()
        raise RuntimeError("the server did not start")

    def rss_mb(self) -> int:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024)
        return 0

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=20)


def web_csv(db: str) -> dict[str, Any]:
    """The full CSV export over HTTP: total time, time to the first byte, bytes, server peak RSS."""
    with Server(db) as srv:
        t = time.perf_counter()
        size, first = 0, None
        with urllib.request.urlopen(srv.base + "/api/claims.csv", timeout=3600) as r:
            while chunk := r.read(1 << 16):
                if first is None:
                    first = time.perf_counter() - t
                size += len(chunk)
        seconds = time.perf_counter() - t
        return {"seconds": round(seconds, 3), "first_byte_s": round(first or 0, 3), "mb": round(size / 1e6, 1),
                "rss_mb": srv.rss_mb()}


def _best(fn: Any, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return round(statistics.median(times), 4)


def queue_depth(db: str) -> dict[str, dict[str, Any]]:
    """The review queue's deepest page, by the app's keyset reads (claims and cases), beside plain keyset SQL."""
    from sqlalchemy import text

    from survindex.store import open_store
    from survindex.store import cases as sc
    from survindex.store import search as ss
    from survindex.web import views
    from survindex.web.params import Filters, Page
    from survindex.web.state import DataCache

    store = open_store(db, migrate=False)
    with store.engine.connect() as c:
        n = c.execute(text("SELECT count(*) FROM claims WHERE status = 'unreviewed' AND negated = false "
                           "AND superseded_by IS NULL")).scalar_one()
        last = c.execute(text("SELECT confidence, id FROM claims WHERE status = 'unreviewed' AND negated = false "
                              "AND superseded_by IS NULL ORDER BY confidence DESC, id DESC LIMIT 1 OFFSET :o"),
                         {"o": max(0, n - 51)}).one()
        ncase = c.execute(text("SELECT count(*) FROM cases WHERE unreviewed > 0")).scalar_one()
        clast = c.execute(text("SELECT sources, confidence, id FROM cases WHERE unreviewed > 0 "
                               "ORDER BY sources DESC, confidence DESC, id LIMIT 1 OFFSET :o"),
                          {"o": max(0, ncase - 51)}).one()
    after = ss.review_cursor(("unreviewed", float(last[0]), str(last[1])))
    plain = ("SELECT * FROM claims WHERE status = 'unreviewed' AND negated = false AND superseded_by IS NULL AND "
             "confidence <= :c AND (confidence < :c OR (confidence = :c AND id < :i)) "
             "ORDER BY confidence DESC, id DESC LIMIT 50")
    cplain = ("SELECT * FROM cases WHERE unreviewed > 0 AND (sources < :s OR (sources = :s AND confidence < :c) OR "
              "(sources = :s AND confidence = :c AND id > :i)) ORDER BY sources DESC, confidence DESC, id LIMIT 50")

    def sql(stmt: str, params: dict[str, Any]) -> None:
        with store.engine.connect() as c:
            c.execute(text(stmt), params).all()

    cache = DataCache(store)  # as the app has it: the count from the claims' columns, loaded at start
    cache.columns.at(cache.version())
    out = {
        "claims": {"seconds": _best(lambda: views.review_queue(store, Filters({}, ss.ClaimQuery()), Page(50, 0),
                                                                after, cache)), "depth": n},
        "claims_sql": {"seconds": _best(lambda: sql(plain, {"c": last[0], "i": last[1]}))},
        "cases": {"seconds": _best(lambda: sc.list_cases(store, sc.CaseFilter(pending=True), 50,
                                                         after=(clast[0], clast[1], clast[2]))), "depth": ncase},
        "cases_sql": {"seconds": _best(lambda: sql(cplain, {"s": clast[0], "c": clast[1], "i": clast[2]}))},
    }
    store.close()
    return out


def _web_paths(db: str) -> dict[str, list[str]]:
    """Unique paths (country x page size) so that no request is answered from a cache."""
    from survindex.store import open_store
    from survindex.store import search as ss

    store = open_store(db, migrate=False)
    top = [c for c, _ in ss.facet(store, ss.ClaimQuery(), "country", limit=40)]
    words = [s.split()[0] for s, _ in ss.facet(store, ss.ClaimQuery(), "supplier", limit=40)]
    store.close()
    rng = random.Random(3)
    out = {"country page": [f"/country/{c}?limit={k}" for c in top for k in range(10, 60)],
           "country JSON": [f"/country/{c}.json?limit={k}" for c in top for k in range(10, 60)],
           "search": [f"/search?q={w}&limit={k}" for w in words for k in range(10, 60)],
           "home": [f"/?x={k}" for k in range(2000)]}
    for paths in out.values():
        rng.shuffle(paths)
    return out


def web_load(db: str, clients: int, seconds: float, workers: int = 1) -> list[dict[str, Any]]:
    rows = []
    with Server(db, workers) as srv:
        for name, paths in _web_paths(db).items():
            out = subprocess.run([sys.executable, str(Path(__file__).with_name("scale.py")), "--load", srv.base,
                                  "--clients", str(clients), "--seconds", str(seconds), *paths],
                                 capture_output=True, text=True, check=True)
            res = json.loads(out.stdout.strip().splitlines()[-1])
            rows.append({"endpoint": name, **res, "rss_mb": srv.rss_mb()})
    return rows


async def _load(base: str, paths: list[str], clients: int, seconds: float) -> dict[str, Any]:
    """``clients`` connections taking the next unseen path until all are done or ``seconds`` pass."""
    host, port = base.removeprefix("http://").split(":")
    latencies: list[float] = []
    errors = 0
    queue = iter(paths)

    async def worker(stop: float) -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(host, int(port))
        for path in queue:
            if time.perf_counter() > stop:
                break
            t = time.perf_counter()
            status = await _get(reader, writer, host, path)
            latencies.append(time.perf_counter() - t)
            errors += status != 200
        writer.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(worker(t0 + seconds) for _ in range(clients)))
    elapsed = time.perf_counter() - t0
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [latencies[0]] * 99
    return {"seconds": round(q[49], 4), "requests": len(latencies), "errors": errors,
            "rps": round(len(latencies) / elapsed, 1), "p50_ms": round(q[49] * 1000, 1),
            "p99_ms": round(q[98] * 1000, 1)}


def load_main(base: str, paths: list[str], clients: int, seconds: float) -> None:
    print(json.dumps(asyncio.run(_load(base, paths, clients, seconds))))
