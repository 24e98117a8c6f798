"""The store on real SQLite files and PostgreSQL: round trips, idempotency, transactions, concurrency."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text, update

from survindex.model import TECHNOLOGY_KEYS, Claim, Document
from survindex.store import ClaimFilter, ConflictError, Store, open_store
from survindex.store import schema as s


def _doc(text: str = "Huawei supplied a safe-city platform to Kenya.") -> Document:
    return Document.from_text(text, title="Example")


def _claim(doc: Document, **kw: object) -> Claim:
    base: dict[str, object] = dict(doc_id=doc.id, kind="deployment", quote=doc.text, extractor="test",
                                   extractor_version="1", country="KEN", supplier="Huawei", technology="safe_city",
                                   start=0, end=len(doc.text))
    base.update(kw)
    return Claim(**base)  # type: ignore[arg-type]


def _stored(db: str, *claims: Claim) -> tuple[Store, Document]:
    """A store at ``db`` holding the example document and ``claims`` (default: one claim from it)."""
    store = open_store(db)
    doc = _doc()
    store.put_document(doc)
    store.put_claims(list(claims) or [_claim(doc)])
    return store, doc


def test_roundtrip_and_idempotent(any_db: str) -> None:
    store = open_store(any_db)
    doc = _doc()
    assert store.put_document(doc, raw=b"<p>raw</p>") is True
    assert store.put_document(doc, raw=b"<p>raw</p>") is False
    c = _claim(doc)
    assert store.put_claims([c]) == 1
    assert store.put_claims([c]) == 0
    assert list(store.claims()) == [c]
    assert store.get_document(doc.id) == doc
    assert store.raw_bytes(doc.id) == b"<p>raw</p>"
    assert store.migrate() == store.migrate()


def test_reimport_keeps_review_status(any_db: str) -> None:
    c = _claim(_doc())
    store, _ = _stored(any_db, c)
    store.update_claim(c.id, {"status": "accepted"}, actor="ed", expected_version=1)
    store.put_claims([c])
    assert store.get_claim(c.id)[0].status == "accepted"


def _abandon_a_write(store: Store, doc: Document) -> None:
    """A transaction that writes a claim, then fails half way."""
    with pytest.raises(RuntimeError):
        with store.transaction() as conn:
            store.put_claims([_claim(doc, country="UGA")], conn=conn)
            raise RuntimeError("half way")


def test_failed_transaction_leaves_db_intact(any_db: str) -> None:
    store, doc = _stored(any_db)
    _abandon_a_write(store, doc)
    assert [c.country for c in store.claims()] == ["KEN"]


def test_reads_open_no_transaction_and_leave_writes_atomic(any_db: str) -> None:
    """``Store.read`` on a database server: no transaction of its own (no BEGIN / ROLLBACK round trips), and the
    pooled connection it used is transactional again for the next writer."""
    store, doc = _stored(any_db)
    with store.read() as conn:
        assert conn.execute(select(func.count()).select_from(s.claims)).scalar_one() == 1
        if store.dialect != "sqlite":
            assert conn.connection.driver_connection.autocommit  # type: ignore[union-attr]
    for _ in range(3):  # the pool hands the same connection back
        _abandon_a_write(store, doc)
    assert [c.country for c in store.claims()] == ["KEN"]


def test_data_version_moves_when_claims_added_are_seen(any_db: str) -> None:
    """The data version's second part moves when a transaction that added claims commits, not before (a reader
    would cache the old claims under the new version); on PostgreSQL two writers adding claims at once do not
    wait for each other (each counts its own transaction, ``m0014_claim_changes``), and an update changes nothing."""
    from survindex.store.search import data_version

    store, doc = _stored(any_db)
    other = Store(any_db)
    try:
        before = data_version(other)
        with store.transaction() as first:
            store.put_claims([_claim(doc, country="UGA")], conn=first)
            store.put_claims([_claim(doc, country="ZWE")], conn=first)  # a second statement, the same transaction
            assert data_version(other) == before
            if store.dialect == "postgresql":
                with other.transaction() as second:  # waits for nothing: fails within the lock timeout if it did
                    second.execute(text("SET LOCAL lock_timeout = '2s'"))
                    other.put_claims([_claim(doc, country="ECU")], conn=second)
        after = data_version(other)
        assert after[1] != before[1] and after[0] == before[0]
        claim = next(iter(store.claims(ClaimFilter(country="UGA"))))
        with store.transaction() as conn:
            conn.execute(update(s.claims).where(s.claims.c.id == claim.id).values(stage="operational"))
        assert data_version(other) == after
        assert {c.country for c in store.claims()} >= {"KEN", "UGA", "ZWE"}
    finally:
        other.close()


def test_optimistic_concurrency_and_audit(any_db: str) -> None:
    c = _claim(_doc())
    store, _ = _stored(any_db, c)
    v2 = store.update_claim(c.id, {"country": "UGA"}, actor="alice", expected_version=1, action="correct")
    assert v2 == 2
    with pytest.raises(ConflictError):
        store.update_claim(c.id, {"status": "rejected"}, actor="bob", expected_version=1)
    claim, meta = store.get_claim(c.id)
    assert claim.country == "UGA" and claim.original["country"] == "KEN" and meta["version"] == 2
    hist = store.history(c.id)
    assert hist[0]["actor"] == "alice" and hist[0]["before"] == {"country": "KEN"}


def test_filters(any_db: str) -> None:
    doc = _doc()
    store, _ = _stored(any_db, _claim(doc), _claim(doc, country="UGA", technology="facial_recognition", year=2019))
    assert store.count_claims(ClaimFilter(aigs_category="facial_recognition")) == 1
    assert store.count_claims(ClaimFilter(year_from=2018)) == 1
    assert store.count_claims(ClaimFilter(status="accepted")) == 0


claims_st = st.builds(
    Claim,
    doc_id=st.just("doc-x"),
    kind=st.sampled_from(["deployment", "financing", "supplier_reach"]),
    quote=st.text(min_size=1, max_size=200),
    extractor=st.text(min_size=1, max_size=20),
    extractor_version=st.just("1"),
    country=st.none() | st.sampled_from(["KEN", "PAK", "CHN"]),
    supplier=st.none() | st.text(max_size=40),
    technology=st.none() | st.sampled_from(TECHNOLOGY_KEYS),
    amount=st.none() | st.floats(min_value=0, max_value=1e12, allow_nan=False),
    year=st.none() | st.integers(1990, 2030),
    count=st.none() | st.integers(0, 300),
    start=st.none() | st.integers(0, 10_000),
    original=st.dictionaries(st.sampled_from(["country", "supplier"]), st.text(max_size=30), max_size=2),
    confidence=st.floats(0, 1),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(claims=st.lists(claims_st, max_size=8))
def test_claim_store_claim_roundtrip(tmp_path_factory: pytest.TempPathFactory, claims: list[Claim]) -> None:
    store = open_store(str(tmp_path_factory.mktemp("db") / "s.db"))
    store.put_document(Document(id="doc-x", text="x"))
    store.put_claims(claims)
    unique = {c.id: c for c in claims}
    assert {c.id: c for c in store.claims()} == unique
    store.close()


def test_an_old_sqlite_library_is_refused_with_the_reason() -> None:
    from survindex.store.core import _check_sqlite
    from survindex.store.safety import StorageError

    with pytest.raises(StorageError, match=r"needs SQLite 3\.38 or later; this Python uses SQLite 3\.31\.1"):
        _check_sqlite((3, 31, 1))
    _check_sqlite((3, 38, 0))
    _check_sqlite()  # the library this Python links
