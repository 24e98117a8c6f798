"""The index from SQL GROUP BY rows (store.aggregates + index.compute_aggregates) equals the pure index over
every claim, on generated claim sets, for every status selection and as-of date (SQLite and PostgreSQL)."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survindex.index import compute, compute_aggregates, load, summary
from survindex.model import Claim
from survindex.store import open_store
from survindex.store import schema as s
from survindex.store.aggregates import index_aggregates
from survindex.store.case_reads import claim_cases
from tests.test_index import REF

COUNTRIES = ("PAK", "KEN", "ECU", "DEU", "LAO", None)
SUPPLIERS = ("Huawei", "Hikvision", "NEC", "IBM", "Acme", "Safaricom", "CEIEC", None)  # Safaricom, CEIEC: contractors
TECHS = ("safe_city", "facial_recognition", "video_surveillance", "spyware", None)
_counter = itertools.count()

# what the targeted section reads of ``original``, well-formed or not
ORIGINAL = st.fixed_dictionaries({}, optional={
    "category": st.sampled_from(("Spyware", "", 5, True, None)),
    "vendor": st.sampled_from((" NSO Group ", "Huawei", "", "  ", 3)),
    "supplier_countries": st.sampled_from((["CHN", "ISR"], ["USA"], [], "ISR", None)),
    "source_regime": st.sampled_from(({"type": "closed_autocracy"}, {"type": "liberal_democracy", "raw": "x"},
                                      {"type": "nonsense"}, {"type": ["closed_autocracy"]}, "closed_autocracy"))})

claim_st = st.builds(
    lambda kind, country, supplier, hq, resolved, tech, year, status, negated, conf, fin, amount, doc, subj, count,
    original:
    Claim(doc_id=f"doc-{doc}", kind=kind, quote=f"q{next(_counter)}", extractor="t", extractor_version="1",
          country=country, supplier=supplier, supplier_country=hq, supplier_resolved=resolved, technology=tech,
          year=year, status=status, negated=negated, confidence=conf,
          financier=fin if kind == "financing" else None, amount_usd=amount if kind == "financing" else None,
          subject=subj if kind in ("supplier_reach", "membership") else None,
          count=count if kind == "supplier_reach" else None, original=original),
    st.sampled_from(("deployment", "deployment", "deployment", "financing", "supplier_reach", "membership")),
    st.sampled_from(COUNTRIES), st.sampled_from(SUPPLIERS), st.sampled_from(("CHN", "USA", None, None)),
    st.booleans(), st.sampled_from(TECHS), st.one_of(st.none(), st.integers(2010, 2024)),
    st.sampled_from(("accepted", "accepted", "unreviewed", "rejected")), st.booleans(),
    st.sampled_from((0.2, 0.5, 0.9)), st.sampled_from(("China Exim Bank", None)),
    st.one_of(st.none(), st.sampled_from((1e6, 2.5e6, 0.0))), st.integers(0, 3),
    st.sampled_from(("supplier", "bri", "all", None)), st.integers(1, 80), ORIGINAL)

SELECTIONS = (("accepted", None, None), ("all", None, None), ("all", 0.5, None),
              ("accepted", None, date(2017, 12, 31)), ("all", 0.5, date(2020, 6, 30)))


def _db(path: Path, claims: list[Claim]) -> Any:
    store = open_store(str(path))
    with store.transaction() as c:
        c.execute(sa.delete(s.claims))
        c.execute(sa.delete(s.documents))
        for d in range(4):
            c.execute(sa.insert(s.documents).values(id=f"doc-{d}", text="x", meta={}, ingested_at="2024"))
    store.put_claims(claims)
    store.refresh_cases()
    return store


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(claim_st, max_size=40))
def test_sql_aggregates_give_the_pure_index(tmp_path: Path, claims: list[Claim]) -> None:
    store = _db(tmp_path / "agg.db", claims)
    try:
        for status, min_conf, as_of in SELECTIONS:
            pure = compute(load(store, status=status, min_confidence=min_conf, as_of=as_of), as_of=as_of, ref=REF,
                           case_of=claim_cases(store))
            sql = compute_aggregates(index_aggregates(store, status, min_conf, as_of), as_of=as_of, ref=REF)
            assert summary(sql) == summary(pure), (status, min_conf, as_of)
            for key in ("countries_detail", "evidence"):  # targeted surveillance: with its claim ids
                assert sql["targeted"][key] == pure["targeted"][key], (key, status, min_conf, as_of)
            for iso, d in pure["countries_detail"].items():  # the profiles too, less the claim ids
                assert sql["countries_detail"][iso] == {**d, "claims": []}
    finally:
        store.close()


def test_sql_aggregates_on_both_databases(any_db: str) -> None:
    spy = {"category": "Spyware", "vendor": "NSO", "supplier_countries": ["ISR", "HUN"],
           "source_regime": {"type": "electoral_autocracy", "raw": "Electoral Autocracy"}}
    claims = [Claim(doc_id="doc-0", kind="deployment", quote=f"q{i}", extractor="t", extractor_version="1",
                    country=c, supplier=sup, technology=t, year=y, status="accepted", supplier_country=hq,
                    original=spy if t == "spyware" else {})
              for i, (c, sup, t, y, hq) in enumerate([
                  ("PAK", "Huawei", "safe_city", 2018, "CHN"), ("KEN", "NSO Group", "spyware", None, "ISR"),
                  ("KEN", "NSO Group", "spyware", 2020, "ISR"), ("ECU", "NEC", "safe_city", 2021, "JPN"),
                  ("PAK", None, None, 2012, None)])]
    store = open_store(any_db)
    with store.transaction() as c:
        c.execute(sa.insert(s.documents).values(id="doc-0", text="x", meta={}, ingested_at="2024"))
    store.put_claims(claims)
    store.refresh_cases()
    for as_of in (None, date(2019, 12, 31)):
        pure = compute(load(store, as_of=as_of), as_of=as_of, ref=REF, case_of=claim_cases(store))
        sql = compute_aggregates(index_aggregates(store, as_of=as_of), as_of=as_of, ref=REF)
        assert summary(sql) == summary(pure) and sql["targeted"] == pure["targeted"]
    assert pure["targeted"]["vendor_names"] == {"NSO Group": ["NSO"]}
    assert pure["targeted"]["by_vendor_country"] == {"HUN": 1, "ISR": 1}
    assert pure["targeted"]["countries_detail"]["KEN"]["regime_source"] == "electoral_autocracy"
    store.close()


def test_parallel_reads_see_one_state_of_the_data(any_db: str) -> None:
    """The index's reads run on several connections; a claim added while they run is seen by all of them or by
    none (PostgreSQL: one exported snapshot; SQLite: read again in one transaction when the data moved)."""
    import threading

    from survindex.store.aggregates import _together

    store = open_store(any_db)
    with store.transaction() as c:
        c.execute(sa.insert(s.documents).values(id="doc-0", text="x", meta={}, ingested_at="2024"))

    def claim(country: str) -> Claim:
        return Claim(doc_id="doc-0", kind="deployment", quote=f"Cameras in {country}.", extractor="t",
                     extractor_version="1", country=country, status="accepted")

    store.put_claims([claim("KEN")])
    count = sa.select(sa.func.count()).select_from(s.claims)
    first_read = threading.Event()

    def before(conn: Any) -> int:
        n = int(conn.execute(count).scalar_one())
        first_read.set()
        return n

    def after(conn: Any) -> int:
        first_read.wait(10)
        store.put_claims([claim("PAK")])  # lands between the two reads (the same claim again when read once more)
        return int(conn.execute(count).scalar_one())

    got = _together(store, {"before": before, "after": after})
    assert got["before"] == got["after"]
    store.close()


def test_an_in_memory_database_is_read_on_one_connection() -> None:
    store = open_store(":memory:")
    with store.transaction() as c:
        c.execute(sa.insert(s.documents).values(id="doc-0", text="x", meta={}, ingested_at="2024"))
    store.put_claims([Claim(doc_id="doc-0", kind="deployment", quote="Cameras in Kenya.", extractor="t",
                            extractor_version="1", country="KEN", technology="safe_city", status="accepted")])
    assert compute_aggregates(index_aggregates(store), ref=REF)["countries"] == 1
    store.close()
