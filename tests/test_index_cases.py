"""The index counts cases: a loan reported by several sources is one project, a prime contractor whose case names
a maker is not counted as a supplier, and cases are counted by their first dated year — the same from every claim
(``index.compute`` with the store's cases) as from SQL GROUP BY rows (``store.aggregates``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from survindex.index import compute, compute_aggregates, load
from survindex.model import Claim
from survindex.store import open_store
from survindex.store import schema as s
from survindex.store.aggregates import index_aggregates
from survindex.store.case_reads import claim_cases
from tests.test_index import REF

DOCS = ("doc-a", "doc-b", "doc-c", "doc-d")


def _claim(doc: str, kind: str, **kw: Any) -> Claim:
    return Claim(doc_id=doc, kind=kind, quote=f"{doc} {kind} {sorted(kw.items())}", extractor="t",
                 extractor_version="1", status="accepted", **kw)


CLAIMS = [
    # Kenya's safe city: Huawei in two articles, its operator Safaricom in a third; one Exim Bank loan in three
    _claim("doc-a", "deployment", country="KEN", technology="safe_city", supplier="Huawei", year=2015),
    _claim("doc-b", "deployment", country="KEN", technology="safe_city", supplier="Huawei", year=2016),
    _claim("doc-c", "deployment", country="KEN", technology="safe_city", supplier="Safaricom",
           supplier_country="KEN", year=2014),
    *(_claim(doc, "financing", country="KEN", technology="safe_city", financier="Export-Import Bank of China",
             amount_usd=amount, year=2014) for doc, amount in (("doc-a", 1.5e8), ("doc-b", 1.7e8), ("doc-c", None))),
    # Ethiopia: only the operator is named, so it is the case's supplier
    _claim("doc-d", "deployment", country="ETH", technology="safe_city", supplier="Ethio Telecom", year=2019),
    # Pakistan: a second, undated case
    _claim("doc-d", "deployment", country="PAK", technology="facial_recognition", supplier="NEC"),
]


def _indexes(tmp_path: Path, as_of: date | None = None) -> list[dict[str, Any]]:
    store = open_store(str(tmp_path / "cases.db"))
    try:
        with store.transaction() as c:
            for d in DOCS:
                c.execute(sa.insert(s.documents).values(id=d, text="x", meta={}, ingested_at="2024"))
        store.put_claims(CLAIMS)
        store.refresh_cases()
        pure = compute(load(store, as_of=as_of), as_of=as_of, ref=REF, case_of=claim_cases(store))
        sql = compute_aggregates(index_aggregates(store, as_of=as_of), as_of=as_of, ref=REF)
        return [pure, sql]
    finally:
        store.close()


def test_the_index_counts_cases(tmp_path: Path) -> None:
    for index in _indexes(tmp_path):
        assert index["countries"] == 3
        assert index["cases"] == 3  # Kenya's three articles are one case
        assert "AI surveillance technology is documented in 3 countries (3 deployment cases)." in index["headlines"]
        assert index["by_supplier"] == {"Ethio Telecom": 1, "Huawei": 1, "NEC": 1}  # not Safaricom
        assert index["by_supplier_country"] == {"CHN": 1, "JPN": 1}
        assert index["financing"]["Export-Import Bank of China"] == {"projects": 1, "countries": 1,
                                                                     "amount_usd": 1.7e8}
        assert index["by_year"]["2014"]["new_cases"] == 1 and index["by_year"]["2014"]["claims"] == 1
        assert index["by_year"]["2019"]["cases_cumulative"] == 2  # the undated case counts in the total only


def test_detail_leads_from_each_figure_to_its_cases(tmp_path: Path) -> None:
    pure, _ = _indexes(tmp_path)
    ken = pure["evidence_cases"]["by_supplier"]["Huawei"]["KEN"]
    assert len(ken) == 1 and ken == pure["evidence_cases"]["financing"]["Export-Import Bank of China"]["KEN"]
    assert len(pure["evidence"]["by_supplier"]["Huawei"]["KEN"]) == 2  # two claims, one case


def test_a_contractor_counts_until_its_maker_is_reported(tmp_path: Path) -> None:
    for index in _indexes(tmp_path, as_of=date(2014, 12, 31)):
        assert index["by_supplier"] == {"NEC": 1, "Safaricom": 1}
        assert index["by_supplier_country"] == {"JPN": 1, "KEN": 1}
        assert index["cases"] == 2
