"""Claims -> the index: pure functions (no database, web or CLI imports)."""

from survindex.index.compute import DEFINITIONS, compute, summary
from survindex.index.load import load, select

__all__ = ["DEFINITIONS", "compute", "load", "select", "summary"]
