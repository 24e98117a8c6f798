"""The one place where imported claims get their provenance (``Context.emit``), and the all-or-nothing run."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import SQLAlchemyError

from survindex.ingest.datasets.clean import clean_suppliers, clean_text
from survindex.ingest.datasets.reader import FileFormatError, Row
from survindex.ingest.datasets.report import ImportReport, Problem
from survindex.ingest.datasets.sources import Source, UnknownHeader, detect_header, source
from survindex.ingest.datasets.stream import TableStream, stream_table
from survindex.model import STATUSES, Claim, Document, sha256_hex
from survindex.store import Store
from survindex.store.archive import file_digest, put_document_file

IMPORTER_VERSION = "1.0"
_DECORATION = re.compile(r"\s*(?:\([^()]*\)|\[[^\[\]]*\]|[*†‡]+)\s*")


class ImportFailed(RuntimeError):
    """The import stopped part-way (e.g. the database refused a write); the transaction was rolled back."""


@dataclass(frozen=True)
class Supplier:
    name: str  # registry canonical name, or the raw name when unresolved
    country: str | None  # ISO3 of the headquarters
    resolved: bool
    raw: str


@lru_cache(maxsize=4096)
def resolve_country(text: str) -> str | None:
    """ISO3 of a country name or code (through the reference registry), or None."""
    from survindex.reference import resolve_country as resolve

    country = resolve(text) if text else None
    return country.iso3 if country is not None else None


@lru_cache(maxsize=4096)
def resolve_supplier(raw: str) -> Supplier:
    """A supplier through the company registry; an unknown name is kept as written, marked unresolved."""
    from survindex.reference import resolve_company

    company = resolve_company(raw)
    if company is None:  # "Huawei (China)", "Hikvision*", "NEC[3]": try without the decoration
        bare = _DECORATION.sub("", raw).strip()
        company = resolve_company(bare) if bare and bare != raw else None
    if company is None:
        return Supplier(name=raw, country=None, resolved=False, raw=raw)
    return Supplier(name=company.canonical, country=company.hq_country, resolved=True, raw=raw)


def resolve_suppliers(cell: str) -> list[Supplier]:
    """Every supplier named in a cell, resolved, once each. "Huawei & ZTE" is two suppliers when both parts
    are known companies (but "Import & Export Corporation" stays one name)."""
    out: dict[str, Supplier] = {}
    for name in clean_suppliers(cell):
        supplier = resolve_supplier(name)
        parts = [resolve_supplier(p) for p in re.split(r"\s*&\s*", name)] if not supplier.resolved else []
        for s in parts if len(parts) > 1 and all(p.resolved for p in parts) else [supplier]:
            out.setdefault(s.name, s)
    return list(out.values())


@dataclass(frozen=True)
class SourceFile:
    """A dataset file, opened for streaming and matched to one of its source's declared header layouts
    (``kind``, ``spec``)."""

    path: Path
    declared: Source
    sheet: TableStream
    kind: str
    spec: Mapping[str, Any]

    @property
    def table(self) -> TableStream:
        return self.sheet

    def report(self, importer: str) -> ImportReport:
        """The import's report; the notes on rows read as best they could be come with ``rows``."""
        return ImportReport(importer=importer, file=self.path.name, kind=self.kind, encoding=self.sheet.encoding,
                            warnings=self.sheet.notes())

    def rows(self, report: ImportReport, read: list[str]) -> Iterator[Row]:
        """The file's rows, read one at a time. After the last, the report lists the rows read as best they
        could be (after the file's warnings, as ``read_table``'s notes do) and the columns never read."""
        at = len(self.sheet.notes())
        yield from self.sheet.rows()
        report.warnings[at:at] = self.sheet.notes()[at:]
        report.columns_never_read = self.sheet.never_read(read)


def open_source_file(path: str | Path, name: str, status: str) -> SourceFile:
    """Check ``status``, open the file and detect its layout among those declared for source ``name``."""
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}; expected one of {', '.join(STATUSES)}")
    path = Path(path)
    declared = source(name)
    sheet = stream_table(path)
    try:
        kind, spec = detect_header(sheet.columns, declared)
    except UnknownHeader as exc:
        raise FileFormatError(str(exc)) from None
    return SourceFile(path, declared, sheet, kind, spec)


def location(file: str, sheet: str | None, row: int | None, column: str | None) -> str:
    """``file=<name>;sheet=<sheet>;row=<n>;column=<col>`` (parts that do not apply are left out)."""
    parts = [f"file={file}"]
    if sheet:
        parts.append(f"sheet={sheet}")
    if row is not None:
        parts.append(f"row={row}")
    if column:
        parts.append(f"column={column}")
    return ";".join(parts)


@dataclass
class Context:
    """One import inside one transaction: documents and claims go through here, stamped the same way."""

    store: Store
    conn: Connection
    report: ImportReport
    extractor: str
    status: str
    pending: list[Claim] = field(default_factory=list)

    raw: bytes | Path | None = None  # the file (its bytes, or its path read then): archived with the first document
    _archived: bool = False
    _raw_sha: str | None = None

    @property
    def raw_sha256(self) -> str | None:
        """sha256 of the file's bytes, which row documents cite in their meta."""
        if self._raw_sha is None and self.raw is not None:
            self._raw_sha = file_digest(self.raw)[0] if isinstance(self.raw, Path) else sha256_hex(self.raw)
        return self._raw_sha

    def put_document(self, doc: Document) -> None:
        """Store a document; the first one of the import carries the file's raw bytes into the archive."""
        source = None if self._archived else self.raw
        self._archived = True
        if isinstance(source, Path):  # a file streamed from disk: its bytes are copied into the archive in chunks
            new = put_document_file(self.store, doc, source, self.conn)
        else:
            new = self.store.put_document(doc, raw=source, conn=self.conn)
        if new:
            self.report.documents_new += 1

    def emit(self, doc: Document, *, quote: str, start: int | None, end: int | None, location: str,
             supplier: Supplier | None = None, **values: Any) -> Claim:
        """Stamp provenance on one claim and queue it; an unresolved supplier is proposed for review."""
        if supplier is not None:
            values.update(supplier=supplier.name, supplier_country=supplier.country,
                          supplier_resolved=supplier.resolved)
        claim = Claim(doc_id=doc.id, quote=quote, start=start, end=end, location=location,
                      extractor=self.extractor, extractor_version=IMPORTER_VERSION, status=self.status, **values)
        if claim.country:
            self.report.countries.add(claim.country)
        self.report.claims += 1
        if supplier is not None and not supplier.resolved:
            self.report.unresolved_suppliers[supplier.name] += 1
            new = self.store.put_claims([claim], conn=self.conn)  # propose only for new claims: idempotent
            self.report.claims_new += new
            if new:
                self.store.propose_entity("company", supplier.name, None, doc.id, conn=self.conn)
            return claim
        self.pending.append(claim)
        if len(self.pending) >= 1000:
            self.flush()
        return claim

    def flush(self) -> None:
        if self.pending:
            self.report.claims_new += self.store.put_claims(self.pending, conn=self.conn)
            self.pending = []

    def reject(self, row: int | None, reason: str, file: str, sheet: str | None = None,
               column: str | None = None) -> None:
        self.report.rejected.append(Problem(row, reason, column, location(file, sheet, row, column)))

    def skip_cell(self, row: int, reason: str, file: str, sheet: str | None, column: str) -> None:
        self.report.cell_errors.append(Problem(row, reason, column, location(file, sheet, row, column), cell=True))


def country_of(raw: str) -> str | None:
    return resolve_country(clean_text(raw))


def run_import(store: Store, report: ImportReport, status: str, work: Callable[[Context], None],
               declared: Source | None = None, raw: bytes | Path | None = None) -> ImportReport:
    """Run ``work`` inside one transaction; afterwards record problems and the run. All or nothing."""
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    report.run_id = f"run-{report.importer}-{stamp}-{sha256_hex(report.file)[:8]}"
    store.start_run(report.run_id, f"{report.importer} {report.file}")
    try:
        with store.transaction() as conn:
            ctx = Context(store=store, conn=conn, report=report, extractor=report.importer, status=status,
                          raw=raw)
            work(ctx)
            ctx.flush()
    except SQLAlchemyError as exc:
        reason = f"the database refused a write ({getattr(exc, 'orig', None) or exc}); the import was rolled back"
        store.record_error(report.file, reason, None, report.run_id)
        store.finish_run(report.run_id, "failed", {"error": reason})
        raise ImportFailed(reason) from exc
    except BaseException as exc:
        store.finish_run(report.run_id, "failed", {"error": repr(exc)})
        raise
    if declared is not None:
        report.warnings.extend(check_assertions(declared, report))
    for p in report.problems:
        store.record_error(report.file, str(p), p.location, report.run_id)
    store.refresh_cases()
    store.finish_run(report.run_id, "ok", report.to_dict())
    return report


def check_assertions(declared: Source, report: ImportReport) -> list[str]:
    """The declaration's sanity assertions that the import broke, as warnings."""
    out: list[str] = []
    a = declared.assertions
    if "min_rows" in a and report.rows_read < int(a["min_rows"]):
        out.append(f"{declared.name}: expected at least {a['min_rows']} rows, read {report.rows_read}")
    if "min_countries" in a and len(report.countries) < int(a["min_countries"]):
        out.append(f"{declared.name}: expected at least {a['min_countries']} countries, got {len(report.countries)}")
    if "only_country" in a and report.countries - {a["only_country"]}:
        out.append(f"{declared.name}: expected only {a['only_country']}, got {sorted(report.countries)}")
    return out
