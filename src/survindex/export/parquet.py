"""Parquet (pyarrow): typed columns; arrays as list<string>, objects as JSON strings."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from survindex.export.schema import Row, Schema, rows_of

BATCH = 20_000

EXTENSION = "parquet"
MEDIATYPE = "application/vnd.apache.parquet"


def _arrow_schema(schema: Schema) -> Any:
    import pyarrow as pa

    types = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_(),
             "array": pa.list_(pa.string()), "object": pa.string()}
    return pa.schema([pa.field(f.name, types[f.type]) for f in schema.fields])


def write(path: Path, rows: Iterable[Row], schema: Schema) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow = _arrow_schema(schema)
    data = rows_of(rows, schema)
    with pq.ParquetWriter(path, arrow) as writer:  # a row group per batch: constant memory
        while batch := list(itertools.islice(data, BATCH)):
            writer.write_table(pa.table(_columns(batch, schema), schema=arrow))
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
