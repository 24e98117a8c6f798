"""Parallel extraction: the process pool and a Dask cluster give exactly the single-process output."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from survindex.runner import ERROR_KEY, run_extraction


def _corpus(shared: Path, repeat: int = 3) -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = []
    for name in ("eff-border.jsonl", "gcdf-titles.jsonl"):
        for line in (shared / "gold" / name).read_text(encoding="utf-8").splitlines():
            d = json.loads(line)
            docs.append({"id": d["id"], "text": d["text"]})
    seed = next((shared / "seed").glob("*.txt")).read_text(encoding="utf-8")
    docs.append({"id": "seed", "text": seed, "title": "China exports AI surveillance"})
    return [{**d, "id": f"{d['id']}-{r}"} for r in range(repeat) for d in docs]


@pytest.fixture(scope="module")
def corpus(shared: Path) -> list[dict[str, Any]]:
    return _corpus(shared)


@pytest.fixture(scope="module")
def single(corpus: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = list(run_extraction(corpus, workers=1, batch_size=50))
    assert len(out) > len(corpus) // 2
    return out


def test_process_pool_is_identical_and_ordered(corpus: list[dict[str, Any]], single: list[dict[str, Any]]) -> None:
    assert list(run_extraction(iter(corpus), workers=2, batch_size=17)) == single


def test_dask_local_cluster_is_identical(corpus: list[dict[str, Any]], single: list[dict[str, Any]]) -> None:
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster:
        got = list(run_extraction(iter(corpus), workers=2, scheduler=cluster.scheduler_address, batch_size=23))
    assert got == single


def test_a_failing_document_becomes_an_error_record_and_the_run_goes_on() -> None:
    docs: list[Any] = [{"id": "a", "text": "Kenyan police use CCTV cameras."}, {"id": "b", "text": None},
                       "not a document", {"id": "c", "text": "Nairobi police bought drones from DJI."}]
    out = list(run_extraction(docs, workers=1, batch_size=2))
    errors = [r for r in out if ERROR_KEY in r]
    assert [(e["doc_id"], e["index"]) for e in errors] == [("b", 1), (None, 2)]
    assert {r["doc_id"] for r in out if ERROR_KEY not in r} == {"a", "c"}


def test_hundred_thousand_documents_stream_with_bounded_memory() -> None:
    import psutil

    texts = ["The Laredo Police Department uses Axon body-worn cameras.", "Nothing to see here at all.",
             "China Eximbank provides $70 million loan for Safe City Project", "Rain fell in the hills."]

    def docs() -> Any:
        for i in range(100_000):
            yield {"id": f"d{i}", "text": texts[i % 4]}

    rss0 = psutil.Process().memory_info().rss
    t0 = time.time()
    n = peak = 0
    for n, _ in enumerate(run_extraction(docs(), workers=2, batch_size=500), 1):
        if n % 10_000 == 0:
            peak = max(peak, psutil.Process().memory_info().rss)
    assert n == 25_000 + 25_000  # one deployment per police sentence, one financing claim per loan title
    assert peak - rss0 < 200 * 2**20
    assert time.time() - t0 < 600


def test_packed_transport_round_trips(corpus: list[dict[str, Any]], single: list[dict[str, Any]]) -> None:
    from survindex.runner.pool import extract_batch, extract_batch_packed, unpack

    batch = list(enumerate(corpus[:40])) + [(40, {"id": "bad", "text": None})]
    assert unpack(extract_batch_packed(batch)) == extract_batch(batch)
