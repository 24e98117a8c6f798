"""The report's downloads and the work split between processes: the index per country (in this process), the
claims in every format and the country pages (in worker processes, each reading the database in batches), then
the data package over everything."""

from __future__ import annotations

import json
import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from survindex.export import CLAIM_SCHEMA, COUNTRY_SCHEMA, FORMATS, country_rows, write_all, write_many
from survindex.export import datapackage
from survindex.export.datapackage import Resource
from survindex.export.rows import financing_by_country_rows
from survindex.index import Aggregates

if TYPE_CHECKING:
    from survindex.report.site import Site

DATA = "data"
# the cases download in every format by two processes, the work about even: XLSX and CSV; JSON, GeoJSON and Parquet
FORMAT_GROUPS = (("xlsx", "csv"), ("json", "geojson", "parquet"))


@dataclass(frozen=True)
class Spec:
    """What a worker process needs to open the store and the built index again."""

    url: str
    status: str
    min_confidence: float | None
    as_of: date | None
    out: Path
    created: str
    claim_count: int


def country_downloads(site: Site, agg: Aggregates) -> None:
    """The index per country in every format, and index.json."""
    out = site.out / DATA
    out.mkdir(parents=True, exist_ok=True)
    site.resources += write_all(out, country_rows(site.index, financing_by_country_rows(agg.financing)),
                                COUNTRY_SCHEMA)
    with open(out / "index.json", "w", encoding="utf-8") as f:
        json.dump(site.index, f, indent=1, ensure_ascii=False)
        f.write("\n")


def write_claims(spec: Spec, formats: tuple[str, ...]) -> None:
    """The claims download in ``formats``, read from the database once, in batches."""
    from survindex.store import Store
    from survindex.store.published import Selection

    store = Store(spec.url)
    try:
        rows = Selection(store, spec.status, spec.min_confidence, spec.as_of).claim_rows()
        write_many(spec.out / DATA, rows, CLAIM_SCHEMA, formats)
    finally:
        store.close()


def render_countries(spec: Spec, isos: list[str], part: int) -> list[Any]:
    """Country pages with their case pages, from the index.json this build wrote and the store; the cases'
    download rows go to ``.cases-<part>.jsonl``; returns the cases' summaries."""
    from survindex.store import Store

    store = Store(spec.url)
    try:
        return countries_with_cases(_site(spec, store), isos, part)
    finally:
        store.close()


def _site(spec: Spec, store: Any) -> Site:
    from survindex.report.site import Site
    from survindex.store.published import Selection

    index = json.loads((spec.out / DATA / "index.json").read_text(encoding="utf-8"))
    return Site(out=spec.out, index=index, claim_count=spec.claim_count, status=spec.status,
                selection=Selection(store, spec.status, spec.min_confidence, spec.as_of),
                min_confidence=spec.min_confidence, created=spec.created)


def case_file(out: Path, part: int) -> Path:
    return out / DATA / f".cases-{part}.jsonl"


def countries_with_cases(site: Site, isos: list[str], part: int) -> list[Any]:
    """Each country's cases (pages, download rows), then its page listing them."""
    from survindex.report import cases, pages

    found: list[Any] = []
    with open(case_file(site.out, part), "w", encoding="utf-8") as rows:
        for iso in isos:
            mine = cases.country_cases(site, iso, rows)
            site.set_cases(mine)
            pages.country(site, iso)
            found += mine
    return found


def _chunks(site: Site, parts: int) -> list[list[str]]:
    """The countries in ``parts`` lists of about the same number of claims (largest first)."""
    from survindex.report import targeted_pages

    detail = site.index["countries_detail"]
    sizes = sorted(((len(detail[iso]["claims"]) if iso in detail else 0, iso)
                    for iso in targeted_pages.countries(site)), reverse=True)
    chunks: list[tuple[int, list[str]]] = [(0, []) for _ in range(max(1, parts))]
    for n, iso in sizes:
        total, isos = min(chunks, key=lambda c: c[0])
        chunks.remove((total, isos))
        chunks.append((total + n + 1, [*isos, iso]))
    return [isos for _, isos in chunks if isos]


class Work:
    """The claims downloads and the country pages with their cases, in ``workers`` processes while this one
    renders the other pages (in this process, one after the other, with no workers). ``cases`` and
    ``case_files`` hold the cases found once the work is done."""

    def __init__(self, site: Site, spec: Spec, workers: int) -> None:
        self.site, self.spec, self.workers = site, spec, workers
        self.futures: list[Future[Any]] = []
        self.cases: list[Any] = []
        self.case_files: list[Path] = []

    def __enter__(self) -> "Work":
        from survindex.report import targeted_pages

        if not self.workers:
            write_claims(self.spec, tuple(FORMATS))
            self.cases = countries_with_cases(self.site, targeted_pages.countries(self.site), 0)
            self.case_files = [case_file(self.spec.out, 0)]
            return self
        self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))
        submit: Any = self.pool.submit
        self.futures.append(submit(write_claims, self.spec, tuple(FORMATS)))  # one read of the claims for all
        # small parts, largest first: the last to finish keeps one process waiting for less time
        for part, isos in enumerate(_chunks(self.site, 4 * self.workers)):
            self.futures.append(submit(render_countries, self.spec, isos, part))
            self.case_files.append(case_file(self.spec.out, part))
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            for f in self.futures:
                self.cases += f.result() or []
        finally:
            if self.workers:
                self.pool.shutdown(cancel_futures=True)

    def resources(self) -> list[Resource]:
        return [Resource(path=self.spec.out / DATA / f"{CLAIM_SCHEMA.name}.{m.EXTENSION}", schema=CLAIM_SCHEMA,
                         format=fmt, mediatype=m.MEDIATYPE) for fmt, m in FORMATS.items()]


def write_cases(out: Path, files: list[Path], formats: tuple[str, ...]) -> list[Resource]:
    """The cases download in ``formats`` from the rows the countries' cases were written to."""
    from survindex.report.cases import case_schema, read_rows

    return write_many(out / DATA, read_rows(files), case_schema(), formats)


class CaseDownloads:
    """The cases download written by ``workers`` processes (one group of formats each) while this one goes on;
    its resources, in the order of ``FORMATS``, once the block ends. The row files are removed then."""

    def __init__(self, out: Path, files: list[Path], workers: int) -> None:
        self.out, self.files, self.workers = out, files, workers
        self.resources: list[Resource] = []

    def __enter__(self) -> "CaseDownloads":
        if self.workers:
            self.pool = ProcessPoolExecutor(min(self.workers, len(FORMAT_GROUPS)),
                                            mp_context=multiprocessing.get_context("spawn"))
            self.futures = [self.pool.submit(write_cases, self.out, self.files, g) for g in FORMAT_GROUPS]
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if not self.workers:
                self.resources = write_cases(self.out, self.files, tuple(FORMATS))
            else:
                found = [r for f in self.futures for r in f.result()]
                self.resources = sorted(found, key=lambda r: list(FORMATS).index(r.format))
        finally:
            if self.workers:
                self.pool.shutdown(cancel_futures=True)
            for f in self.files:
                f.unlink(missing_ok=True)


def data_package(site: Site, claim_resources: list[Resource]) -> None:
    """datapackage.json over every download, its sources the reference tables and the documents cited."""
    from survindex.report.pages import _sources

    sources = [{"title": s.get("title", k), "path": s.get("url", ""), **({"publisher": s["publisher"]}
               if s.get("publisher") else {})} for k, s in _sources().items()]
    docs: dict[str, tuple[str, str | None]] = {}
    for d in site.selection.documents():
        if d.url and (d.url not in docs or d.id > docs[d.url][0]):
            docs[d.url] = (d.id, d.title)
    sources += [{"title": title or url, "path": url} for url, (_, title) in sorted(docs.items())]
    datapackage.write(site.out / DATA / "datapackage.json", [*site.resources, *claim_resources],
                      title="survindex: AI surveillance index",
                      description=f"The index per country and every claim behind it (status={site.status}).",
                      sources=sources, created=site.created)
