"""``import atlas``: EFF Atlas of Surveillance CSV → one document per row and its deployment claim(s).

A row's document text is ``<Agency>: <Technology>`` then a blank line then the Summary: the title line keeps
rows apart whose summaries are identical (the same article cited for two agencies or two technologies).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from survindex.ingest.datasets.clean import clean_date, clean_text, clean_year
from survindex.ingest.datasets.pipeline import (
    Context,
    Supplier,
    location,
    open_source_file,
    resolve_suppliers,
    run_import,
)
from survindex.ingest.datasets.reader import Row
from survindex.ingest.datasets.report import ImportReport
from survindex.ingest.datasets.sources import Source, atlas_technology
from survindex.model import Document
from survindex.store import Store

_URL = re.compile(r"https?://[^\s,;|]+", re.IGNORECASE)  # a links cell may hold several URLs
_FIELDS = ("ref", "agency", "city", "county", "state", "technology", "vendor", "summary", "date")


def import_atlas(store: Store, path: str | Path, status: str = "accepted") -> ImportReport:
    """Import an Atlas CSV (current export, border-communities or campus layout)."""
    src = open_source_file(path, "eff-atlas", status)
    sheet, spec, declared = src.sheet, src.spec, src.declared
    links = [c for c in spec.get("links", []) if c in sheet.columns]
    read = [spec[f] for f in _FIELDS] + links + [c for c in spec.get("read_also", []) if c in sheet.columns]
    report = src.report("import.atlas")
    country = str(declared.extra.get("country", "USA"))

    def work(ctx: Context) -> None:
        for row in src.rows(report, read):
            _row(ctx, row, spec, links, declared, country, read)

    return run_import(store, report, status, work, declared, src.table.source)


def _row(ctx: Context, row: Row, spec: Mapping[str, Any], links: list[str], declared: Source, country: str,
         read: list[str]) -> None:
    ctx.report.rows_read += 1
    v = {f: clean_text(row.cells.get(spec[f], "")) for f in _FIELDS}
    label_raw = row.cells.get(spec["technology"], "")
    if not v["summary"] and not v["technology"]:
        ctx.reject(row.number, "no technology and no summary", ctx.report.file)
        return
    title = f"{v['agency'] or 'Unknown agency'}: {v['technology'] or 'unspecified technology'}"
    summary = row.cells.get(spec["summary"], "").strip() or title  # verbatim: it is the quote
    text = title + "\n\n" + summary if v["summary"] else title
    start = len(text) - len(summary)
    urls = list(dict.fromkeys(u for c in links for u in _URL.findall(row.cells.get(c, ""))))
    meta = {"agency": v["agency"], "city": v["city"], "county": v["county"], "state": v["state"], "ref": v["ref"],
            "technology": v["technology"], "vendor": v["vendor"], "links": urls, "document_date": v["date"],
            "row": row.number, "file": ctx.report.file, "file_sha256": ctx.raw_sha256,
            "columns": {c: row.cells[c] for c in read if c in row.cells and row.cells[c].strip()}}
    doc = Document.from_text(text, title=title, url=urls[0] if urls else None, published=clean_date(v["date"]),
                             source=ctx.report.file, publisher=declared.publisher, mime="text/plain", meta=meta)
    ctx.put_document(doc)
    techs, known = atlas_technology(v["technology"])
    if not known:
        ctx.report.unmapped_labels[v["technology"] or "(empty)"] += 1
    suppliers: list[Supplier | None] = [*resolve_suppliers(v["vendor"])] or [None]
    original = {"agency": v["agency"], "city": v["city"], "county": v["county"], "state": v["state"],
                "technology": label_raw, "vendor": row.cells.get(spec["vendor"], "")}
    where = location(ctx.report.file, None, row.number, spec["summary"])
    for tech in techs:
        for supplier in suppliers:
            ctx.emit(doc, kind="deployment", country=country, technology=tech, supplier=supplier,
                     year=clean_year(v["date"]), quote=summary, start=start, end=start + len(summary),
                     location=where, original=original)
