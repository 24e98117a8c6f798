"""Hypothesis fuzzing of every reader: documents out, or one IngestError naming the source, never a crash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survindex.ingest import IngestError, read_bytes
from survindex.ingest.dedupe import Deduper
from survindex.ingest.text import decode, normalise
from survindex.model import Document, document_id
from tests.fixtures.ingest.make import make_docx, make_pdf

FIX = Path(__file__).parent / "fixtures" / "ingest"
NAMES = ["x.txt", "x.md", "x.html", "x.pdf", "x.docx", "x.jsonl", "x.rss", "noext"]
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SEEDS = {
    "x.html": (FIX / "article.html").read_bytes(),
    "x.rss": (FIX / "feed.rss").read_bytes(),
    "x.jsonl": (FIX / "docs.jsonl").read_bytes(),
    "x.md": (FIX / "notes.md").read_bytes(),
    "x.pdf": make_pdf(["Hikvision cameras in Quito.", "Second line (with parens)."], title="T"),
    "x.docx": make_docx(["Huawei cameras in Belgrade."], title="D"),
}
CONTROL = st.characters(max_codepoint=0x9F) | st.sampled_from("\u2028\u2029\ufeff\ufffe\ud7ff\u200b\u0301")


def check(data: bytes, name: str, content_type: str | None = None) -> list[Document]:
    """The contract: documents with normalised, hashed text, or IngestError about this source."""
    errors: list[IngestError] = []
    try:
        docs = read_bytes(data, name, content_type, errors=errors)
    except IngestError as err:
        assert err.source == name and err.reason
        return []
    for doc in docs:
        assert doc.text and normalise(doc.text) == doc.text
        assert doc.id == document_id(doc.text)
        doc.text.encode("utf-8")  # no lone surrogates
        assert "\x00" not in doc.text
        assert doc.published is None or len(doc.published) <= 10
    assert all(isinstance(e, IngestError) and e.location for e in errors)
    return docs


@FUZZ
@given(data=st.binary(max_size=4000), name=st.sampled_from(NAMES),
       ctype=st.sampled_from([None, "text/html", "application/pdf", "application/rss+xml", "text/plain"]))
def test_random_bytes(data: bytes, name: str, ctype: str | None) -> None:
    check(data, name, ctype)


@FUZZ
@given(text=st.text(alphabet=CONTROL | st.characters(), max_size=3000), name=st.sampled_from(NAMES),
       encoding=st.sampled_from(["utf-8", "utf-16", "utf-32", "cp1252", "latin-1", "shift_jis", "koi8-r"]))
def test_random_unicode_in_wrong_encodings(text: str, name: str, encoding: str) -> None:
    check(text.encode(encoding, errors="replace"), name)


@FUZZ
@given(name=st.sampled_from(sorted(SEEDS)), cut=st.floats(0, 1), flips=st.lists(
    st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=8))
def test_truncated_and_corrupted_real_files(name: str, cut: float, flips: list[tuple[float, int]]) -> None:
    data = bytearray(SEEDS[name][: max(1, int(len(SEEDS[name]) * cut))])
    for where, value in flips:
        data[min(int(where * len(data)), len(data) - 1)] = value
    check(bytes(data), name)


@settings(max_examples=15, deadline=None)
@given(char=st.sampled_from("a <[{#*-_ \t"), size=st.integers(100_000, 1_000_000), name=st.sampled_from(NAMES))
def test_huge_lines(char: str, size: int, name: str) -> None:
    check((char * size + "\nHuawei cameras").encode(), name)


@FUZZ
@given(fragments=st.lists(st.sampled_from([
    "<p>", "</p>", "<div", ">", "<script>", "</script>", "<!--", "-->", "<![CDATA[", "]]>", "&amp", "&#x110000;",
    "&#0;", "<title>", "</title>", "<meta charset='x-unknown'>", "<style>", "<svg><foreignObject>", "\x00", "é",
    "Camera vendors sold systems to police.", "<a href='", "'" * 3, "<?xml version='1.0'?>", "<rss>", "<feed>",
]), max_size=60))
def test_broken_html_and_xml(fragments: list[str]) -> None:
    data = "".join(fragments).encode()
    for name in ("x.html", "x.rss", "noext"):
        check(data, name)


@FUZZ
@given(lines=st.lists(st.one_of(
    st.dictionaries(st.sampled_from(["id", "text", "title", "url", "published", "meta"]),
                    st.one_of(st.none(), st.text(max_size=40), st.integers(), st.floats(allow_nan=False),
                              st.lists(st.integers(), max_size=3),
                              st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3))).map(json.dumps),
    st.text(max_size=80)), max_size=20))
def test_jsonl_lines(lines: list[str]) -> None:
    check("\n".join(lines).encode("utf-8", "surrogatepass"), "x.jsonl")


@FUZZ
@given(data=st.binary(max_size=2000))
def test_decode_never_raises_and_normalise_is_idempotent(data: bytes) -> None:
    text = normalise(decode(data))
    assert normalise(text) == text


@FUZZ
@given(texts=st.lists(st.text(st.sampled_from("abc def ghi jkl mno pqr\n"), min_size=1, max_size=400),
                      max_size=12))
def test_deduplication_is_order_stable_and_idempotent(texts: list[str]) -> None:
    docs = [Document.from_text(normalise(t)) for t in texts if normalise(t)]
    first, second = Deduper(), Deduper()
    verdicts = [first.check(d) for d in docs]
    stored = [d for v, d in verdicts if v != "exact"]
    texts_by_id = {d.id: d.text for d in stored}
    second.load([(d.id, d.duplicate_of, d.meta) for d in stored], texts_by_id.__getitem__)
    assert all(second.check(d)[0] == "exact" for d in docs)
    assert all(d.duplicate_of in {s.id for s in stored if s.duplicate_of is None} for d in stored if d.duplicate_of)


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_empty_file_of_each_type(name: str) -> None:
    with pytest.raises(IngestError, match="empty"):
        read_bytes(b"", name)


def test_near_duplicates_found_in_merged_buckets() -> None:
    words = "police camera contract ministry vendor loan bank city network footage".split()
    texts = [" ".join(f"{words[(i * 7 + j) % 10]}{(i * 31 + j) % 101}" for j in range(60)) for i in range(40)]
    dedupe = Deduper()
    dedupe.index.buckets.MERGE_AT = 50  # merge into the sorted arrays every few documents
    originals = [dedupe.check(Document.from_text(t)) for t in texts]
    assert all(verdict == "new" for verdict, _ in originals)
    assert len(dedupe.index.buckets.keys) > 0
    for (_, original), text in zip(originals, texts):
        verdict, near = dedupe.check(Document.from_text(text + " signed"))
        assert verdict == "near" and near.duplicate_of == original.id
