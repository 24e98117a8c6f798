"""Batched, ordered, memory-bounded extraction: in-process, a process pool, or Dask distributed.

Results are claim dicts in input order; a document that fails yields one error record
``{"error": reason, "doc_id": id, "index": n}`` (``ERROR_KEY`` marks it) and the run goes on.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

ERROR_KEY = "error"
CONNECT_TIMEOUT = "15s"  # how long to wait for a Dask scheduler
Batch = list[tuple[int, dict[str, Any]]]


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


def batches(docs: Iterable[dict[str, Any]], size: int) -> Iterator[Batch]:
    it = iter(enumerate(docs))
    while chunk := list(itertools.islice(it, max(1, size))):
        yield chunk


def _bounded(submit: Callable[[Batch], Any], result: Callable[[Any], list[dict[str, Any]]],
             chunks: Iterator[Batch], inflight: int) -> Iterator[dict[str, Any]]:
    """Keep at most ``inflight`` batches submitted; yield results in submission order."""
    queue: deque[Any] = deque()
    for chunk in chunks:
        queue.append(submit(chunk))
        while len(queue) >= inflight:
            yield from result(queue.popleft())
    while queue:
        yield from result(queue.popleft())


def _local_pool(chunks: Iterator[Batch], workers: int) -> Iterator[dict[str, Any]]:
    with ProcessPoolExecutor(max_workers=workers, initializer=warm) as pool:
        def submit(chunk: Batch) -> Future[list[dict[str, Any]]]:
            return pool.submit(extract_batch, chunk)

        yield from _bounded(submit, lambda f: f.result(), chunks, workers * 2)


def _dask(chunks: Iterator[Batch], scheduler: str, workers: int) -> Iterator[dict[str, Any]]:
    from distributed import Client

    with Client(scheduler, timeout=CONNECT_TIMEOUT) as client:  # type: ignore[no-untyped-call]
        n = max(workers, len(client.scheduler_info().get("workers", {})) or 1)
        client.run(warm)

        def submit(chunk: Batch) -> Any:
            return client.submit(extract_batch, chunk, pure=False)

        yield from _bounded(submit, lambda f: f.result(), chunks, n * 2)


def run_extraction(docs: Iterable[dict[str, Any]], workers: int = 1, scheduler: str | None = None,
                   batch_size: int = 200) -> Iterator[dict[str, Any]]:
    """Extract claims from ``docs`` (dicts with ``id``, ``text``, optional ``title``), in input order."""
    chunks = batches(docs, batch_size)
    if scheduler:
        yield from _dask(chunks, scheduler, workers)
    elif workers > 1:
        yield from _local_pool(chunks, workers)
    else:
        warm()
        for chunk in chunks:
            yield from extract_batch(chunk)
