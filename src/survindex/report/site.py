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
from typing import Any, Protocol, TypeVar

from jinja2 import Environment, PackageLoader, select_autoescape

from survindex.index import compute, load
from survindex.model import Claim, Document, vocabulary
from survindex.report import pages
from survindex.report.map import base_svg

STATIC = Path(__file__).parent / "static"
FAVICON = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="#c8513d"/>'
           '<circle cx="8" cy="8" r="3" fill="#ffffff"/></svg>\n')
T = TypeVar("T")


class StoreLike(Protocol):
    def claims(self, f: Any = None, limit: int | None = None, offset: int = 0,
               order_by: str = "id") -> Iterable[Claim]: ...
    def get_document(self, doc_id: str) -> Document: ...


def slug(text: str) -> str:
    """A file-name-safe slug (lowercase ASCII letters, digits and dashes)."""
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s or "x"


@dataclass
class Site:
    """Everything the pages are rendered from."""

    out: Path
    index: dict[str, Any]
    claims: dict[str, Claim]
    docs: dict[str, Document | None]
    status: str
    min_confidence: float | None
    created: str  # ISO 8601 build time (UTC)
    env: Environment = field(init=False)
    supplier_slugs: dict[str, str] = field(default_factory=dict)
    cases: dict[str, Any] = field(default_factory=dict)  # case id -> survindex.cases.Case (published claims only)

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
        """Render ``template`` to ``out/rel``; links in it are relative to ``root``."""
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        root = "../" * rel.count("/")
        path.write_text(self.env.get_template(template).render(root=root, **ctx), encoding="utf-8")
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
        return self.docs.get(doc_id)

    def cases_where(self, **match: Any) -> list[Any]:
        from survindex.report.cases import cases_where

        return cases_where(self, **match)


def _ref_name(iso3: str) -> str:
    from survindex.index._ref import default_reference

    return default_reference().name(iso3)


def _documents(store: StoreLike, doc_ids: Iterable[str]) -> dict[str, Document | None]:
    out: dict[str, Document | None] = {}
    for doc_id in sorted(set(doc_ids)):
        try:
            out[doc_id] = store.get_document(doc_id)
        except LookupError:
            out[doc_id] = None
    return out


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


def build_site(store: StoreLike, out: Path, *, status: str = "accepted", min_confidence: float | None = None,
               as_of: date | None = None, progress: bool = True,
               log: Callable[[str], None] = lambda _m: None) -> Path:
    """Build the report into ``out``; returns the path of ``index.html``."""
    claims = load(store, status=status, min_confidence=min_confidence, as_of=as_of)
    log(f"{len(claims)} claims selected (status={status}, min_confidence={min_confidence}, as_of={as_of})")
    index = compute(claims, as_of=as_of)
    site = Site(out=out, index=index, claims={c.id: c for c in claims},
                docs=_documents(store, (c.doc_id for c in claims)), status=status, min_confidence=min_confidence,
                created=datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z"))
    out.mkdir(parents=True, exist_ok=True)
    copy_static(out)
    jobs: list[Callable[[], object]] = [partial(pages.downloads, site, claims), *pages.jobs(site)]
    if hasattr(store, "engine"):  # a real store: cases with their own pages
        from survindex.report import cases

        site.cases = cases.published_cases(site, store)  # type: ignore[arg-type]
        jobs += cases.jobs(site)
    for job in _progress(jobs, f"building report ({len(jobs)} steps)", progress):
        job()
    return out / "index.html"


def http_url(url: object) -> str | None:
    """The URL when it is an http(s) link, else None: untrusted ``javascript:`` or ``data:`` URLs never become links."""
    if not isinstance(url, str):
        return None
    u = url.strip()
    return u if u.lower().startswith(("http://", "https://")) else None
