"""Run extraction over many documents: in-process, on a local process pool, or on a Dask cluster."""

from survindex.runner.pool import ERROR_KEY, JsonlBatch, extract_batch, run_batches, run_extraction, run_extraction_jsonl

__all__ = ["ERROR_KEY", "JsonlBatch", "extract_batch", "run_batches", "run_extraction", "run_extraction_jsonl"]
