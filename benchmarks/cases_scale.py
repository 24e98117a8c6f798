"""Grouping claims into cases at scale: time and peak memory at 10k / 100k / 1M claims (issue 9).

A synthetic claim set shaped like the real one: claims skewed over ~150 countries (Zipf), ~40 suppliers (prime
contractors among them), the 16 technologies, deployers written several ways (public bodies by alias, "Government
of X", projects with and without "Project"), years 2008-2025, several sources per deployment, ~6% financing claims
for the projects. Each size runs in a fresh process, so its peak RSS is its own:

- ``group``: ``survindex.cases.group_country`` over every country, in-process; beside it a baseline measured in the
  same process on the same claims: a plain dict group-by on (country, technology group, supplier);
- ``store``: the claims bulk-written to a real SQLite file in a temp dir, then ``store.cases.refresh(everything)``
  (read, group, write cases, move claims, aliases).

    .venv/bin/python benchmarks/cases_scale.py                      # 10k,100k, both modes
    .venv/bin/python benchmarks/cases_scale.py --sizes 1000000 --modes group,store

Prints one line per (mode, size): seconds, peak RSS, claims per second, cases, the ratio to the baseline, and the
growth exponent log(t2/t1)/log(n2/n1) between consecutive sizes (1 is linear)."""

from __future__ import annotations

import argparse
import itertools
import json
import math
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

TECH_WORDS = "cameras control centre network licence plates faces phones data command platform analytics".split()
FILLER = [f"w{i:04d}" for i in range(3000)]  # rarer words: quotes differ as real ones do


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def _world(rnd: random.Random) -> dict[str, Any]:
    from survindex.model import vocabulary
    from survindex.reference import companies, countries

    try:
        from survindex.reference.contractors import contractors
        extra = [c.name for c in contractors()]
    except ImportError:  # a release before contractors.yaml: measure it with the same names
        extra = ["Safaricom", "CEIEC", "Mauritius Telecom", "Ethio Telecom"]
    cs = sorted(countries(), key=lambda c: c.iso3)
    rnd.shuffle(cs)
    cs = cs[:150]
    sup = [c.canonical for c in sorted(companies(), key=lambda c: c.canonical)[:36]]
    sup += extra
    return {"countries": cs, "weights": [1 / (k + 1) ** 1.1 for k in range(len(cs))], "suppliers": sup,
            "technologies": list(vocabulary().technologies), "publishers": [f"publisher {i}" for i in range(600)]}


def _deployers(country: Any, rnd: random.Random) -> list[list[str]]:
    """~30 bodies or projects of a country, each with the ways reports write it."""
    name, demonym = country.name, (country.demonyms or (country.name,))[0]
    city = (country.places or (name,))[0]
    out = [[f"Government of {name}", f"{demonym} government", f"the {demonym} authorities"],
           [f"{name} Police", f"the {name} police", f"{demonym} Police Force"],
           [f"Ministry of Interior of {name}", "Ministry of Interior", "Interior Ministry"],
           [f"{city} Safe City Project", f"{city} Safe City", f"Safe City {city}"]]
    for i in range(26):
        base = f"{city} {rnd.choice(['District', 'Agency', 'Bureau', 'Directorate', 'Command'])} {i}"
        out.append([base, base.upper(), f"the {base}"])
    return out


def _project_claims(world: dict[str, Any], country: Any, pools: list[list[str]], i: int,
                    rnd: random.Random) -> list[dict[str, Any]]:
    """The claims of one synthetic deployment: 1-12 reports, sometimes its loan."""
    tech = rnd.choice(world["technologies"])
    supplier = rnd.choice(world["suppliers"]) if rnd.random() > 0.15 else None
    forms = rnd.choice(pools) if rnd.random() > 0.25 else [None]
    year = rnd.randint(2008, 2025)
    words = " ".join(rnd.sample(FILLER, 4))
    base = {"country": country.iso3, "technology": tech, "supplier_country": "CHN" if supplier else None}
    out = []
    for j in range(min(12, 1 + int(rnd.expovariate(1 / 2.5)))):
        out.append({**base, "kind": "deployment", "supplier": supplier if rnd.random() > 0.1 else None,
                    "deployer": rnd.choice(forms), "year": min(2025, year + rnd.randint(0, 3)),
                    "stage": rnd.choice(["announced", "contracted", "installed", "operational", "unknown"]),
                    "quote": f"{supplier or 'A company'} {rnd.choice(TECH_WORDS)} for {forms[0] or country.name} "
                             f"{words} {rnd.choice(FILLER)}",
                    "publisher": rnd.choice(world["publishers"]), "project": i})
    if rnd.random() < 0.25:
        out.append({**base, "kind": "financing", "supplier": None, "deployer": forms[0],
                    "financier": "Export-Import Bank of China", "flow_type": "loan", "amount": 1e6 * rnd.randint(5, 900),
                    "currency": "USD", "year": year - rnd.randint(0, 2), "stage": "contracted",
                    "quote": f"Loan for the {forms[0] or 'security'} project {words}",
                    "publisher": "AidData", "project": i})
    return out


def generate(n: int, seed: int = 9) -> Iterator[dict[str, Any]]:
    """``n`` synthetic claims (dicts of claim fields plus ``publisher``), one at a time."""
    rnd = random.Random(seed)
    world = _world(rnd)
    pools = {c.iso3: _deployers(c, rnd) for c in world["countries"]}
    done = i = 0
    while done < n:
        country = rnd.choices(world["countries"], world["weights"])[0]
        for r in _project_claims(world, country, pools[country.iso3], i, rnd)[:n - done]:
            r["id"] = f"cl-{done:010d}"
            done += 1
            yield r
        i += 1


def _members(rows: Iterable[dict[str, Any]]) -> dict[str | None, list[Any]]:
    from survindex.cases import Member

    fields = ("kind", "country", "technology", "supplier", "supplier_country", "deployer", "financier", "flow_type",
              "amount", "currency", "year", "stage", "quote")
    by: dict[str | None, list[Any]] = defaultdict(list)
    for r in rows:
        by[r["country"]].append(Member(claim_id=r["id"], **{f: r[f] for f in fields if r.get(f) is not None},
                                       date=str(r["year"]), source=r["publisher"]))
    return by


def run_group(n: int) -> dict[str, Any]:
    from survindex.cases import group_country
    from survindex.model import vocabulary

    by = _members(generate(n))
    v = vocabulary()
    t0 = time.perf_counter()
    base: dict[tuple[str | None, str, str], list[str]] = defaultdict(list)
    for country, ms in by.items():
        for m in ms:
            base[(country, v.case_group(m.technology), (m.supplier or "").casefold())].append(m.claim_id)
    baseline = time.perf_counter() - t0
    t0 = time.perf_counter()
    cases = sum(len(group_country(ms)) for _, ms in sorted(by.items(), key=lambda kv: kv[0] or ""))
    took = time.perf_counter() - t0
    return {"mode": "group", "n": n, "seconds": took, "baseline_seconds": baseline, "cases": cases,
            "baseline_groups": len(base), "countries": len(by), "largest_country": max(map(len, by.values())),
            "peak_rss_mb": _rss_mb()}


def _write_store(path: str, rows: Iterable[dict[str, Any]]) -> Any:
    from sqlalchemy import insert

    from survindex.store import open_store
    from survindex.store import schema as s

    store = open_store(path)
    now = "2026-12-06T00:00:00Z"
    cols = ("id", "kind", "country", "technology", "supplier", "supplier_country", "deployer", "financier",
            "flow_type", "amount", "currency", "year", "stage", "quote")
    rows = iter(rows)
    with store.transaction() as conn:
        while batch := list(itertools.islice(rows, 5000)):
            conn.execute(insert(s.documents), [
                {"id": f"doc-{r['id']}", "text": r["quote"], "publisher": r["publisher"], "published": str(r["year"]),
                 "meta": {}, "ingested_at": now} for r in batch])
            conn.execute(insert(s.claims), [
                {**{c: r.get(c) for c in cols}, "doc_id": f"doc-{r['id']}", "original": {}, "extractor": "bench",
                 "extractor_version": "1", "created_at": now, "supplier_resolved": True, "confidence": 0.7,
                 "negated": False, "status": "unreviewed", "version": 1} for r in batch])
    return store


def run_store(n: int) -> dict[str, Any]:
    from survindex.store import cases as store_cases

    rows = generate(n)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        store = _write_store(str(Path(tmp) / "bench.db"), rows)
        written = time.perf_counter() - t0
        t0 = time.perf_counter()
        countries = store_cases.refresh(store, everything=True)
        took = time.perf_counter() - t0
        t0 = time.perf_counter()
        store_cases.refresh(store, everything=True)  # again: nothing moves
        again = time.perf_counter() - t0
        cases = store_cases.count_cases(store)
        size = (Path(tmp) / "bench.db").stat().st_size / 2**20
    return {"mode": "store", "n": n, "seconds": took, "rebuild_again_seconds": again, "write_seconds": written,
            "cases": cases, "countries": countries, "db_mb": round(size, 1), "peak_rss_mb": _rss_mb()}


def _report(r: dict[str, Any], p: dict[str, Any] | None) -> None:
    """One line: ``r`` and, when ``p`` is the same mode at a smaller size, the growth exponent from it."""
    line = (f"{r['mode']:5} n={r['n']:>9,}  {r['seconds']:8.2f} s  peak RSS {r['peak_rss_mb']:7.0f} MB  "
            f"{r['n'] / r['seconds']:>9,.0f} claims/s  cases {r['cases']:>8,}")
    if r["mode"] == "group":
        line += f"  baseline {r['baseline_seconds']:.3f} s (x{r['seconds'] / r['baseline_seconds']:.0f})"
    else:
        line += f"  write {r['write_seconds']:.1f} s  rebuild again {r['rebuild_again_seconds']:.2f} s"
    if p:
        line += f"  growth exponent {math.log(r['seconds'] / p['seconds']) / math.log(r['n'] / p['n']):.2f}"
    print(line, flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000,100000", help="claim counts, comma-separated (e.g. 10000,100000,1000000)")
    ap.add_argument("--modes", default="group,store", help="group (in-process) and/or store (SQLite rebuild)")
    ap.add_argument("--one", nargs=2, metavar=("MODE", "N"), help=argparse.SUPPRESS)  # a child: one measurement
    args = ap.parse_args()
    if args.one:
        mode, n = args.one[0], int(args.one[1])
        print(json.dumps(run_group(n) if mode == "group" else run_store(n)))
        return 0
    results = []
    for mode in args.modes.split(","):
        for n in sorted(int(x) for x in args.sizes.split(",")):
            out = subprocess.run([sys.executable, __file__, "--one", mode, str(n)], capture_output=True, text=True)
            if out.returncode != 0:
                print(out.stderr, file=sys.stderr)
                return 1
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
            prev = results[-2] if len(results) > 1 and results[-2]["mode"] == mode else None
            _report(results[-1], prev)
    return 0


if __name__ == "__main__":
    sys.exit(main())
