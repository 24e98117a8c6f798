"""``import spyware-inventory``: Carnegie's Global Inventory of Commercial Spyware & Digital Forensics → one
deployment claim per row (country of deployment, vendor, targeted technology), citing the file and the row.

The file is one document; a claim quotes its row's description (the whole row when the description is empty).
Each of the row's source URLs is a citation of the claim; a Wayback Machine link is kept as the archive copy of the
URL it archived. The vendor resolves through the company registry; the supplier country is the row's own
``Country of origin`` (the first where it names several; all of them in ``original["supplier_countries"]``), so
the index counts origin countries the way Carnegie does. ``Undisclosed`` is an unknown supplier.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from survindex.ingest.datasets.clean import FlagError, clean_flag, clean_text
from survindex.ingest.datasets.periods import parse_years
from survindex.ingest.datasets.pipeline import (
    Context,
    Supplier,
    country_of,
    location,
    open_source_file,
    resolve_supplier,
    run_import,
)
from survindex.ingest.datasets.reader import Row, Sheet
from survindex.ingest.datasets.report import ImportReport
from survindex.ingest.datasets.sources import Source
from survindex.ingest.datasets.stream import TableStream
from survindex.model import Document
from survindex.store import Store

NAME = "carnegie-spyware"
_URL = re.compile(r"https?://\S+", re.IGNORECASE)
_WAYBACK = re.compile(r"^https?://web\.archive\.org/web/(\d{4})(\d{2})(\d{2})\d*(?:[a-z]{2}_)?/(.+)$", re.IGNORECASE)
_ORIGIN_SPLIT = re.compile(r"\s*(?:,|;|/|\band\b|&)\s*", re.IGNORECASE)
_FIELDS = ("country", "category", "period", "disclosure", "vendor", "origin", "description", "lower_confidence",
           "regime")


def citation(url: str) -> dict[str, str]:
    """``{"url"}``, or for a Wayback Machine link ``{"url": <the archived URL>, "archive_url", "archived"}``."""
    m = _WAYBACK.match(url)
    if not m:
        return {"url": url}
    target = m.group(4)
    if not re.match(r"^https?://", target, re.IGNORECASE):
        target = "http://" + target.lstrip("/")
    return {"url": target, "archive_url": url, "archived": f"{m.group(1)}-{m.group(2)}-{m.group(3)}"}


@dataclass(frozen=True)
class Cells:
    """One row's values as the importer reads them, after repairing a description split at a comma."""

    values: dict[str, str]
    sources: list[str]
    repaired: bool


def _is_flag(text: str) -> bool:
    try:
        clean_flag(text)
    except FlagError:
        return False
    return True


def read_cells(row: Row, sheet: Sheet | TableStream, spec: Mapping[str, Any]) -> Cells:
    """The row's fields. A description written with an unquoted comma spills into ``Lower confidence sources``
    and pushes the sources one column right (10 rows of V10): joined again and shifted back."""
    values = {f: row.cells.get(spec[f], "") for f in _FIELDS}
    first = sheet.columns.index(spec["sources"][0]) if spec["sources"][0] in sheet.columns else len(sheet.columns)
    tail = [row.cells.get(c, "") for c in sheet.columns[first:]] + \
           [v for k, v in row.cells.items() if k not in sheet.columns]
    spill = values["lower_confidence"]
    if spill.strip() and not _is_flag(spill) and tail and not _URL.match(tail[0].strip()) and _is_flag(tail[0]):
        values["description"] = values["description"] + "," + spill
        values["lower_confidence"] = tail[0]
        return Cells(values, [u for cell in tail[1:] for u in _URL.findall(cell)], True)
    return Cells(values, [u for cell in tail for u in _URL.findall(cell)], False)


def import_spyware_inventory(store: Store, path: str | Path, status: str = "accepted") -> ImportReport:
    """Import the inventory CSV (V10 layout); returns the report (rows read, claims, rows rejected, repairs)."""
    src = open_source_file(path, NAME, status)
    sheet, spec, declared = src.sheet, src.spec, src.declared
    first = sheet.columns.index(spec["sources"][0]) if spec["sources"][0] in sheet.columns else len(sheet.columns)
    read = [spec[f] for f in _FIELDS] + sheet.columns[first:] + \
        [c for c in spec.get("read_also", []) if c in sheet.columns]
    text = src.table.text()  # the file is the document: its text is held, its rows are streamed
    report = src.report("import.spyware")
    meta = {"file": src.path.name, "encoding": src.table.encoding, "columns": sheet.columns, "dataset": NAME,
            "licence": declared.licence}
    doc = Document.from_text(text, title=declared.title, url=declared.url, source=src.path.name,
                             publisher=declared.publisher, published=str(declared.year), mime=src.table.mime,
                             meta=meta)
    repaired: list[int] = []

    def work(ctx: Context) -> None:
        ctx.put_document(doc)
        for row in src.rows(report, read):
            if _row(ctx, doc, sheet, row, spec, declared):
                repaired.append(row.number)

    run_import(store, report, status, work, declared, src.table.source)
    if repaired:
        report.warnings.append(f"{len(repaired)} rows had their description split at an unquoted comma (rows "
                               f"{', '.join(map(str, repaired))}): joined again, sources shifted back")
    return report


def _origins(ctx: Context, raw: str, unknown: set[str]) -> list[str]:
    """ISO3 of each country named in ``Country of origin`` (``Israel, Hungary`` → [ISR, HUN]), in file order."""
    out: list[str] = []
    for part in _ORIGIN_SPLIT.split(clean_text(raw)):
        if part.casefold() in unknown:
            continue
        iso = country_of(part)
        if iso is None:
            ctx.report.unknown_countries[part] += 1
        elif iso not in out:
            out.append(iso)
    return out


def _supplier(ctx: Context, vendor: str, origins: list[str], unknown: set[str]) -> Supplier | None:
    """The registry's vendor, its country the file's first origin country; None for an undisclosed vendor."""
    if vendor.casefold() in unknown:
        return None
    supplier = resolve_supplier(vendor)
    if supplier.resolved and supplier.country and origins and supplier.country not in origins:
        note = (f"{supplier.name}: registry headquarters {supplier.country}, the file gives "
                f"{', '.join(origins)} (the claim keeps the file's)")
        if note not in ctx.report.warnings:
            ctx.report.warnings.append(note)
    return replace(supplier, country=origins[0]) if origins else supplier


def _quote(row: Row, description: str) -> tuple[str, int, int]:
    """The description and its span in the document; the whole row when it is empty or not found verbatim."""
    text = description.strip()
    at = row.text.find(text) if text else -1
    if at < 0:
        return row.text, row.start, row.end
    return text, row.start + at, row.start + at + len(text)


def _row(ctx: Context, doc: Document, sheet: Sheet | TableStream, row: Row, spec: Mapping[str, Any],
         declared: Source) -> bool:
    """Emit the row's claim (or reject the row); True when the row needed the split-description repair."""
    ctx.report.rows_read += 1
    file, extra = ctx.report.file, declared.extra
    cells = read_cells(row, sheet, spec)
    v = cells.values
    country = country_of(v["country"])
    if country is None:
        ctx.report.unknown_countries[clean_text(v["country"]) or "(empty)"] += 1
        ctx.reject(row.number, f"unknown country {clean_text(v['country'])!r}", file, None, spec["country"])
        return cells.repaired
    categories: dict[str, str] = extra.get("categories") or {}
    technology = categories.get(clean_text(v["category"]).casefold())
    if technology is None:
        ctx.reject(row.number, f"unknown category {clean_text(v['category'])!r} (declared: "
                   f"{', '.join(categories)})", file, None, spec["category"])
        return cells.repaired
    unknown = {str(u).casefold() for u in extra.get("unknown_values") or ()}
    origins = _origins(ctx, v["origin"], unknown)
    supplier = _supplier(ctx, clean_text(v["vendor"]), origins, unknown)
    period, disclosure = parse_years(v["period"]), parse_years(v["disclosure"])
    for span, column in ((period, spec["period"]), (disclosure, spec["disclosure"])):
        if span.unread:
            ctx.skip_cell(row.number, f"unreadable years {', '.join(map(repr, span.unread))}", file, None, column)
    low = _lower_confidence(ctx, row, v["lower_confidence"], spec["lower_confidence"])
    quote, start, end = _quote(row, v["description"])
    original = _original(row, cells, spec, declared, country, origins, period, disclosure)
    ctx.emit(doc, kind="deployment", country=country, technology=technology, supplier=supplier,
             year=disclosure.first, stage="operational" if not period.empty else "unknown",
             confidence=float(extra.get("lower_confidence", 0.6)) if low else 1.0,
             quote=quote, start=start, end=end, location=location(file, None, row.number, spec["description"]),
             citations=citations(cells.sources), original=original)
    return cells.repaired


def citations(urls: list[str]) -> tuple[dict[str, str], ...]:
    """One citation per distinct URL (an archived copy and its original count once), in file order."""
    out: dict[str, dict[str, str]] = {}
    for url in urls:
        c = citation(url)
        out.setdefault(c["url"], c)
    return tuple(out.values())


def _lower_confidence(ctx: Context, row: Row, value: str, column: str) -> bool:
    try:
        return clean_flag(value) is True
    except FlagError as exc:
        ctx.skip_cell(row.number, str(exc), ctx.report.file, None, column)
        return False


def _original(row: Row, cells: Cells, spec: Mapping[str, Any], declared: Source, country: str, origins: list[str],
              period: Any, disclosure: Any) -> dict[str, Any]:
    """The row's values as written, beside what the import read from them."""
    v = cells.values
    regimes: dict[str, str] = declared.extra.get("regimes") or {}
    out: dict[str, Any] = {
        "category": v["category"], "vendor": v["vendor"], "country_of_origin": v["origin"],
        "supplier_countries": origins, "period_of_use": v["period"], **period.to_dict("period"),
        "year_of_disclosure": v["disclosure"], **disclosure.to_dict("disclosure"),
        "source_regime": {"raw": v["regime"], "type": regimes.get(clean_text(v["regime"]).upper()),
                          "year": declared.extra.get("regime_year"), "column": spec["regime"]},
        "columns": {c: row.cells[c] for c in spec.get("read_also", []) if row.cells.get(c, "").strip()},
    }
    if clean_text(v["country"]) != country:
        out["country"] = v["country"]
    if clean_text(v["lower_confidence"]):
        out["lower_confidence"] = v["lower_confidence"]
    if cells.repaired:
        out["repaired"] = "description split at an unquoted comma: joined again, sources shifted back one column"
    return out
