"""Reads by key: claims stream in batches without OFFSET, the review queue pages by cursor, and both visit every
claim exactly once in the same order as the offset reads (ties in confidence included)."""

from __future__ import annotations

from pathlib import Path

import pytest

from survindex.model import Claim, Document
from survindex.store import ClaimFilter, open_store
from survindex.store import search as ss


@pytest.fixture
def store(any_db: str):  # type: ignore[no-untyped-def]
    st = open_store(any_db)
    doc = Document.from_text("x" * 10, title="t")
    st.put_document(doc)
    st.put_claims([Claim(doc_id=doc.id, kind="deployment", quote=f"q{i}", extractor="t", extractor_version="1",
                         country=("KEN", "PAK")[i % 2], technology="safe_city", location=f"r{i}",
                         confidence=(i % 4) / 4, status=("unreviewed", "accepted", "rejected")[i % 3])
                   for i in range(53)])
    yield st
    st.close()


def test_claims_stream_by_key_in_batches(store) -> None:  # type: ignore[no-untyped-def]
    ids = [c.id for c in store.claims(batch=7)]
    assert ids == sorted(ids) and len(ids) == 53
    assert [c.id for c in store.claims(batch=5, order_by="confidence")] == \
        [c.id for c in store.claims(batch=1000, order_by="confidence")]
    assert [c.id for c in store.claims(batch=4, offset=10, limit=9)] == ids[10:19]


@pytest.mark.parametrize("status", [None, "unreviewed"])
def test_review_cursor_pages_match_offset_pages(store, status: str | None) -> None:  # type: ignore[no-untyped-def]
    q = ss.ClaimQuery(ClaimFilter(status=status, country="KEN" if status is None else None))
    everything = ss.claim_rows(store, q, limit=1000, order="review")
    assert [r["status"] == "unreviewed" for r in everything] == sorted(
        (r["status"] == "unreviewed" for r in everything), reverse=True)
    by_offset = [r["id"] for off in range(0, 60, 6) for r in ss.claim_rows(store, q, 6, off, order="review")]
    seen, after = [], None
    while True:
        rows, after = ss.review_page(store, q, 6, after)
        seen += [r["id"] for r in rows]
        if after is None:
            break
    assert seen == by_offset == [r["id"] for r in everything]
    assert len(seen) == len(set(seen)) == ss.count(store, q)


def test_a_malformed_cursor_is_the_first_page(tmp_path: Path) -> None:
    assert ss.parse_review_cursor("nonsense") is None and ss.parse_review_cursor("a~x~b") is None
    assert ss.parse_review_cursor(ss.review_cursor(("unreviewed", 0.5, "cl-1"))) == ("unreviewed", 0.5, "cl-1")
