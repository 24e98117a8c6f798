"""The quick variant of the fault suite (benchmarks/faults.py): kills and resumes, hostile inputs, concurrent
writers on SQLite and (when SURVINDEX_TEST_PG_URL is set) PostgreSQL. Everything must come out at zero."""

from __future__ import annotations

import os

from benchmarks.faults import suite


def test_fault_suite_quick() -> None:
    kinds = ["sqlite"] + (["postgresql"] if os.environ.get("SURVINDEX_TEST_PG_URL") else [])
    figures = suite(quick=True, seed=5, kinds=kinds)
    assert figures.kills >= 1 and figures.inputs >= 300
    assert (figures.crashes, figures.rows_lost, figures.differences) == (0, 0, 0), figures.notes
    # peak memory is not checked here: inside pytest it is the worker's, whatever test ran before; the standalone
    # `python benchmarks/faults.py` reports it for survindex alone
