"""Pairwise precision and recall of case grouping on a labelled set (the format of
``tests/fixtures/cases/grouping.yaml``: claims with ``id``, ``case`` and the claim fields, each citing its page).

    .venv/bin/python benchmarks/grouping_eval.py [FILE ...]      # default: the labelled set in tests/

Prints one line per file and, for each labelled case split over several predicted cases or each predicted case
mixing labels, the claims involved (what to read to see why)."""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from survindex.cases import group_country  # noqa: E402
from tests.test_grouping_eval import FIXTURE, member, pairwise  # noqa: E402


def report(path: Path) -> None:
    rows = yaml.safe_load(path.read_text("utf-8"))["claims"]
    precision, recall, predicted, labelled = pairwise(rows)
    print(f"{path}: {len(rows)} claims, pairwise precision {precision:.3f}, recall {recall:.3f} "
          f"({predicted} predicted pairs, {labelled} labelled pairs)")
    label = {r["id"]: r["case"] for r in rows}
    by_country: dict[str, list[dict[str, object]]] = defaultdict(list)
    for r in rows:
        by_country[str(r["country"])].append(r)
    found: dict[str, set[str]] = defaultdict(set)
    for country_rows in by_country.values():
        for case in group_country([member(r) for r in country_rows]):
            if len({label[c] for c in case.claims}) > 1:
                print(f"  mixed {case.key}: {[(c, label[c]) for c in case.claims]}")
            for c in case.claims:
                found[label[c]].add(case.id)
    for name, ids in sorted(found.items()):
        if len(ids) > 1:
            print(f"  split {name}: over {len(ids)} cases")


def main() -> int:
    for arg in sys.argv[1:] or [str(FIXTURE)]:
        report(Path(arg))
    return 0


if __name__ == "__main__":
    sys.exit(main())
