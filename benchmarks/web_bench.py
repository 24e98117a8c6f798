"""Web benchmark: p50/p99 latency and throughput of the country page, its JSON twin and a search, on a
database of synthetic-but-realistic claims (generated from the reference registry), under concurrent clients
from a separate load-generating process; SQLite and PostgreSQL side by side.

    .venv/bin/python benchmarks/web_bench.py --claims 100000 --clients 50 --seconds 15 \\
        [--pg postgresql://postgres@127.0.0.1:55432/survindex_test] [--out bench-web.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

STAGES = ("announced", "contracted", "installed", "operational", "operational", "unknown")
VERBS = ("supplied", "installed", "delivered", "is operating", "signed a contract for")


def _registry() -> tuple[list[Any], list[Any], list[str], list[str]]:
    from survindex import reference
    from survindex.model import TECHNOLOGY_KEYS

    countries = [c for c in reference.countries() if c.iso3]
    return countries, reference.companies(), [f.canonical for f in reference.financiers()], list(TECHNOLOGY_KEYS)


def build(db: str, n_claims: int, seed: int = 7, per_doc: int = 40) -> dict[str, Any]:
    """Write ``n_claims`` claims over ``n_claims / per_doc`` documents; countries and suppliers Zipf-like."""
    from survindex.model import Claim, Document
    from survindex.store import open_store

    rng = random.Random(seed)
    countries, companies, financiers, techs = _registry()
    weights_c = [1 / (i + 1) ** 0.8 for i in range(len(countries))]
    weights_s = [1 / (i + 1) ** 0.9 for i in range(len(companies))]
    store = open_store(db)
    t0 = time.perf_counter()
    for d in range(max(1, n_claims // per_doc)):
        sentences, specs = [], []
        for _ in range(per_doc):
            country = rng.choices(countries, weights_c)[0]
            company = rng.choices(companies, weights_s)[0]
            tech, year = rng.choice(techs), rng.randint(2008, 2024)
            place = rng.choice(country.places) if country.places else country.name
            sentence = (f"In {year} {company.canonical} {rng.choice(VERBS)} {tech.replace('_', ' ')} systems "
                        f"for the police in {place}, {country.name}.")
            if rng.random() < 0.1:
                sentence += f" The project was financed by {rng.choice(financiers)}."
            specs.append((sentence, country, company, tech, year))
            sentences.append(sentence)
        text = " ".join(sentences)
        doc = Document.from_text(text, title=f"Surveillance procurement report {d}", url=f"https://example.org/r/{d}",
                                 published=f"{rng.randint(2010, 2025)}-01-01", publisher="Synthetic Monitor")
        claims, pos = [], 0
        for sentence, country, company, tech, year in specs:
            start = text.index(sentence, pos)
            pos = start + len(sentence)
            claims.append(Claim(doc_id=doc.id, kind="deployment", quote=sentence, start=start, end=pos,
                                country=country.iso3, supplier=company.canonical, supplier_country=company.hq_country,
                                technology=tech, year=year, stage=rng.choice(STAGES), extractor="bench",
                                extractor_version="1", confidence=round(rng.random(), 2),
                                status=rng.choice(("accepted", "accepted", "unreviewed", "rejected"))))
        with store.transaction() as conn:
            store.put_document(doc, conn=conn)
            store.put_claims(claims, conn=conn)
    with store.transaction() as conn:  # planner statistics, as autovacuum / a periodic ANALYZE would keep them
        conn.exec_driver_sql("ANALYZE")
    built = time.perf_counter() - t0
    count = store.count_claims()
    store.close()
    return {"claims": count, "build_seconds": round(built, 1)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _targets(db: str) -> dict[str, list[str]]:
    from survindex.store import open_store
    from survindex.store import search as ss

    store = open_store(db)
    top = [c for c, _ in ss.facet(store, ss.ClaimQuery(), "country", limit=20)]
    sups = [s for s, _ in ss.facet(store, ss.ClaimQuery(), "supplier", limit=20)]
    store.close()
    return {"country page": [f"/country/{c}" for c in top], "country JSON": [f"/country/{c}.json" for c in top],
            "search": [f"/search?q={s.split()[0]}" for s in sups]}


def serve(db: str) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    exe = Path(sys.executable).parent / "survindex"
    env = {**os.environ, "SURVINDEX_SECRET": "bench"}
    proc = subprocess.Popen([str(exe), "serve", "--db", db, "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/api/stats", timeout=2)
            return proc, base
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the server did not start")


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str, path: str) -> int:
    """One keep-alive HTTP/1.1 GET on an open connection; returns the status (body read and dropped)."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: */*\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    else:  # chunked
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status


async def _load(base: str, paths: list[str], clients: int, seconds: float) -> dict[str, Any]:
    """``clients`` connections, each sending requests back to back for ``seconds``; a minimal HTTP client
    so the load generator costs less CPU than the server it measures."""
    host, port = base.removeprefix("http://").split(":")
    latencies: list[float] = []
    errors = 0

    async def worker(i: int, stop: float) -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(host, int(port))
        k = i
        while time.perf_counter() < stop:
            t = time.perf_counter()
            status = await _get(reader, writer, host, paths[k % len(paths)])
            latencies.append(time.perf_counter() - t)
            errors += status != 200
            k += 1
        writer.close()

    cold: list[float] = []
    for p in paths:  # the first request of each path: nothing cached yet
        reader, writer = await asyncio.open_connection(host, int(port))
        t = time.perf_counter()
        await _get(reader, writer, host, p)
        cold.append(time.perf_counter() - t)
        writer.close()
    t0 = time.perf_counter()
    await asyncio.gather(*(worker(i, t0 + seconds) for i in range(clients)))
    elapsed = time.perf_counter() - t0
    q = statistics.quantiles(latencies, n=100)
    return {"requests": len(latencies), "errors": errors, "rps": round(len(latencies) / elapsed, 1),
            "p50_ms": round(q[49] * 1000, 1), "p99_ms": round(q[98] * 1000, 1),
            "cold_median_ms": round(statistics.median(cold) * 1000, 1), "cold_max_ms": round(max(cold) * 1000, 1)}


def load_main(base: str, paths: list[str], clients: int, seconds: float) -> None:
    """The load-generating process: prints one JSON line."""
    try:
        import uvloop
        uvloop.install()
    except ImportError:
        pass
    print(json.dumps(asyncio.run(_load(base, paths, clients, seconds))))


def measure(db: str, label: str, clients: int, seconds: float) -> list[dict[str, Any]]:
    proc, base = serve(db)
    rows = []
    try:
        for name, paths in _targets(db).items():
            out = subprocess.run([sys.executable, __file__, "--load", base, "--clients", str(clients), "--seconds",
                                  str(seconds), *paths], capture_output=True, text=True, check=True)
            rows.append({"database": label, "endpoint": name, **json.loads(out.stdout.strip().splitlines()[-1])})
            print(json.dumps(rows[-1]), flush=True)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return rows


def _pg_schema(url: str) -> tuple[str, Any]:
    import sqlalchemy as sa

    from survindex.store.core import database_url

    name = "bench_" + uuid.uuid4().hex[:8]
    eng = sa.create_engine(database_url(url))
    with eng.begin() as c:
        c.execute(sa.text(f'CREATE SCHEMA "{name}"'))
    def drop() -> None:
        with eng.begin() as c:
            c.execute(sa.text(f'DROP SCHEMA "{name}" CASCADE'))
        eng.dispose()
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{name}", drop


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=100_000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=15)
    ap.add_argument("--pg", default=os.environ.get("SURVINDEX_TEST_PG_URL"))
    ap.add_argument("--out", default=None)
    ap.add_argument("--load", default=None, help=argparse.SUPPRESS)
    ap.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.load:
        load_main(args.load, args.paths, args.clients, args.seconds)
        return
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        print("sqlite:", build(db, args.claims), flush=True)
        rows += measure(db, "sqlite", args.clients, args.seconds)
    if args.pg:
        url, drop = _pg_schema(args.pg)
        try:
            print("postgresql:", build(url, args.claims), flush=True)
            rows += measure(url, "postgresql", args.clients, args.seconds)
        finally:
            drop()
    print(f"\n{'database':<11} {'endpoint':<13} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} "
          f"{'cold median':>11} {'cold max':>8}")
    for r in rows:
        print(f"{r['database']:<11} {r['endpoint']:<13} {r['rps']:>7} {r['p50_ms']:>7} {r['p99_ms']:>7} "
              f"{r['errors']:>6} {r['cold_median_ms']:>11} {r['cold_max_ms']:>8}")
    if args.out:
        Path(args.out).write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
