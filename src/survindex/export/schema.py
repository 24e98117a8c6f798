"""The one schema every export format writes from: named, typed fields (Frictionless Table Schema types)."""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

Row = Mapping[str, Any]
TYPES = ("string", "integer", "number", "boolean", "array", "object")


class SchemaError(ValueError):
    """A row that does not fit its schema (unknown field, wrong type)."""


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # one of TYPES; arrays hold strings
    description: str = ""

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise SchemaError(f"field {self.name!r}: unknown type {self.type!r}")

    def to_dict(self) -> dict[str, str]:
        d = {"name": self.name, "type": self.type, "description": self.description}
        if self.type == "array":
            d["description"] = (self.description + " (list of strings; JSON array in CSV and XLSX)").strip()
        if self.type == "object":
            d["description"] = (self.description + " (JSON object in CSV, XLSX and Parquet)").strip()
        return d


@dataclass(frozen=True)
class Schema:
    name: str  # resource name: lowercase, digits, '-', '_'
    title: str
    fields: tuple[Field, ...]
    description: str = ""
    geo_field: str | None = None  # field holding an ISO3 country code (GeoJSON point geometry)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def to_dict(self) -> dict[str, Any]:
        return {"fields": [f.to_dict() for f in self.fields], "missingValues": [""]}


def _clean(field: Field, value: Any) -> Any:
    """A value normalised to its field type; empty strings and NaN are missing (None)."""
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return None
    t = field.type
    if t == "string":
        return str(value)
    if t == "integer":
        return int(value)
    if t == "number":
        number = float(value)
        return number if math.isfinite(number) else None
    if t == "boolean":
        return bool(value)
    if t == "array":
        return [str(v) for v in value]
    return dict(value)


def _cleaner(field: Field) -> Callable[[Any], Any]:
    """``_clean`` for one field, with a fast path for a value already of the field's type."""
    t = field.type
    if t == "string":
        return lambda v: v if type(v) is str and v else None if v is None else _clean(field, v)
    if t == "integer":
        return lambda v: v if type(v) is int or v is None else _clean(field, v)
    if t == "number":
        return lambda v: v if type(v) is float and math.isfinite(v) or v is None else _clean(field, v)
    if t == "boolean":
        return lambda v: v if type(v) is bool or v is None else _clean(field, v)
    return lambda v: None if v is None else _clean(field, v)


def rows_of(rows: Iterable[Row], schema: Schema) -> Iterator[dict[str, Any]]:
    """Rows with exactly the schema's fields, typed, one at a time (writers stream: constant memory); raises
    SchemaError on unknown fields."""
    names = set(schema.names)
    cleaners = [(f.name, _cleaner(f)) for f in schema.fields]
    for i, row in enumerate(rows):
        if not names.issuperset(row):
            extra = set(row) - names
            raise SchemaError(f"{schema.name} row {i}: fields not in the schema: {', '.join(sorted(extra))}")
        try:
            yield {name: clean(row.get(name)) for name, clean in cleaners}
        except (TypeError, ValueError) as exc:
            raise SchemaError(f"{schema.name} row {i}: {exc}") from exc


def normalise(rows: Iterable[Row], schema: Schema) -> list[dict[str, Any]]:
    """``rows_of`` as a list."""
    return list(rows_of(rows, schema))


def encode(value: Any) -> bytes:
    """Compact UTF-8 JSON of a row (orjson; the standard library for what orjson refuses, such as huge ints)."""
    import orjson

    try:
        return orjson.dumps(value)
    except TypeError:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def text_of(field: Field) -> Callable[[Any], str]:
    """``to_text`` for one field, as a function (what the writers call once per cell)."""
    t = field.type
    if t == "string":
        return lambda v: "" if v is None else v if type(v) is str else str(v)
    if t == "integer":
        return lambda v: "" if v is None else str(v)
    if t == "number":
        return lambda v: "" if v is None else repr(v) if type(v) is float else to_text(field, v)
    if t == "boolean":
        return lambda v: "" if v is None else "true" if v else "false"
    empty, kind = ("[]", list) if t == "array" else ("{}", dict)
    return lambda v: "" if v is None else empty if type(v) is kind and not v else to_text(field, v)


def batches(rows: Iterable[Row], schema: Schema, size: int = 2000) -> Iterator[list[dict[str, Any]]]:
    """``rows_of`` in lists of ``size``: what a writer's ``add`` takes."""
    it = rows_of(rows, schema)
    while batch := list(itertools.islice(it, size)):
        yield batch


class Writer(Protocol):
    """One open export file: ``add`` normalised rows (``rows_of``), then ``close``."""

    def add(self, rows: list[dict[str, Any]]) -> None: ...
    def close(self) -> None: ...


def write_with(writer: Writer, rows: Iterable[Row], schema: Schema) -> None:
    """Stream ``rows`` through ``writer`` a batch at a time, then close it."""
    try:
        for batch in batches(rows, schema):
            writer.add(batch)
    finally:
        writer.close()


def to_text(field: Field, value: Any) -> str:
    """The lexical form of a value (CSV cells, XLSX text cells): JSON for arrays and objects."""
    if value is None:
        return ""
    if field.type in ("array", "object"):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if field.type == "boolean":
        return "true" if value else "false"
    if field.type == "number":
        return repr(float(value))
    return str(value)


def from_text(field: Field, text: str | None) -> Any:
    """Parse the lexical form back (inverse of ``to_text``)."""
    if text is None or text == "":
        return None
    t = field.type
    if t == "string":
        return text
    if t == "integer":
        return int(text)
    if t == "number":
        return float(text)
    if t == "boolean":
        if text.lower() not in ("true", "false"):
            raise SchemaError(f"field {field.name!r}: not a boolean: {text!r}")
        return text.lower() == "true"
    return json.loads(text)
