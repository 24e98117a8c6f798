"""Exports: one module per format, one interface ``write(path, rows, schema) -> path`` (and ``read`` back)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from types import ModuleType

from survindex.export import csv_, geojson, json_, parquet, xlsx
from survindex.export.datapackage import Resource
from survindex.export.rows import CLAIM_SCHEMA, COUNTRY_SCHEMA, claim_rows, country_rows, financing_by_country
from survindex.export.schema import Field, Row, Schema, SchemaError, batches, normalise

FORMATS: dict[str, ModuleType] = {"csv": csv_, "json": json_, "geojson": geojson, "xlsx": xlsx, "parquet": parquet}


def write_all(out: Path, rows: Sequence[Row], schema: Schema, formats: Iterable[str] = tuple(FORMATS)) -> list[Resource]:
    """Write ``rows`` as ``<out>/<schema.name>.<ext>`` in every format; returns the resources written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        module = FORMATS[fmt]
        path = module.write(out / f"{schema.name}.{module.EXTENSION}", rows, schema)
        written.append(Resource(path=path, schema=schema, format=fmt, mediatype=module.MEDIATYPE))
    return written


def write_many(out: Path, rows: Iterable[Row], schema: Schema, formats: Iterable[str] = tuple(FORMATS)
               ) -> list[Resource]:
    """``write_all`` reading ``rows`` once: each batch goes to every format's writer in turn (one pass over a
    stream of a million rows, not one per format)."""
    out.mkdir(parents=True, exist_ok=True)
    resources, writers = [], []
    for fmt in formats:
        module = FORMATS[fmt]
        path = out / f"{schema.name}.{module.EXTENSION}"
        writers.append(module.Writer(path, schema))
        resources.append(Resource(path=path, schema=schema, format=fmt, mediatype=module.MEDIATYPE))
    try:
        for batch in batches(rows, schema):
            for w in writers:
                w.add(batch)
    finally:
        for w in writers:
            w.close()
    return resources


__all__ = ["CLAIM_SCHEMA", "COUNTRY_SCHEMA", "FORMATS", "Field", "Resource", "Row", "Schema", "SchemaError",
           "claim_rows", "country_rows", "financing_by_country", "normalise", "write_all", "write_many"]
