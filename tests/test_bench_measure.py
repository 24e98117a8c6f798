"""The scale benchmark's measurements (benchmarks/scale_measure.py) report what the command itself used."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))  # scale_measure imports web_bench

from benchmarks import scale_measure  # noqa: E402


def test_a_command_s_peak_memory_is_its_own_not_the_benchmark_s() -> None:
    """Linux starts a forked child's peak RSS at its parent's and keeps it through exec: run from a benchmark
    process holding 200 MB, `sleep` reported over 200 MB. ``timed`` starts commands from a small wrapper."""
    held = bytearray(os.urandom(1)) * (200 << 20)  # touched pages: resident
    found = scale_measure.timed(["sleep", "0.05"])
    assert held and found["rss_mb"] < 50 and 0.04 < found["seconds"] < 5


def test_a_failing_command_is_reported_with_its_error() -> None:
    with pytest.raises(RuntimeError, match="No such file"):
        scale_measure.timed(["ls", "/no/such/path"])
