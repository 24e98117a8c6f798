"""``import aiddata``: AidData GCDF project rows → one document per project and a financing claim from its columns.

The document text is the title, the description (when the file has one) and a last line naming the AidData record
id, so two projects with the same title stay two documents. Which projects concern surveillance is decided later by
extraction; every row is stored. Amounts are AidData's constant 2021 USD.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from survindex.ingest.datasets.clean import clean_date, clean_money, clean_text, clean_year
from survindex.ingest.datasets.pipeline import Context, country_of, location, open_source_file, run_import
from survindex.ingest.datasets.reader import Row
from survindex.ingest.datasets.report import ImportReport
from survindex.ingest.datasets.sources import Source
from survindex.model import Document
from survindex.store import Store


def import_aiddata(store: Store, path: str | Path, status: str = "unreviewed") -> ImportReport:
    """Import a GCDF 3.0 file (the main project table or the geospatial pipeline's ``final_input.csv``).
    Claims default to ``unreviewed``: the rows are every kind of project, not only surveillance."""
    src = open_source_file(path, "aiddata-gcdf", status)
    sheet, spec, declared = src.sheet, src.spec, src.declared
    meta_cols = [c for c in spec.get("meta", []) if c in sheet.columns]
    read = [v for v in spec.values() if isinstance(v, str)] + meta_cols
    report = src.report("import.aiddata")

    def work(ctx: Context) -> None:
        for row in src.rows(report, read):
            _row(ctx, row, spec, meta_cols, declared)

    return run_import(store, report, status, work, declared, src.table.source)


def _cell(row: Row, spec: Mapping[str, Any], field: str) -> str:
    column = spec.get(field)
    return row.cells.get(column, "") if isinstance(column, str) else ""


def _row(ctx: Context, row: Row, spec: Mapping[str, Any], meta_cols: list[str], declared: Source) -> None:
    ctx.report.rows_read += 1
    file = ctx.report.file
    record_id, title = clean_text(_cell(row, spec, "record_id")), _cell(row, spec, "title").strip()  # verbatim
    description = _cell(row, spec, "description").strip()
    if not title or not record_id:
        ctx.reject(row.number, "no title" if not title else "no AidData record id", file, None,
                   spec["title"] if not title else spec["record_id"])
        return
    text = title + (f"\n\n{description}" if description else "") + f"\n\nAidData Record ID: {record_id}"
    year = clean_year(_cell(row, spec, "year")) or clean_year(_cell(row, spec, "date"))
    basis = str(declared.extra.get("amount_basis", "constant 2021 USD"))
    meta = {"record_id": record_id, "recipient": _cell(row, spec, "recipient"), "row": row.number, "file": file,
            "file_sha256": ctx.raw_sha256, "amount_basis": basis,
            "columns": {c: row.cells[c] for c in meta_cols if row.cells[c].strip()}}
    doc = Document.from_text(text, title=title, url=None, source=file, publisher=declared.publisher,
                             published=clean_date(_cell(row, spec, "date")) or (str(year) if year else None),
                             mime="text/plain", meta=meta)
    ctx.put_document(doc)
    values, original = _financing(ctx, row, spec, declared)
    original.update(record_id=record_id, amount_basis=basis)
    ctx.emit(doc, kind="financing", year=year, quote=title, start=0, end=len(title), original=original,
             location=location(file, None, row.number, spec["title"]), **values)


def _financing(ctx: Context, row: Row, spec: Mapping[str, Any], declared: Source) -> tuple[dict[str, Any],
                                                                                         dict[str, Any]]:
    """Country, amount and flow type from the structured columns, with the raw values they came from."""
    file = ctx.report.file
    recipient, iso3 = _cell(row, spec, "recipient"), clean_text(_cell(row, spec, "recipient_iso3"))
    country = (country_of(iso3) if iso3 else None) or country_of(recipient)
    original: dict[str, Any] = {"recipient": recipient}
    if iso3:
        original["recipient_iso3"] = iso3
    if country is None and clean_text(recipient):
        ctx.report.unknown_countries[clean_text(recipient)] += 1
    values: dict[str, Any] = {"country": country, "financier": None, "technology": None}
    raw_amount = _cell(row, spec, "amount")
    money = clean_money(raw_amount)
    if money is None and raw_amount.strip():
        ctx.skip_cell(row.number, f"unreadable amount {raw_amount!r}", file, None, spec["amount"])
    if money is not None:
        values.update(amount=money.amount, currency="USD", amount_usd=money.amount)
        original["amount"] = raw_amount
    raw_status = row.cells.get(str(declared.extra.get("stage_column", "Status")), "")
    stage = (declared.extra.get("stages") or {}).get(clean_text(raw_status).casefold())
    if stage:
        values["stage"] = stage
        original["status"] = raw_status
    raw_flow = _cell(row, spec, "flow_type")
    flow_types = declared.extra.get("flow_types") or {}
    if raw_flow.strip():
        values["flow_type"] = flow_types.get(clean_text(raw_flow).casefold())
        original["flow_type"] = raw_flow
    return values, original
