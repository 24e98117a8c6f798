"""Parquet (pyarrow): typed columns; arrays as list<string>, objects as JSON strings."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from survindex.export.schema import Row, Schema, write_with

BATCH = 20_000

EXTENSION = "parquet"
MEDIATYPE = "application/vnd.apache.parquet"


def _arrow_schema(schema: Schema) -> Any:
    import pyarrow as pa

    types = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_(),
             "array": pa.list_(pa.string()), "object": pa.string()}
    return pa.schema([pa.field(f.name, types[f.type]) for f in schema.fields])


class Writer:
    """A row group per batch: constant memory."""

    def __init__(self, path: Path, schema: Schema) -> None:
        import pyarrow.parquet as pq

        self.schema, self.arrow = schema, _arrow_schema(schema)
        self.w = pq.ParquetWriter(path, self.arrow)
        self.pending: list[dict[str, Any]] = []

    def add(self, rows: list[dict[str, Any]]) -> None:
        self.pending += rows
        if len(self.pending) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self.pending:
            self.w.write_table(pa.table(_columns(self.pending, self.schema), schema=self.arrow))
            self.pending = []

    def close(self) -> None:
        self._flush()
        self.w.close()


def write(path: Path, rows: Iterable[Row], schema: Schema) -> Path:
    write_with(Writer(path, schema), rows, schema)
    return path


def _columns(batch: list[dict[str, Any]], schema: Schema) -> dict[str, list[Any]]:
    columns = {}
    for f in schema.fields:
        values = [r[f.name] for r in batch]
        if f.type == "object":
            values = [None if v is None else json.dumps(v, ensure_ascii=False, sort_keys=True) for v in values]
        columns[f.name] = values
    return columns


def read(path: Path, schema: Schema) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    rows: list[dict[str, Any]] = pq.read_table(path).to_pylist()
    objects = [f.name for f in schema.fields if f.type == "object"]
    for r in rows:
        for name in objects:
            r[name] = None if r[name] is None else json.loads(r[name])
    return rows
