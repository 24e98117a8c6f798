"""Exact and near duplicates: content ids for exact ones, MinHash (datasketch) + LSH banding over word
5-shingles for near ones.

A signature is kept in ``Document.meta["minhash"]`` (base64 of 128 uint32 values, 684 characters) so the
index is rebuilt from the store at the start of a run without re-reading long texts."""

from __future__ import annotations

import base64
import functools
import re
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Any

import numpy as np
from datasketch import MinHash

from survindex.model import Document

NUM_PERM = 128
THRESHOLD = 0.85  # estimated Jaccard similarity of word 5-shingles
SHINGLE = 5
MIN_WORDS = 10  # shorter texts are compared exactly only
_CHUNK = 20_000
_WORD = re.compile(r"\w+")


def _shingles(text: str) -> Iterator[list[bytes]]:
    """Word 5-shingles of the case-folded text, streamed in bounded chunks (a short text is one shingle)."""
    window: deque[str] = deque(maxlen=SHINGLE)
    chunk: list[bytes] = []
    for match in _WORD.finditer(text.casefold()):
        window.append(match.group())
        if len(window) == SHINGLE:
            chunk.append(" ".join(window).encode("utf-8"))
            if len(chunk) == _CHUNK:
                yield chunk
                chunk = []
    if len(window) < SHINGLE:
        chunk.append(" ".join(window).encode("utf-8"))
    if chunk:
        yield chunk


def _crc32(data: bytes) -> int:
    return zlib.crc32(data)


@functools.lru_cache(maxsize=1)
def _permutations() -> Any:
    """Generated once: making them is most of the cost of a new MinHash."""
    return MinHash(num_perm=NUM_PERM, hashfunc=_crc32, seed=1, scheme="affine32").permutations


def _minhash(hashvalues: Any = None) -> MinHash:
    return MinHash(num_perm=NUM_PERM, hashfunc=_crc32, seed=1, scheme="affine32", hashvalues=hashvalues,
                   permutations=_permutations())


def signature(text: str) -> MinHash | None:
    """The MinHash of a text, or None when it is too short to compare approximately."""
    if len(_WORD.findall(text[:10_000])) < MIN_WORDS:
        return None
    m = _minhash()
    for chunk in _shingles(text):
        m.update_batch(chunk)
    return m


def encode(m: MinHash) -> str:
    return base64.b64encode(np.asarray(m.hashvalues, dtype="<u4").tobytes()).decode("ascii")


def decode(value: str) -> MinHash | None:
    try:
        values = np.frombuffer(base64.b64decode(value, validate=True), dtype="<u4").astype(np.uint64)
    except (ValueError, TypeError):
        return None
    if len(values) != NUM_PERM:
        return None
    return _minhash(values)


class _Buckets:
    """A multimap from 64-bit band keys to document numbers: recent entries in a dict, older ones merged
    into two sorted numpy arrays (12 bytes an entry instead of ~100 for a dict entry)."""

    MERGE_AT = 250_000

    def __init__(self) -> None:
        self.keys = np.empty(0, dtype=np.uint64)
        self.values = np.empty(0, dtype=np.int32)
        self.recent: dict[int, list[int]] = {}
        self.pending = 0

    def add(self, keys: list[int], value: int) -> None:
        for key in keys:
            self.recent.setdefault(key, []).append(value)
        self.pending += len(keys)
        if self.pending >= self.MERGE_AT:
            self._merge()

    def get(self, keys: list[int]) -> set[int]:
        found: set[int] = set()
        for key in keys:
            found.update(self.recent.get(key, ()))
        if len(self.keys):
            wanted = np.array(keys, dtype=np.uint64)
            lo = np.searchsorted(self.keys, wanted, side="left")
            hi = np.searchsorted(self.keys, wanted, side="right")
            for a, b in zip(lo.tolist(), hi.tolist()):
                found.update(self.values[a:b].tolist())
        return found

    def _merge(self) -> None:
        pairs = [(k, v) for k, vs in self.recent.items() for v in vs]
        keys = np.concatenate([self.keys, np.array([k for k, _ in pairs], dtype=np.uint64)])
        values = np.concatenate([self.values, np.array([v for _, v in pairs], dtype=np.int32)])
        order = np.argsort(keys, kind="stable")
        self.keys, self.values = keys[order], values[order]
        self.recent, self.pending = {}, 0


class _BandIndex:
    """LSH banding (16 bands of 8 rows) over uint32 MinHash signatures, kept compact: about 0.8 KB per
    document (datasketch's MinHashLSH with MinHash objects takes ~6 KB), so memory stays bounded by a
    small multiple of the number of originals, never of their texts."""

    BANDS, ROWS = 16, 8
    _MASK = (1 << 64) - 1

    def __init__(self) -> None:
        self.buckets = _Buckets()
        self.digests = bytearray()  # 32 bytes (the sha256) per indexed document
        self.other_ids: dict[int, str] = {}  # ids that are not doc-<sha256>
        self.values = bytearray()  # NUM_PERM uint32 per indexed document
        self.dropped: set[int] = set()
        self.count = 0

    def _keys(self, raw: bytes) -> list[int]:
        width = self.ROWS * 4
        return [hash((band, raw[band * width:(band + 1) * width])) & self._MASK for band in range(self.BANDS)]

    def _id(self, index: int) -> str:
        if index in self.other_ids:
            return self.other_ids[index]
        return "doc-" + self.digests[index * 32:(index + 1) * 32].hex()

    def insert(self, doc_id: str, values: np.ndarray) -> None:
        raw = values.astype("<u4").tobytes()
        index = self.count
        self.count += 1
        digest = _sha_bytes(doc_id)
        if digest is None:
            self.other_ids[index] = doc_id
            digest = bytes(32)
        self.digests += digest
        self.values += raw
        self.buckets.add(self._keys(raw), index)

    def nearest(self, values: np.ndarray) -> str | None:
        """The indexed document most similar to ``values`` if its estimated Jaccard reaches THRESHOLD."""
        raw = values.astype("<u4").tobytes()
        mine = np.frombuffer(raw, dtype="<u4")
        size = NUM_PERM * 4
        best: tuple[float, str] | None = None
        for index in self.buckets.get(self._keys(raw)) - self.dropped:
            theirs = np.frombuffer(bytes(self.values[index * size:(index + 1) * size]), dtype="<u4")
            score = (float(np.count_nonzero(mine == theirs)) / NUM_PERM, self._id(index))
            if score[0] >= THRESHOLD and (best is None or score > best):
                best = score
        return best[1] if best else None

    def drop(self, doc_id: str) -> None:
        """Stop matching a document (one that could not be stored); rare, so a linear search."""
        self.dropped.update(i for i in range(self.count) if self._id(i) == doc_id)


def _sha_bytes(doc_id: str) -> bytes | None:
    if len(doc_id) == 68 and doc_id.startswith("doc-"):
        try:
            return bytes.fromhex(doc_id[4:])
        except ValueError:
            return None
    return None


def _digest(doc_id: str) -> int:
    """64 bits of the content hash: the exact-duplicate set holds ints, not 72-character strings."""
    return int(doc_id[-16:], 16) if len(doc_id) >= 16 else hash(doc_id)


class Deduper:
    """Known document ids and a band index of the originals (documents that are not duplicates)."""

    def __init__(self) -> None:
        self.seen: set[int] = set()
        self.index = _BandIndex()

    def load(self, keys: Iterable[tuple[str, str | None, dict[str, Any]]],
             text_of: Callable[[str], str]) -> None:
        """Rebuild from stored documents' ``(id, duplicate_of, meta)``: their saved signatures, else the
        signature of their text (``text_of(id)``, only for documents stored by other tools)."""
        for doc_id, duplicate_of, meta in keys:
            self.seen.add(_digest(doc_id))
            if duplicate_of is None:
                saved = meta.get("minhash")
                m = decode(saved) if isinstance(saved, str) else None
                m = m if m is not None else signature(text_of(doc_id))
                if m is not None:
                    self.index.insert(doc_id, m.hashvalues)

    def check(self, doc: Document) -> tuple[str, Document]:
        """``("exact", doc)``, ``("near", doc with duplicate_of)`` or ``("new", doc with its signature)``;
        remembers the document."""
        key = _digest(doc.id)
        if key in self.seen:
            return "exact", doc
        self.seen.add(key)
        m = signature(doc.text)
        if m is None:
            return "new", doc
        doc = replace(doc, meta={**doc.meta, "minhash": encode(m)})
        best = self.index.nearest(m.hashvalues)
        if best is not None:
            return "near", replace(doc, duplicate_of=best)
        self.index.insert(doc.id, m.hashvalues)
        return "new", doc

    def forget(self, doc_id: str) -> None:
        """Undo ``check`` for a document that could not be stored."""
        self.seen.discard(_digest(doc_id))
        self.index.drop(doc_id)
