"""Grouping measured on a labelled set written from public reporting (``tests/fixtures/cases/grouping.yaml``): every
claim carries the case a person would file it under; ``survindex.cases.group_country`` groups the claims of each
country, and pairwise precision and recall compare its cases with the labels (a pair of claims is positive when
both are in one case)."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any

import yaml

from survindex.cases import Member, group_country

FIXTURE = Path(__file__).parent / "fixtures" / "cases" / "grouping.yaml"
MEMBER_FIELDS = ("kind", "country", "technology", "supplier", "deployer", "financier", "flow_type", "amount",
                 "currency", "year", "stage")


def load() -> list[dict[str, Any]]:
    claims: list[dict[str, Any]] = yaml.safe_load(FIXTURE.read_text("utf-8"))["claims"]
    return claims


def member(row: dict[str, Any]) -> Member:
    return Member(claim_id=row["id"], **{k: row[k] for k in MEMBER_FIELDS if row.get(k) is not None},
                  quote=row["summary"], date=str(row["date"]), source=row["publisher"].casefold())


def pairwise(rows: list[dict[str, Any]]) -> tuple[float, float, int, int]:
    """(precision, recall, predicted pairs, labelled pairs) of grouping ``rows`` country by country."""
    by_country: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_country[r["country"]].append(r)
    predicted: set[frozenset[str]] = set()
    for country_rows in by_country.values():
        for case in group_country([member(r) for r in country_rows]):
            predicted |= {frozenset(p) for p in combinations(case.claims, 2)}
    label = {r["id"]: r["case"] for r in rows}
    truth = {frozenset((a, b)) for a, b in combinations(sorted(label), 2) if label[a] == label[b]}
    hits = len(predicted & truth)
    return (hits / len(predicted) if predicted else 1.0), (hits / len(truth) if truth else 1.0), len(predicted), \
        len(truth)


def test_the_labelled_set_is_well_formed() -> None:
    rows = load()
    assert 30 <= len(rows) <= 60 and len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert r["url"].startswith("http") and r["publisher"] and r["summary"] and r["case"].startswith(r["country"])


def test_pairwise_precision_and_recall_of_grouping() -> None:
    precision, recall, predicted, labelled = pairwise(load())
    print(f"\ngrouping on {len(load())} labelled claims: pairwise precision {precision:.3f}, recall {recall:.3f} "
          f"({predicted} predicted pairs, {labelled} labelled pairs)")
    assert precision >= 0.95
    assert recall >= 0.9  # 38 claims: 0.651 when the set was written (misses: prime contractor vs maker, one body
    # named several ways, "Government of" vs "Police"); 47 claims (Mauritius, Philippines added): 0.593 before,
    # 1.000 after the contractor, public-body and generic-government rules (0.975 before CITCC joined
    # contractors.yaml). The rules were written against this set: a held-out set measures them honestly
    # (benchmarks/grouping_eval.py FILE).
