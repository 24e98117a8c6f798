"""Batched, ordered, memory-bounded extraction: in-process, a process pool, or Dask distributed.

Results are claim dicts in input order; a document that fails yields one error record
``{"error": reason, "doc_id": id, "index": n}`` (``ERROR_KEY`` marks it) and the run goes on.
"""

from __future__ import annotations

import functools
import itertools
import json
import pickle
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

import orjson

if TYPE_CHECKING:
    from concurrent.futures import Future

ERROR_KEY = "error"
CONNECT_TIMEOUT = "15s"  # how long to wait for a Dask scheduler
Batch = list[tuple[int, dict[str, Any]]]
T = TypeVar("T")
R = TypeVar("R")


def warm() -> None:
    """Build the gazetteer once per worker process, before the first batch arrives."""
    from survindex.extract.gazetteer import gazetteer

    gazetteer()


def _one(index: int, doc: Any) -> list[dict[str, Any]]:
    from survindex.extract.pipeline import extract_document

    try:
        if not isinstance(doc, dict):
            raise ValueError(f"a document must be a JSON object, not {type(doc).__name__}")
        return extract_document(doc)
    except Exception as exc:  # noqa: BLE001 - one bad document never stops a run
        doc_id = doc.get("id") if isinstance(doc, dict) else None
        return [{ERROR_KEY: f"{type(exc).__name__}: {exc}", "doc_id": doc_id, "index": index}]


def extract_batch(batch: Batch) -> list[dict[str, Any]]:
    """Claims (and error records) for one batch of ``(index, document)`` pairs, in order."""
    out: list[dict[str, Any]] = []
    for index, doc in batch:
        out.extend(_one(index, doc))
    return out


Packed = list[tuple[tuple[str, ...], list[tuple[Any, ...]]]]


def extract_batch_packed(batch: Batch) -> Packed:
    """``extract_batch`` for the wire: runs of records with the same keys as (keys, value rows), about half the
    bytes of the dicts, so the client that collects the results stays light."""
    out: Packed = []
    strings: dict[str, str] = {}  # equal strings as one object: pickle then writes a sentence's quote once
    for r in extract_batch(batch):
        keys = tuple(r)
        row = tuple(strings.setdefault(v, v) if type(v) is str else v for v in r.values())
        if out and out[-1][0] == keys:
            out[-1][1].append(row)
        else:
            out.append((keys, [row]))
    return out


def unpack(packed: Packed) -> list[dict[str, Any]]:
    return [dict(zip(keys, row)) for keys, rows in packed for row in rows]


class JsonlBatch(NamedTuple):
    """One batch's claims as JSONL bytes (one claim a line), how many, and the batch's error records."""

    data: bytes
    claims: int
    errors: list[dict[str, Any]]


def claim_line(record: dict[str, Any]) -> bytes:
    """One claim as a JSON line (orjson; the standard library, ASCII-escaped, for what orjson refuses: lone
    surrogates, integers beyond 64 bits)."""
    try:
        return orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE)
    except TypeError:
        return (json.dumps(record, default=str) + "\n").encode("ascii")


def extract_batch_jsonl(batch: Batch) -> JsonlBatch:
    """``extract_batch`` as the JSONL the CLI writes: the worker encodes, the client only copies bytes."""
    lines: list[bytes] = []
    errors: list[dict[str, Any]] = []
    for r in extract_batch(batch):
        if ERROR_KEY in r:
            errors.append(r)
        else:
            lines.append(claim_line(r))
    return JsonlBatch(b"".join(lines), len(lines), errors)


def _pickled(fn: Callable[[Batch], T]) -> Callable[[bytes], T]:
    return functools.partial(_call_pickled, fn)


def _call_pickled(fn: Callable[[Batch], T], blob: bytes) -> T:
    """``fn`` of a pickled batch: Dask ships bytes as they are, where it would walk a list of documents looking
    for futures inside it (a fifth of the client's time)."""
    batch: Batch = pickle.loads(blob)
    return fn(batch)


def batches(docs: Iterable[dict[str, Any]], size: int) -> Iterator[Batch]:
    it = iter(enumerate(docs))
    while chunk := list(itertools.islice(it, max(1, size))):
        yield chunk


def _bounded(submit: Callable[[Batch], Any], result: Callable[[Any], R], chunks: Iterator[Batch],
             inflight: int) -> Iterator[R]:
    """Keep at most ``inflight`` batches submitted; yield each batch's result in submission order."""
    queue: deque[Any] = deque()
    for chunk in chunks:
        queue.append(submit(chunk))
        while len(queue) >= inflight:
            yield result(queue.popleft())
    while queue:
        yield result(queue.popleft())


def _local_pool(fn: Callable[[Batch], T], chunks: Iterator[Batch], workers: int) -> Iterator[T]:
    from concurrent.futures import ProcessPoolExecutor  # imported only when a pool is asked for

    with ProcessPoolExecutor(max_workers=workers, initializer=warm) as pool:
        def submit(chunk: Batch) -> Future[T]:
            return pool.submit(fn, chunk)

        yield from _bounded(submit, lambda f: f.result(), chunks, workers * 2)


def _current_client(scheduler: str) -> Any:
    """The process's default Dask client when it is already connected to ``scheduler`` (else None)."""
    from distributed import default_client

    try:
        client = default_client()  # type: ignore[no-untyped-call]
    except ValueError:
        return None
    return client if client.scheduler is not None and client.scheduler.address == scheduler else None


def _dask(fn: Callable[[Batch], T], chunks: Iterator[Batch], scheduler: str, workers: int) -> Iterator[T]:
    from contextlib import nullcontext

    from distributed import Client

    current = _current_client(scheduler)
    with nullcontext(current) if current is not None else \
            Client(scheduler, timeout=CONNECT_TIMEOUT) as client:  # type: ignore[no-untyped-call]
        n = max(workers, len(client.scheduler_info().get("workers", {})) or 1)
        client.run(warm)
        remote = _pickled(fn)

        def submit(chunk: Batch) -> Any:
            return client.submit(remote, pickle.dumps(chunk, protocol=pickle.HIGHEST_PROTOCOL), pure=False)

        yield from _bounded(submit, lambda f: f.result(), chunks, n * 4)


def run_batches(fn: Callable[[Batch], T], docs: Iterable[dict[str, Any]], workers: int = 1,
                scheduler: str | None = None, batch_size: int = 200) -> Iterator[T]:
    """``fn`` of each batch of ``(index, document)`` pairs, in input order: in this process, on a local process
    pool (``workers`` > 1) or on a Dask cluster (``scheduler``). ``fn`` must be a module-level function."""
    chunks = batches(docs, batch_size)
    if scheduler:
        yield from _dask(fn, chunks, scheduler, workers)
    elif workers > 1:
        yield from _local_pool(fn, chunks, workers)
    else:
        warm()
        for chunk in chunks:
            yield fn(chunk)


def run_extraction(docs: Iterable[dict[str, Any]], workers: int = 1, scheduler: str | None = None,
                   batch_size: int = 200) -> Iterator[dict[str, Any]]:
    """Extract claims from ``docs`` (dicts with ``id``, ``text``, optional ``title``), in input order."""
    if not scheduler and workers <= 1:
        for batch in run_batches(extract_batch, docs, batch_size=batch_size):
            yield from batch
        return
    for packed in run_batches(extract_batch_packed, docs, workers, scheduler, batch_size):
        yield from unpack(packed)


def run_extraction_jsonl(docs: Iterable[dict[str, Any]], workers: int = 1, scheduler: str | None = None,
                         batch_size: int = 200) -> Iterator[JsonlBatch]:
    """``run_extraction`` as JSONL bytes per batch (what ``survindex extract -o`` writes), encoded where the
    claims are found, so the collecting process does no per-claim work."""
    return run_batches(extract_batch_jsonl, docs, workers, scheduler, batch_size)
