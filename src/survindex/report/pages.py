"""The report's pages and downloads, each rendered from the computed index and the claims behind it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from survindex.export import CLAIM_SCHEMA, COUNTRY_SCHEMA, FORMATS, country_rows, write_all
from survindex.export import datapackage
from survindex.export.datapackage import Resource
from survindex.export.rows import financing_by_country_rows
from survindex.index import Aggregates
from survindex.model import AIGS_CATEGORIES, vocabulary
from survindex.report import charts
from survindex.report.map import locator_svg, overlay_svg, world_svg

if TYPE_CHECKING:
    from survindex.report.site import Site

DATA = "data"


def _sources() -> dict[str, dict[str, Any]]:
    import survindex.reference as ref

    data: dict[str, dict[str, Any]] = ref.sources()
    return data


def country_downloads(site: Site, agg: Aggregates) -> None:
    """The index per country in every format, and index.json."""
    out = site.out / DATA
    site.resources += write_all(out, country_rows(site.index, financing_by_country_rows(agg.financing)),
                                COUNTRY_SCHEMA)
    with open(out / "index.json", "w", encoding="utf-8") as f:
        json.dump(site.index, f, indent=1, ensure_ascii=False)
        f.write("\n")


def write_claims(url: str, status: str, min_confidence: float | None, as_of: date | None, fmt: str,
                 out: Path) -> Path:
    """One format of the claims download, read from the database in batches (run in a worker process)."""
    from survindex.store import Store
    from survindex.store.published import Selection

    store = Store(url)
    try:
        module = FORMATS[fmt]
        rows = Selection(store, status, min_confidence, as_of).claim_rows()
        return Path(module.write(out / f"{CLAIM_SCHEMA.name}.{module.EXTENSION}", rows, CLAIM_SCHEMA))
    finally:
        store.close()


class ClaimDownloads:
    """The claims download in every format, each written by a worker process while the pages are rendered (or
    one after the other, in this process, with no workers)."""

    def __init__(self, site: Site, workers: int) -> None:
        self.site, self.workers = site, workers
        self.resources: list[Resource] = []

    def __enter__(self) -> "ClaimDownloads":
        (self.site.out / DATA).mkdir(parents=True, exist_ok=True)
        sel = self.site.selection
        args = (sel.store.url, sel.status, sel.min_confidence, sel.as_of)
        order = sorted(FORMATS, key=lambda f: f != "xlsx")  # the slowest first
        if self.workers:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))
            self.futures = {f: self.pool.submit(write_claims, *args, f, self.site.out / DATA) for f in order}
        else:
            self.futures = {}
            for f in order:
                write_claims(*args, f, self.site.out / DATA)
        return self

    def __exit__(self, *exc: object) -> None:
        for f in self.futures.values():
            f.result()
        if self.workers:
            self.pool.shutdown()
        for fmt in FORMATS:
            module = FORMATS[fmt]
            path = self.site.out / DATA / f"{CLAIM_SCHEMA.name}.{module.EXTENSION}"
            self.resources.append(Resource(path=path, schema=CLAIM_SCHEMA, format=fmt, mediatype=module.MEDIATYPE))


def data_package(site: Site, claim_resources: list[Resource]) -> None:
    """datapackage.json over every download, its sources the reference tables and the documents cited."""
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


def _tech_values(site: Site) -> dict[str, int]:
    return {iso: len(d["technologies"]) for iso, d in site.index["countries_detail"].items()
            if d["technologies"]}


def _title(site: Site, iso3: str) -> str:
    d = site.index["countries_detail"].get(iso3)
    if not d or not d["technologies"]:
        return site.country_name(iso3)
    labels = ", ".join(vocabulary().technologies[t].label for t in d["technologies"])
    return f"{d['name']}: {labels}"


def home(site: Site) -> None:
    idx = site.index
    vocab = vocabulary()
    supplier_items = [(name, n, site.supplier_href(name)) for name, n in list(idx["by_supplier"].items())[:25]]
    sc_items = [(site.country_name(iso), n, site.country_href(iso)) for iso, n in idx["by_supplier_country"].items()]
    site.render("index.html", "index.html", idx=idx,
                map_svg=world_svg(_tech_values(site), href=site.country_href, title=partial(_title, site)),
                supplier_chart=charts.hbars(supplier_items, "Countries reached per supplier"),
                supplier_country_chart=charts.hbars(sc_items, "Countries reached per supplier country"),
                year_chart=charts.by_year(idx["by_year"], "Adoption by year"),
                regime_chart=charts.regime_shares(idx["by_regime_type"], idx["regime_counts"], vocab.regime_types,
                                                  vocab.aigs_categories, "Shares by regime type"),
                category_chart=charts.hbars([(vocab.aigs_categories[c], idx["by_aigs_category"][c], None)
                                             for c in AIGS_CATEGORIES], "Countries per AIGS category"))


def _claim_views(site: Site, iso3: str) -> Iterator[dict[str, Any]]:
    for c, doc in site.selection.country_claims(iso3):
        yield {"c": c, "doc": doc, "supplier_href": site.supplier_href(c.supplier or "")}


def country(site: Site, iso3: str) -> None:
    d = site.index["countries_detail"][iso3]
    site.render(f"countries/{iso3}.html", "country.html", iso3=iso3, d=d, claims=_claim_views(site, iso3),
                claim_count=len(d["claims"]), map_svg=locator_svg(iso3, "../static/world.svg", label=d["name"]))


def _reach(site: Site, table: str, key: str) -> dict[str, list[str]]:
    """The countries behind a figure (``evidence`` lists them), as the pages' {iso3: claims} mapping."""
    return {iso: [] for iso in site.index["evidence"][table].get(key, ())}


def supplier(site: Site, name: str) -> None:
    reach = _reach(site, "by_supplier", name)
    site.render(f"suppliers/{site.supplier_slugs[name]}.html", "supplier.html", name=name, reach=reach,
                hq=_hq(site, name, reach),
                map_svg=overlay_svg({iso: 1 for iso in reach}, href=partial(site.country_href, root="../"),
                                    title=site.country_name, label=f"countries reached by {name}"))


def _hq(site: Site, name: str, reach: dict[str, list[str]]) -> str | None:
    from survindex.index._ref import default_reference

    return default_reference().hq_country(name) or (site.selection.supplier_country(name) if reach else None)


def technology(site: Site, key: str) -> None:
    reach = _reach(site, "by_technology", key)
    site.render(f"technologies/{key}.html", "technology.html", key=key, tech=vocabulary().technologies[key],
                reach=reach, map_svg=overlay_svg({iso: 1 for iso in reach}, href=partial(site.country_href, root="../"),
                                                 title=site.country_name, label=f"countries with {key}"))


def simple(site: Site, name: str, **ctx: Any) -> None:
    site.render(f"{name}.html", f"{name}.html", **ctx)


def jobs(site: Site) -> list[Callable[[], None]]:
    """One callable per page, so the builder can show progress."""
    out: list[Callable[[], None]] = [
        partial(home, site),
        partial(simple, site, "countries"),
        partial(simple, site, "suppliers"),
        partial(simple, site, "technologies"),
        partial(simple, site, "sources", reference=_sources(), documents=site.selection.documents(),
                documents_count=site.selection.document_count()),
        partial(simple, site, "downloads", formats=FORMATS),
    ]
    out += [partial(country, site, iso) for iso in site.index["countries_detail"]]
    out += [partial(supplier, site, name) for name in site.index["by_supplier"]]
    out += [partial(technology, site, key) for key, n in site.index["by_technology"].items() if n]
    return out
