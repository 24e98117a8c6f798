"""``Store.documents()`` streams in keyset-paginated batches: every document once, in id order, with limit,
offset and duplicates left out on request (what ``survindex extract --db`` reads)."""

from __future__ import annotations

from survindex.model import Document
from survindex.store import open_store


def _fill(db: str, n: int) -> list[str]:
    store = open_store(db)
    ids = []
    for i in range(n):
        doc = Document.from_text(f"Document number {i}: police in Nairobi use CCTV cameras.", title=f"t{i}")
        store.put_document(doc)
        ids.append(doc.id)
    return sorted(ids)


def test_documents_stream_in_batches_in_id_order(any_db: str) -> None:
    ids = _fill(any_db, 7)
    store = open_store(any_db)
    for batch in (1, 2, 3, 7, 500):
        assert [d.id for d in store.documents(batch=batch)] == ids
    got = list(store.documents(batch=2))
    assert [d.title for d in got] == [d.title for d in (store.get_document(i) for i in ids)]
    assert all(d.text == store.get_document(d.id).text for d in got)


def test_limit_and_offset_across_batch_edges(any_db: str) -> None:
    ids = _fill(any_db, 9)
    store = open_store(any_db)
    for limit, offset in ((None, 0), (4, 0), (4, 3), (10, 2), (0, 0), (3, 8), (5, 9)):
        want = ids[offset:] if limit is None else ids[offset:offset + limit]
        assert [d.id for d in store.documents(limit=limit, offset=offset, batch=2)] == want


def test_skip_duplicates(any_db: str) -> None:
    ids = _fill(any_db, 5)
    store = open_store(any_db)
    dup = Document.from_text("A near copy of document 0", duplicate_of=ids[0])
    store.put_document(dup)
    every = [d.id for d in store.documents(batch=2)]
    assert dup.id in every and len(every) == 6
    assert [d.id for d in store.documents(batch=2, skip_duplicates=True)] == ids
