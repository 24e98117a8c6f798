"""``import table``: a country table (AIGS-style CSV/XLSX) → deployment claims per flagged technology and supplier."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

from survindex.ingest.datasets.checks import RowFacts, compare
from survindex.ingest.datasets.clean import FlagError, clean_flag, clean_text
from survindex.ingest.datasets.pipeline import (
    Context,
    Supplier,
    country_of,
    location,
    resolve_supplier,
    resolve_suppliers,
    run_import,
)
from survindex.ingest.datasets.reader import Row, Sheet
from survindex.ingest.datasets.report import ImportReport
from survindex.ingest.datasets.sources import Source
from survindex.ingest.datasets.stream import TableStream, stream_table
from survindex.model import STATUSES, TECHNOLOGY_KEYS, Document
from survindex.reference.prefix import resolve_country_prefix
from survindex.store import Store


class _Cite(TypedDict):
    """What every claim from one table row shares: its quote and span, kind, country and year."""

    quote: str
    start: int | None
    end: int | None
    kind: str
    country: str
    year: int | None


class MappingError(ValueError):
    """A column mapping that names an unknown technology key or status, or is malformed."""


@dataclass(frozen=True)
class TableMapping:
    """How a country table's columns become claims, and how to cite the table."""

    country_column: str
    columns: Mapping[str, str] = field(default_factory=dict)  # source column -> technology key
    suppliers_column: str | None = None
    supplier_flags: Mapping[str, str] = field(default_factory=dict)  # flag column -> company (Carnegie's workbook)
    sheet: str | None = None
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    year: int | None = None
    status: str = "accepted"  # a published, curated dataset
    checks: Mapping[str, str] = field(default_factory=dict)  # summary column -> check (see checks.py)

    def __post_init__(self) -> None:
        for src, key in self.columns.items():
            check_technology(key, src)
        if self.status not in STATUSES:
            raise MappingError(f"unknown status {self.status!r}; expected one of {', '.join(STATUSES)}")
        if not self.columns and not self.suppliers_column and not self.supplier_flags:
            raise MappingError("nothing to import: give at least one --column SRC=TECH_KEY, --suppliers-column "
                               "or --supplier-flag")

    @classmethod
    def from_source(cls, declared: Source, **overrides: object) -> "TableMapping":
        """The declaration's default mapping, with explicit options taking precedence."""
        m = declared.mapping
        base: dict[str, object] = {
            "country_column": m.get("country_column"), "columns": dict(m.get("columns") or {}),
            "suppliers_column": m.get("suppliers_column"), "supplier_flags": dict(m.get("supplier_flags") or {}),
            "checks": dict(m.get("checks") or {}),
            "title": declared.title, "url": declared.url,
            "publisher": declared.publisher, "year": declared.year}
        base.update({k: v for k, v in overrides.items() if v not in (None, {}, ())})
        return cls(**base)  # type: ignore[arg-type]


def check_technology(key: str, column: str = "") -> str:
    if key not in TECHNOLOGY_KEYS:
        where = f" (column {column!r})" if column else ""
        raise MappingError(f"unknown technology key {key!r}{where}; expected one of {', '.join(TECHNOLOGY_KEYS)}")
    return key


def parse_supplier_flags(specs: Iterable[str]) -> dict[str, str]:
    """``["Huawei", "CEIEC=China National Electronics Import & Export Corporation"]`` → column → company."""
    out: dict[str, str] = {}
    for spec in specs:
        column, sep, company = spec.partition("=")
        if not column.strip() or (sep and not company.strip()):
            raise MappingError(f"--supplier-flag {spec!r} is not COLUMN or COLUMN=COMPANY")
        out[column.strip()] = company.strip() or column.strip()
    return out


def parse_columns(specs: Iterable[str]) -> dict[str, str]:
    """``["safeCity=safe_city", …]`` → {"safeCity": "safe_city"}; checks every key against the vocabulary."""
    out: dict[str, str] = {}
    for spec in specs:
        src, sep, key = spec.rpartition("=")
        if not sep or not src.strip() or not key.strip():
            raise MappingError(f"--column {spec!r} is not SRC=TECH_KEY")
        out[src.strip()] = check_technology(key.strip(), src.strip())
    return out


def import_table(store: Store, path: str | Path, mapping: TableMapping,
                 declared: Source | None = None) -> ImportReport:
    """Import one country table; one document for the file, claims citing each row and column."""
    path = Path(path)
    sheet = stream_table(path, mapping.sheet)
    wanted = [mapping.country_column, *mapping.columns, *mapping.supplier_flags,
              *([mapping.suppliers_column] if mapping.suppliers_column else []), *mapping.checks]
    sheet.require(*wanted)
    text = sheet.text()  # the file is the document: its text is held, its rows are streamed
    report = ImportReport(importer="import.table", file=path.name, sheet=sheet.name, encoding=sheet.encoding,
                          warnings=sheet.notes())
    meta = {"file": path.name, "sheet": sheet.name, "encoding": sheet.encoding, "columns": sheet.columns,
            "dataset": declared.name if declared else None, "licence": declared.licence if declared else None}
    doc = Document.from_text(text, title=mapping.title or path.name, url=mapping.url, source=path.name,
                             publisher=mapping.publisher, published=str(mapping.year) if mapping.year else None,
                             mime=sheet.mime, meta=meta)

    def work(ctx: Context) -> None:
        ctx.put_document(doc)
        for row in sheet.rows():
            _row(ctx, doc, sheet, row, mapping)
        report.columns_never_read = sheet.never_read(wanted)

    return run_import(store, report, mapping.status, work, declared, sheet.source)


def never_read(sheet: Sheet, read: Iterable[str]) -> list[str]:
    """Columns holding at least one value that the import never looked at (zavod's audit_data)."""
    used = set(read)
    return [c for c in sheet.columns if c not in used and any(r.cells.get(c, "").strip() for r in sheet.rows)]


def _country(ctx: Context, sheet: TableStream, row: Row, column: str) -> str | None:
    """The row's country: by name or code, else as the one country a truncated name begins ("United Kingdo"),
    reported as such; an unknown or ambiguous name rejects the row, naming the candidates."""
    name = clean_text(row.cells.get(column, ""))
    country = country_of(name) if name else None
    if country is not None or not name:
        if country is None:
            ctx.reject(row.number, "empty country cell", ctx.report.file, sheet.name, column)
        return country
    match = resolve_country_prefix(name)
    if match.iso3 is not None:
        ctx.report.resolved_by_prefix[name] = match.iso3
        return match.iso3
    ctx.report.unknown_countries[name] += 1
    reason = f"unknown country {name!r}"
    if match.ambiguous:
        reason = f"ambiguous truncated country name {name!r} (begins {', '.join(match.candidates)})"
    ctx.reject(row.number, reason, ctx.report.file, sheet.name, column)
    return None


def _row(ctx: Context, doc: Document, sheet: TableStream, row: Row, mapping: TableMapping) -> None:
    ctx.report.rows_read += 1
    file = ctx.report.file
    raw_country = row.cells.get(mapping.country_column, "")
    country = _country(ctx, sheet, row, mapping.country_column)
    if country is None:
        return
    base = {"country": raw_country} if raw_country != country else {}
    cite: _Cite = {"quote": row.text, "start": row.start, "end": row.end, "kind": "deployment", "country": country,
            "year": mapping.year}
    techs: set[str] = set()
    for column, tech in mapping.columns.items():
        if _flagged(ctx, sheet, row, column):
            techs.add(tech)
            ctx.emit(doc, technology=tech, original={**base, column: row.cells[column]},
                     location=location(file, sheet.name, row.number, column), **cite)
    found: list[Supplier] = []
    for column, company in mapping.supplier_flags.items():
        if _flagged(ctx, sheet, row, column):
            found.append(resolve_supplier(company))
            ctx.emit(doc, supplier=found[-1], technology=None, original={**base, column: row.cells[column]},
                     location=location(file, sheet.name, row.number, column), **cite)
    if mapping.suppliers_column:
        found += _suppliers(ctx, doc, sheet, row, mapping.suppliers_column, base, cite)
    if mapping.checks:
        facts = RowFacts(country, mapping.year, frozenset(techs), frozenset(s.country for s in found if s.country))
        ctx.report.published_checks += compare(dict(mapping.checks), row.cells, facts, row.number)


def _flagged(ctx: Context, sheet: TableStream, row: Row, column: str) -> bool:
    """The flag in one cell; an unreadable flag is reported for that cell and read as not flagged."""
    try:
        return clean_flag(row.cells.get(column, "")) is True
    except FlagError as exc:
        ctx.skip_cell(row.number, str(exc), ctx.report.file, sheet.name, column)
        return False


def _suppliers(ctx: Context, doc: Document, sheet: TableStream, row: Row, column: str, base: dict[str, str],
               cite: _Cite) -> list[Supplier]:
    raw = row.cells.get(column, "")
    found = resolve_suppliers(raw)
    for supplier in found:
        original = dict(base)
        if supplier.name != raw:
            original["supplier"] = raw  # the cell as written
        if supplier.raw not in (raw, supplier.name):
            original["supplier_name"] = supplier.raw  # this supplier's part of the cell
        ctx.emit(doc, supplier=supplier, technology=None, original=original,
                 location=location(ctx.report.file, sheet.name, row.number, column), **cite)
    return found
