"""Claims -> the index: pure functions (no database, web or CLI imports)."""

from survindex.index.aggregates import Aggregates
from survindex.index.compute import DEFINITIONS, compute, compute_aggregates, summary
from survindex.index.load import load, select

__all__ = ["DEFINITIONS", "Aggregates", "compute", "compute_aggregates", "load", "select", "summary"]
