"""Run extraction over many documents: in-process, on a local process pool, or on a Dask cluster."""

from survindex.runner.pool import ERROR_KEY, extract_batch, run_extraction

__all__ = ["ERROR_KEY", "extract_batch", "run_extraction"]
