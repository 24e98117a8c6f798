"""The static report: index page with the world map, charts and headlines; a page per country, supplier and
technology; sources; downloads. Works offline: every asset is local, no inline script (strict CSP)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

from jinja2 import Environment, PackageLoader, select_autoescape

from survindex.export.datapackage import Resource
from survindex.index import compute_aggregates
from survindex.model import Document, vocabulary
from survindex.report import cases, downloads, pages
from survindex.report.map import base_svg
from survindex.store import Store
from survindex.store.aggregates import index_aggregates
from survindex.store.published import Selection

STATIC = Path(__file__).parent / "static"
FAVICON = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="#c8513d"/>'
           '<circle cx="8" cy="8" r="3" fill="#ffffff"/></svg>\n')
T = TypeVar("T")


def slug(text: str) -> str:
    """A file-name-safe slug (lowercase ASCII letters, digits and dashes)."""
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s or "x"


@dataclass
class Site:
    """Everything the pages are rendered from: the index (figures from SQL GROUP BY rows, the claim ids behind
    each country) and the selection of counted claims, read in streams as each page is written."""

    out: Path
    index: dict[str, Any]
    selection: Selection
    claim_count: int
    status: str
    min_confidence: float | None
    created: str  # ISO 8601 build time (UTC)
    env: Environment = field(init=False)
    supplier_slugs: dict[str, str] = field(default_factory=dict)
    _docs: dict[str, Document | None] = field(default_factory=dict)
    resources: list[Resource] = field(default_factory=list)  # the downloads written so far
    cases: dict[str, Any] = field(default_factory=dict)  # case id -> report.cases.Listing (published claims only)
    _lists: dict[str, dict[Any, list[Any]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.env = Environment(loader=PackageLoader("survindex.report", "templates"),
                               autoescape=select_autoescape(default=True, default_for_string=True),
                               trim_blocks=True, lstrip_blocks=True)
        self.env.globals.update(vocab=vocabulary(), site=self)
        self.env.filters["http_url"] = http_url
        self.env.globals["cases_where"] = self.cases_where
        taken: set[str] = set()
        vendors = (self.index.get("targeted") or {}).get("by_vendor") or {}
        for name in sorted(set(self.index["by_supplier"]) | set(vendors)):
            s = slug(name)
            while s in taken:
                s += "-x"
            taken.add(s)
            self.supplier_slugs[name] = s

    @property
    def built(self) -> str:
        return self.created.replace("T", " ").replace("Z", " UTC")

    def render(self, rel: str, template: str, **ctx: Any) -> Path:
        """Render ``template`` to ``out/rel`` as a stream (a page of 50,000 claims is never one string); links
        in it are relative to ``root``."""
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        root = "../" * rel.count("/")
        with open(path, "w", encoding="utf-8") as f:
            f.writelines(self.env.get_template(template).generate(root=root, **ctx))
        return path

    def country_href(self, iso3: str, root: str = "") -> str:
        return f"{root}countries/{iso3}.html"

    def supplier_href(self, name: str, root: str = "") -> str | None:
        s = self.supplier_slugs.get(name)
        return f"{root}suppliers/{s}.html" if s else None

    def country_name(self, iso3: str) -> str:
        d = self.index["countries_detail"].get(iso3)
        return str(d["name"]) if d else _ref_name(iso3)

    def doc(self, doc_id: str) -> Document | None:
        """A document, read when a page first needs it (the few the home page's published figures quote)."""
        if doc_id not in self._docs:
            self._docs[doc_id] = self.selection.document(doc_id)
        return self._docs[doc_id]

    def cases_where(self, **match: Any) -> list[Any]:
        from survindex.report.cases import cases_where

        return cases_where(self, **match)

    def case_lists(self, field: str) -> dict[Any, list[Any]]:
        """The cases by ``field`` (``report.cases.lists``), computed once per set of cases."""
        from survindex.report.cases import lists

        if field not in self._lists:
            self._lists[field] = lists(self.cases.values(), field)
        return self._lists[field]

    def set_cases(self, cases: Iterable[Any]) -> None:
        """The cases the pages list from now on (``report.cases.Listing``)."""
        self.cases = {c.id: c for c in cases}
        self._lists = {}


def _ref_name(iso3: str) -> str:
    from survindex.index._ref import default_reference

    return default_reference().name(iso3)


def _progress(items: list[T], label: str, show: bool) -> Iterator[T]:
    if not show:
        yield from items
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=False) as progress:
        task = progress.add_task(label, total=len(items))
        for item in items:
            yield item
            progress.advance(task)


def copy_static(out: Path) -> None:
    dest = out / "static"
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("style.css", "site.js"):
        shutil.copyfile(STATIC / name, dest / name)
    (dest / "favicon.svg").write_text(FAVICON, encoding="utf-8")
    (dest / "world.svg").write_text(base_svg(), encoding="utf-8")


def build_site(store: Store, out: Path, *, status: str = "accepted", min_confidence: float | None = None,
               as_of: date | None = None, progress: bool = True,
               log: Callable[[str], None] = lambda _m: None, workers: int | None = None) -> Path:
    """Build the report into ``out``; returns the path of ``index.html``. The claims downloads (started before
    the index is computed) and the country pages are written by ``workers`` processes (default: 2 when there are
    more than 20,000 claims), each reading the database in batches, while this one renders the other pages and
    writes the cases download as the countries' cases come in."""
    sel = Selection(store, status, min_confidence, as_of)
    n = sel.count()
    log(f"{n} claims selected (status={status}, min_confidence={min_confidence}, as_of={as_of})")
    created = datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    workers = (2 if n > 20_000 else 0) if workers is None else workers
    spec = downloads.Spec(store.url, status, min_confidence, as_of, out, created, n)
    with downloads.Work(spec, workers) as work:  # the claims downloads start now
        agg = index_aggregates(store, status, min_confidence, as_of)
        index = with_claim_ids(compute_aggregates(agg, as_of=as_of), sel.country_claim_ids())
        site = Site(out=out, index=index, selection=sel, claim_count=n, status=status, min_confidence=min_confidence,
                    created=created)
        copy_static(out)
        downloads.country_downloads(site, agg)
        work.countries(site)  # country pages with their cases
        jobs = pages.jobs(site, countries=False, profiles=False)
        for job in _progress(jobs, f"building report ({len(jobs)} pages here, the rest in workers)", progress):
            job()
        site.resources += work.case_downloads(site)
    for job in pages.profile_jobs(site):  # supplier and technology pages list their cases
        job()
    cases.finish(site)
    downloads.data_package(site, work.resources())
    return out / "index.html"


def with_claim_ids(index: dict[str, Any], ids: dict[str, list[str]]) -> dict[str, Any]:
    """The index with the claim ids behind each country profile; its ``evidence`` lists the countries behind each
    figure (the claims are in the claims download and on each country's page)."""
    for iso, d in index["countries_detail"].items():
        d["claims"] = ids.get(iso, [])
    index["evidence"] = {k: sorted(v) if k == "countries" else {key: sorted(cs) for key, cs in v.items()}
                         for k, v in index["evidence"].items()}
    return index


def http_url(url: object) -> str | None:
    """The URL when it is an http(s) link, else None: untrusted ``javascript:`` or ``data:`` URLs never become links."""
    if not isinstance(url, str):
        return None
    u = url.strip()
    return u if u.lower().startswith(("http://", "https://")) else None
