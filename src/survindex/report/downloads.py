"""The report's downloads and the work split between processes: the claims in every format and the country
pages (in worker processes, each reading the database in batches), the index per country and the cases download
(in this process, the cases as the country pages' workers find them), then the data package over everything."""

from __future__ import annotations

import json
import multiprocessing
from collections.abc import Iterator
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
    """The claims downloads, started at once, and the country pages with their cases (``countries``), in
    ``workers`` processes while this one renders the other pages (in this process, one after the other, with no
    workers); ``case_downloads`` then writes the cases download here as each part of the countries comes in."""

    def __init__(self, spec: Spec, workers: int) -> None:
        self.spec, self.workers = spec, workers
        self.futures: list[Future[Any]] = []  # the claims downloads, with workers
        self.parts: list[Future[Any]] = []  # the countries, each part's case listings
        self.case_files: list[Path] = []  # each part's case rows

    def __enter__(self) -> "Work":
        (self.spec.out / DATA).mkdir(parents=True, exist_ok=True)
        if not self.workers:
            write_claims(self.spec, tuple(FORMATS))
            return self
        self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))
        self.futures.append(self.pool.submit(write_claims, self.spec, tuple(FORMATS)))  # one read for all formats
        return self

    def countries(self, site: Site) -> None:
        """The country pages with their case pages, in parts of about the same size."""
        from survindex.report import targeted_pages

        if not self.workers:
            self.parts.append(_done(countries_with_cases(site, targeted_pages.countries(site), 0)))
            self.case_files.append(case_file(self.spec.out, 0))
            return
        # small parts, largest first: the last to finish keeps one process waiting for less time
        for part, isos in enumerate(_chunks(site, 4 * self.workers)):
            self.parts.append(self.pool.submit(render_countries, self.spec, isos, part))
            self.case_files.append(case_file(self.spec.out, part))

    def case_downloads(self, site: Site) -> list[Resource]:
        """The cases download, written from each part's case rows as it comes in (in the parts' order, so the
        same every time), then the cases of no country (rendered here); ``site`` lists every case after."""
        from survindex.report.cases import case_schema, country_cases, read_rows

        found: list[Any] = []

        def rows() -> Iterator[dict[str, Any]]:
            for future, path in zip(self.parts, self.case_files):
                found.extend(future.result())
                yield from read_rows([path])
            none = self.spec.out / DATA / ".cases-none.jsonl"
            self.case_files.append(none)
            with open(none, "w", encoding="utf-8") as f:
                found.extend(country_cases(site, None, f))
            yield from read_rows([none])

        resources = write_many(self.spec.out / DATA, rows(), case_schema())
        site.set_cases(found)
        return resources

    def __exit__(self, *exc: object) -> None:
        try:
            if exc[0] is None:
                for f in [*self.futures, *self.parts]:
                    f.result()
        finally:
            if self.workers:
                self.pool.shutdown(cancel_futures=True)
            for path in self.case_files:
                path.unlink(missing_ok=True)

    def resources(self) -> list[Resource]:
        return [Resource(path=self.spec.out / DATA / f"{CLAIM_SCHEMA.name}.{m.EXTENSION}", schema=CLAIM_SCHEMA,
                         format=fmt, mediatype=m.MEDIATYPE) for fmt, m in FORMATS.items()]


def _done(value: Any) -> Future[Any]:
    f: Future[Any] = Future()
    f.set_result(value)
    return f


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
