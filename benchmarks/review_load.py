"""How much a reviewer must read: review items (cases) per true fact on the labelled long-form news sets.

A new user's path, as commands: `survindex ingest` the gold articles (id and text only), `survindex extract --db`,
then the review queue holds one item per unreviewed case. Each case is compared with the analyst's facts of the
documents its claims come from (same country, one of the fact's technologies):

  items              cases in the queue (deployment cases; financing-only cases are counted apart)
  facts              required facts of the set (one per document and deployment, as labelled)
  distinct_facts     required facts counted once across documents: (country, first technology, supplier)
  items_per_fact     items / facts (the issue's measure; target <= 1.2)
  items_per_distinct items / distinct_facts (stricter: an article's fact reported by three articles is one)
  true_items         items that match at least one fact; false_items = the rest
  facts_covered      required facts matched by some item (recall at case level)
  split_facts        required facts matched by more than one item (the reviewer sees them twice or more)

    .venv/bin/python benchmarks/review_load.py [--sets a,b] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SURVINDEX_SHARED", ROOT.parent / "shared"))
BIN = Path(sys.executable).parent


def _run(*args: str) -> None:
    subprocess.run([str(BIN / "survindex"), *args], check=True, stdout=subprocess.DEVNULL)


def _facts(gold: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    return {d["id"]: [f for f in d["gold"].get("facts", []) if f.get("country")] for d in gold}


def measure(name: str, workdir: Path) -> dict[str, Any]:
    """Ingest, extract and group one gold set in a fresh database; compare its cases with the facts."""
    from survindex.store import open_store
    from survindex.store import cases as store_cases

    gold = [json.loads(line) for line in (SHARED / "gold" / f"{name}.jsonl").read_text("utf-8").splitlines()]
    docs = workdir / f"{name}.jsonl"
    docs.write_text("".join(json.dumps({"id": d["id"], "text": d["text"]}) + "\n" for d in gold), "utf-8")
    db = workdir / f"{name}.db"
    db.unlink(missing_ok=True)
    _run("ingest", "--db", str(db), "--no-progress", str(docs))
    _run("extract", "--db", str(db))
    store = open_store(str(db))
    source_of = {d.id: d.meta.get("source_id") for d in store.documents()}
    claim_doc = {c.id: c.doc_id for c in store.claims()}
    facts = _facts(gold)
    items = financing = true_items = 0
    hits: dict[tuple[str, int], int] = defaultdict(int)
    for case in store_cases.iter_cases(store, store_cases.CaseFilter(), with_claims=True):
        if not case.get("technology"):
            financing += 1
            continue
        items += 1
        matched = {(gid, i) for cid in case["claim_ids"] if (gid := source_of.get(claim_doc.get(cid, ""))) for
                   i, f in enumerate(facts.get(gid, [])) if f["country"] == case["country"]
                   and case["technology"] in f["technologies"]}
        true_items += bool(matched)
        for key in matched:
            hits[key] += 1
    required = [(gid, i) for gid, fs in facts.items() for i, f in enumerate(fs) if not f.get("optional")]
    distinct = {(f["country"], f["technologies"][0], (f.get("supplier") or "").casefold())
                for fs in facts.values() for f in fs if not f.get("optional")}
    return {"set": name, "items": items, "financing_items": financing, "facts": len(required),
            "distinct_facts": len(distinct), "items_per_fact": round(items / max(len(required), 1), 2),
            "items_per_distinct": round(items / max(len(distinct), 1), 2), "true_items": true_items,
            "false_items": items - true_items, "facts_covered": sum(1 for k in required if hits.get(k)),
            "split_facts": sum(1 for k in required if hits.get(k, 0) > 1)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", default="a,b", help="news-dev sets to measure (letters)")
    ap.add_argument("--keep", type=Path, help="keep the databases in this directory")
    args = ap.parse_args()
    if not (SHARED / "gold").is_dir():
        print(f"no gold sets at {SHARED / 'gold'}: put ../shared beside the checkout", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for letter in args.sets.split(","):
            print(json.dumps(measure(f"news-dev-{letter.strip()}", work)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
