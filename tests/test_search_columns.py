"""Search counts, facets and first claims from the claims' columns in memory (store.columns) equal those of the
SQL scan (store.search.summary without them), on generated claim sets and queries, for both policies, on SQLite and
PostgreSQL; the columns follow reviews (re-reading only the reviewed claims) and imports (read again)."""

from __future__ import annotations

import itertools
import time
from unittest import mock
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survindex import policy
from survindex.model import Claim
from survindex.store import ClaimFilter, open_store
from survindex.store import schema as s
from survindex.store import search as ss
from survindex.store import columns
from survindex.store.columns import ClaimColumns, code_type
from survindex.store.safety import StorageError

WORDS = ("safe", "city", "camera", "police", "loan", "cameras", "e-mail", "O'Neil's", "the")
COLUMNS = ("technology", "country", "supplier", "status")
_counter = itertools.count()

claim_st = st.builds(
    lambda words, kind, country, supplier, tech, year, status, negated, conf, fin, doc:
    Claim(doc_id=f"doc-{doc}", kind=kind, quote=" ".join(words) + f" n{next(_counter)}", extractor="t",
          extractor_version="1", country=country, supplier=supplier, supplier_country="CHN" if supplier else None,
          technology=tech, year=year, status=status, negated=negated, confidence=conf, financier=fin),
    st.lists(st.sampled_from(WORDS), max_size=3), st.sampled_from(("deployment", "deployment", "financing")),
    st.sampled_from(("PAK", "KEN", "ECU", "UGA", "ZWE", None)),  # more values than a facet's limit (3), ties
    st.sampled_from(("Huawei", "Hikvision", "NEC", "ZTE", "Dahua", None)),
    st.sampled_from(("safe_city", "facial_recognition", "spyware", None)),
    st.one_of(st.none(), st.integers(2015, 2022)), st.sampled_from(("accepted", "unreviewed", "rejected")),
    st.booleans(), st.sampled_from((0.2, 0.5, 0.9)),
    st.sampled_from(("China Exim Bank", None)), st.integers(0, 2))

query_st = st.builds(
    lambda q, country, status, tech, year_from, year_to, conf, negated, bri: ss.ClaimQuery(
        filter=ClaimFilter(country=country, status=status, technology=tech, year_from=year_from, year_to=year_to,
                           min_confidence=conf, include_negated=negated),
        q=q, countries=("PAK", "ECU") if bri else None, exclude_countries=("PAK", "ECU") if bri is False else None),
    st.one_of(st.none(), st.sampled_from(WORDS), st.sampled_from(("safe city", "Huawei", "Exim", "absent", "n1", "the", "Cameras", "e-mail",
                                                         "O'Neil", "ZTE camera", "Face++ city", "a\\b"))),
    st.sampled_from(("PAK", "XXX", None, None)), st.sampled_from(("accepted", ("accepted", "unreviewed"), None)),
    st.sampled_from(("spyware", None)), st.sampled_from((2018, None)), st.sampled_from((2020, None)),
    st.sampled_from((0.5, None)), st.booleans(), st.sampled_from((True, False, None)))


def _store(url: str, claims: list[Claim]) -> Any:
    store = open_store(url)
    with store.transaction() as c:
        c.execute(sa.delete(s.claims))
        c.execute(sa.delete(s.documents))
        for d in range(3):
            c.execute(sa.insert(s.documents).values(id=f"doc-{d}", text="x", meta={}, ingested_at="2024"))
    store.put_claims(claims)
    return store


def _same(store: Any, memory: ClaimColumns, query: ss.ClaimQuery) -> None:
    memory.at(ss.data_version(store))
    for each in (policy.public(), policy.EVERYTHING):
        with policy.applied(each):
            sql = ss.summary(store, query, COLUMNS, limit=3, head=4)
            found = memory.summary(ss.data_version(store), query, policy.current().statuses, COLUMNS, 3, 4)
            assert found is not None
            fast = ss.summary(store, query, COLUMNS, limit=3, head=4, memory=memory)
            assert (fast.total, fast.facets) == (sql.total, sql.facets), (query, each.name)
            assert fast.head[1:3] == sql.head[1:3] and len(fast.head) == len(sql.head)  # a page reads its rows
            assert list(fast.head) == sql.head, (query, each.name)  # then the others


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(claim_st, max_size=30), st.lists(query_st, min_size=1, max_size=4), st.sampled_from((1, 3, 1000)))
def test_columns_give_the_sql_summary(any_db: str, claims: list[Claim], queries: list[ss.ClaimQuery],
                                      posted: int) -> None:
    """``posted``: SQLite holds the claims of the terms in at least that many claims (1: every term; 1000:
    none here, FTS5 lists them)."""
    store = _store(any_db, claims)
    try:
        with mock.patch.object(columns, "POSTED", posted):
            memory = ClaimColumns(store)
            for query in queries:
                _same(store, memory, query)
    finally:
        store.close()


def test_plain_query_words_are_the_terms_fts5_makes(tmp_path: Path) -> None:
    """A word of ASCII letters and digits is one FTS5 term, in lower case; any other word is left to FTS5."""
    assert columns.plain_terms(["Huawei", "CCTV", "5G"]) == {"huawei", "cctv", "5g"}
    assert columns.plain_terms(["Zürich"]) is None and columns.plain_terms(["safe_city"]) is None
    store = open_store(str(tmp_path / "t.db"))
    try:
        with store.read() as conn:
            driver: Any = conn.connection.driver_connection
            driver.execute("CREATE VIRTUAL TABLE temp.t USING fts5(x, tokenize='unicode61 remove_diacritics 2')")
            driver.execute("INSERT INTO temp.t VALUES ('Huawei CCTV 5G Zürich safe_city')")
            driver.execute("CREATE VIRTUAL TABLE temp.v USING fts5vocab(temp, t, row)")
            made = {r[0] for r in driver.execute("SELECT term FROM temp.v")}
        assert {"huawei", "cctv", "5g"} <= made and "zürich" not in made  # folded by FTS5: left to it
    finally:
        store.close()


def test_a_read_only_store_holds_the_common_terms_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The terms' list is a temporary table, which a read-only store's connections (``query_only``) would refuse:
    allowed for its creation only, the store still refuses writes after."""
    path = str(tmp_path / "ro.db")
    _store(path, _claims(12)).close()
    monkeypatch.setattr(columns, "POSTED", 2)
    store = open_store(path, read_only=True)
    try:
        memory = ClaimColumns(store)
        snap = memory.at(ss.data_version(store))
        assert snap is not None and snap.postings is not None and {"camera", "huawei"} <= snap.postings.places.keys()
        _same(store, memory, ss.ClaimQuery(q="Huawei camera"))
        with store.read() as conn, pytest.raises(StorageError, match="read-only"):
            conn.execute(sa.text("CREATE TEMP TABLE x (y)"))
    finally:
        store.close()


def test_facets_cut_at_their_limit_keep_ties_in_name_order(any_db: str) -> None:
    """Past a facet's limit only the values as frequent as the limit-th are sorted (by count, then name)."""
    countries = ["KEN"] * 3 + ["PAK"] * 2 + ["ECU"] * 2 + ["UGA"] * 2 + ["ZWE"]
    store = _store(any_db, [Claim(doc_id="doc-0", kind="deployment", quote=f"safe city {i}", extractor="t",
                                  extractor_version="1", country=c, year=2000 + i, status="accepted")
                            for i, c in enumerate(countries)])
    try:
        memory = ClaimColumns(store)
        version = memory.at(ss.data_version(store)).version
        query = ss.ClaimQuery(q="safe")
        for limit in range(1, 7):
            found = memory.summary(version, query, None, ("country",), limit)
            assert found is not None
            assert found.facets == ss.summary(store, query, ("country",), limit=limit).facets
        assert found.facets["country"] == [("KEN", 3), ("ECU", 2), ("PAK", 2), ("UGA", 2), ("ZWE", 1)]
        assert memory.summary(version, query, None, ("country",), 2).facets["country"] == [("KEN", 3), ("ECU", 2)]
    finally:
        store.close()


def _claims(n: int, first: int = 0) -> list[Claim]:
    return [Claim(doc_id="doc-0", kind="deployment", quote=f"safe city camera {i}", extractor="t",
                  extractor_version="1", country=("PAK", "KEN")[i % 2], supplier=("Huawei", None)[i % 2 == 0],
                  technology="safe_city", year=1900 + i, status="unreviewed", confidence=0.1 * (i % 10))
            for i in range(first, first + n)]


@pytest.mark.parametrize("posted", [1, 1000])
def test_columns_follow_reviews_and_imports(any_db: str, monkeypatch: pytest.MonkeyPatch, posted: int) -> None:
    monkeypatch.setattr(columns, "POSTED", posted)
    store = _store(any_db, _claims(20))
    try:
        memory = ClaimColumns(store)
        queries = [ss.ClaimQuery(q="camera"), ss.ClaimQuery(q="safe", filter=ClaimFilter(status="accepted")),
                   ss.ClaimQuery(filter=ClaimFilter(country="ECU")), ss.ClaimQuery(q="ZTE"),
                   ss.ClaimQuery(q="Huawei camera")]
        for q in queries:
            _same(store, memory, q)
        head = ss.summary(store, queries[0], COLUMNS, head=5, memory=memory).head
        assert isinstance(head, ss.Head) and len(head) == 5 and not head.rows  # the keys only
        monkeypatch.setattr(ss, "READ_AHEAD", 3)
        assert len(head[:2]) == 2 and set(head.rows) == set(head.keys[:3])  # a page reads its claims and the next
        assert head[1:3] == [head.rows[k] for k in head.keys[1:3]] and len(head.rows) == 3  # read before: no read
        assert len(head[3:4]) == 1 and set(head.rows) == set(head.keys)  # the next page's start, up to READ_AHEAD
        before = memory.at(ss.data_version(store))
        claim = next(iter(store.claims(ClaimFilter(country="PAK"))))
        store.update_claim(claim.id, {"status": "accepted", "country": "ECU", "supplier": "ZTE"}, actor="ed",
                           expected_version=1)
        after = memory.at(ss.data_version(store))
        assert after is not None and after.rank is before.rank  # only the reviewed claim was read again
        if after.postings is not None:  # its words too (its supplier is in its full-text index)
            assert after.postings.places is before.postings.places  # type: ignore[union-attr]
            assert len(after.postings.changed) == 1
        for q in queries:
            _same(store, memory, q)
        other = next(iter(store.claims(ClaimFilter(country="KEN"))))  # a name FTS5 folds: found as "Huawei"
        store.update_claim(other.id, {"supplier": "Huawéi Technologies"}, actor="ed", expected_version=1)
        for q in (*queries, ss.ClaimQuery(q="Technologies")):
            _same(store, memory, q)
        store.put_claims(_claims(5, first=100))  # an import: every claim read again
        for q in queries:
            _same(store, memory, q)
        assert memory.at(ss.data_version(store)).rank is not before.rank  # type: ignore[union-attr]
    finally:
        store.close()


def test_codes_widen_when_a_correction_adds_a_value(any_db: str) -> None:
    """Codes are held in the narrowest integer type (``code_type``); a correction naming a new value past what
    that type holds widens them, and the counts stay those of SQL."""
    assert [code_type(n) for n in (0, 127, 128, 32767, 32768)] == [np.int8, np.int8, np.int16, np.int16, np.int32]
    claims = [Claim(doc_id="doc-0", kind="deployment", quote=f"camera {i}", extractor="t", extractor_version="1",
                    country="PAK", supplier=f"Supplier {i}", status="unreviewed") for i in range(127)]
    store = _store(any_db, claims)
    try:
        memory = ClaimColumns(store)
        before = memory.at(ss.data_version(store))
        assert before is not None and before.codes["supplier"].dtype == np.int8
        claim = next(iter(store.claims(ClaimFilter(supplier="Supplier 7"))))
        store.update_claim(claim.id, {"supplier": "A new supplier"}, actor="ed", expected_version=1)
        after = memory.at(ss.data_version(store))
        assert after is not None and after.rank is before.rank  # read again by claim, not whole
        assert after.codes["supplier"].dtype == np.int16 and before.codes["supplier"].dtype == np.int8
        query = ss.ClaimQuery(q="camera", filter=ClaimFilter(supplier="A new supplier"))
        assert memory.summary(ss.data_version(store), query, None, COLUMNS).total == 1  # type: ignore[union-attr]
        _same(store, memory, query)
        _same(store, memory, ss.ClaimQuery(q="camera"))
    finally:
        store.close()


def test_columns_read_in_the_background_meanwhile_sql_answers(tmp_path: Path) -> None:
    store = _store(str(tmp_path / "bg.db"), _claims(30))
    try:
        memory = ClaimColumns(store)
        version = ss.data_version(store)
        assert memory.summary(version, ss.ClaimQuery(q="camera"), None, COLUMNS) is None  # reading started
        deadline = time.monotonic() + 10
        while memory.at(version, wait=False) is None and time.monotonic() < deadline:
            time.sleep(0.01)
        found = memory.summary(version, ss.ClaimQuery(q="camera"), None, COLUMNS)
        assert found is not None and found.total == 30
        doc = ss.ClaimQuery(filter=ClaimFilter(doc_id="doc-0"))
        assert memory.summary(version, doc, None, COLUMNS) is None  # a document filter: SQL answers it
    finally:
        store.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(("safe city", "loan", "safe loan")),
                          st.one_of(st.none(), st.sampled_from(("2019", "2021-03", "2021-03-04", "2024")))),
                min_size=1, max_size=12),
       st.sampled_from(("safe", "loan", "absent")), st.integers(0, 4), st.integers(1, 3))
def test_documents_found_newest_first_however_many_match(tmp_path_factory: Any, monkeypatch: Any,
                                                         docs: list[tuple[str, str | None]], q: str, walk: int,
                                                         chunk: int) -> None:
    """Few matches are listed then sorted; more than ``WALK_DOCUMENTS`` are found by walking the documents newest
    first, ``WALK_CHUNK`` at a time: the same page either way."""
    from survindex.model import Document

    store = open_store(str(tmp_path_factory.mktemp("docs") / "d.db"))
    for i, (body, published) in enumerate(docs):
        store.put_document(Document(id=f"doc-{i:02d}", text=f"{body} n{i}", published=published))
    matching = [(p or "", f"doc-{i:02d}") for i, (body, p) in enumerate(docs) if q in body]
    newest = [d for _, d in sorted(((p, d) for p, d in matching if p), key=lambda x: x[0], reverse=True)] + \
        [d for p, d in matching if not p]  # newest first, ties and undated ones by id
    monkeypatch.setattr(ss, "WALK_DOCUMENTS", walk)
    monkeypatch.setattr(ss, "WALK_CHUNK", chunk)
    assert [r["id"] for r in ss.search_documents(store, q, limit=5)] == newest[:5]
    assert [r["id"] for r in ss.search_documents(store, q, limit=3, offset=2)] == newest[2:5]
    store.close()


def test_documents_newest_first_with_snippets_only_where_texts_are_shown(any_db: str) -> None:
    """On both databases: the matching documents newest first (undated last, ties by id), paged by offset; a
    snippet of the text where the policy shows full texts, none (and the text not read) where it does not."""
    from survindex.model import Document

    store = _store(any_db, [])
    try:
        for i, published in enumerate(("2021-03-04", None, "2024", "2019", "2024")):
            store.put_document(Document(id=f"news-{i}", text=f"Cameras from Huawei were installed in city {i}.",
                                        title=f"Report {i}", published=published))
        store.put_document(Document(id="other", text="Nothing to see.", published="2025"))
        with policy.applied(policy.EVERYTHING):
            found = ss.search_documents(store, "huawei cameras", limit=3)
            assert [d["id"] for d in found] == ["news-2", "news-4", "news-0"]
            assert "Huawei" in found[0]["snippet"] and found[0]["title"] == "Report 2"
            assert [d["id"] for d in ss.search_documents(store, "huawei", limit=5, offset=3)] == ["news-3", "news-1"]
        with policy.applied(policy.REVIEWED):
            shown = ss.search_documents(store, "Huawei", limit=2)
            assert [d["id"] for d in shown] == ["news-2", "news-4"] and {d["snippet"] for d in shown} == {""}
            assert "text" not in shown[0]
    finally:
        store.close()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(claim_st, max_size=30), st.lists(query_st, min_size=1, max_size=3))
def test_review_queue_counts_from_the_columns(tmp_path_factory: Any, claims: list[Claim],
                                              queries: list[ss.ClaimQuery]) -> None:
    from survindex.web import views
    from survindex.web.params import Filters, Page
    from survindex.web.state import DataCache

    store = _store(str(tmp_path_factory.mktemp("q") / "q.db"), claims)
    cache = DataCache(store)
    cache.columns.at(cache.version())
    for query in queries:
        for each in (policy.public(), policy.EVERYTHING):
            with policy.applied(each):
                f = Filters({}, query)
                assert views.review_queue(store, f, Page(5, 0), cache=cache)["total"] == \
                    views.review_queue(store, f, Page(5, 0))["total"], (query, each.name)
    store.close()
