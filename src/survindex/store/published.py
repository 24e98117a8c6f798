"""What the static report reads, in streams: the counted claims (``store.aggregates.counted``) with their source
documents joined, a country's claims in page order, the claim ids behind each country, the documents cited.
Nothing here holds more than a batch of claims at a time."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import Text, case, exists, func, or_, select, type_coerce

from survindex.model import CLAIM_FIELDS, Document
from survindex.store import schema as s
from survindex.store.aggregates import counted
from survindex.store.core import Store

_DOC_COLS = ("title", "url", "publisher", "published", "meta")
_KIND_ORDER = {"deployment": 0, "financing": 1, "membership": 2, "supplier_reach": 3}


_JSON_COLS = ("original", "evidence", "citations")


class ShownClaim(NamedTuple):
    """A claim as its country's page shows it (a tuple: its fields read 10x faster than a result row's)."""

    id: str
    doc_id: str
    kind: str
    status: str
    technology: str | None
    supplier: str | None
    supplier_resolved: bool | None
    financier: str | None
    amount_usd: float | None
    year: int | None
    stage: str
    confidence: float
    quote: str
    location: str | None
    extractor: str
    extractor_version: str
    citations: Any


class CaseClaim(NamedTuple):
    """A claim as a case's summary (``report.cases.member``) and its section read it."""

    id: str
    doc_id: str
    case_id: str
    kind: str
    country: str | None
    technology: str | None
    supplier: str | None
    supplier_country: str | None
    deployer: str | None
    financier: str | None
    flow_type: str | None
    amount: float | None
    currency: str | None
    amount_usd: float | None
    year: int | None
    stage: str
    status: str
    confidence: float
    quote: str


_SHOWN_FIELDS, _CASE_FIELDS = len(ShownClaim._fields), len(CaseClaim._fields)


def _json(value: Any, empty: type) -> Any:
    """A JSON column's value: parsed when it came as text (SQLite), as it came otherwise (PostgreSQL)."""
    if value is None or value in ("null", "{}", "[]"):
        return empty()
    return json.loads(value) if isinstance(value, str) else value


def _doc(row: Any) -> Document | None:
    m = row._mapping
    if m["doc_title"] is None and m["doc_url"] is None and m["doc_meta"] is None:
        return None
    return Document(id=m["doc_id"], text="", title=m["doc_title"], url=m["doc_url"], publisher=m["doc_publisher"],
                    published=m["doc_published"], meta=m["doc_meta"] or {})


@dataclass(frozen=True)
class Selection:
    """The claims a build counts: ``status``, ``min_confidence`` and ``as_of`` as for ``stats``."""

    store: Store
    status: str = "accepted"
    min_confidence: float | None = None
    as_of: date | None = None

    def where(self) -> list[Any]:
        return counted(self.status, self.min_confidence, self.as_of)

    def _joined(self) -> Any:
        d = s.documents.c
        return (select(s.claims, *(d[c].label(f"doc_{c}") for c in _DOC_COLS))
                .outerjoin(s.documents, d.id == s.claims.c.doc_id).where(*self.where()))

    def count(self) -> int:
        with self.store.engine.connect() as c:
            return int(c.execute(select(func.count()).select_from(s.claims).where(*self.where())).scalar_one())

    def claim_rows(self, batch: int = 5000) -> Iterator[dict[str, Any]]:
        """Every counted claim in id order as an export row (the claim's fields, its AIGS category, its
        document's title and URL), read by key ``batch`` at a time. JSON columns are read as text and parsed
        only when they hold something (most are empty)."""
        c, d = s.claims.c, s.documents.c
        cols = [type_coerce(c[f], Text).label(f) if f in _JSON_COLS else c[f] for f in (*CLAIM_FIELDS, "aigs_category")]
        q = (select(*cols, d.title.label("doc_title"), d.url.label("doc_url"))
             .outerjoin(s.documents, d.id == c.doc_id).where(*self.where()).order_by(c.id))
        names = [*CLAIM_FIELDS, "aigs_category", "doc_title", "doc_url"]
        json_at = [i for i, n in enumerate(names) if n in _JSON_COLS]
        last: str | None = None
        while True:
            with self.store.engine.connect() as conn:
                rows = conn.execute((q.where(c.id > last) if last else q).limit(batch)).all()
            for r in rows:
                values = list(r)
                for i in json_at:
                    values[i] = _json(values[i], list if names[i] != "original" else dict)
                yield dict(zip(names, values))
            if len(rows) < batch:
                return
            last = rows[-1].id

    def case_claims(self, country: str | None, batch: int = 2000
                    ) -> Iterator[tuple[str, str, CaseClaim, Document | None]]:
        """The counted claims of ``country`` (None: of no country) that belong to a case, by case then claim id:
        (case id, the case's technology group, claim, its document without text), read by key ``batch`` at a
        time. Each document is one object."""
        from survindex.store.keyset import after_key

        c, d = s.claims.c, s.documents.c
        cols = (*_DOC_COLS, "source", "duplicate_of")
        q = (select(*(c[f] for f in CaseClaim._fields), s.cases.c.grp.label("case_grp"),
                    *(d[col].label(f"doc_{col}") for col in cols))
             .outerjoin(s.documents, d.id == c.doc_id).outerjoin(s.cases, s.cases.c.id == c.case_id)
             .where(*self.where(), c.case_id.is_not(None),
                    c.country.is_(None) if country is None else c.country == country)
             .order_by(c.case_id, c.id).limit(batch))
        last: tuple[str, str] | None = None
        docs: dict[str, Document | None] = {}
        while True:
            with self.store.engine.connect() as conn:
                page = q if last is None else q.where(after_key([(c.case_id, False), (c.id, False)], last))
                rows = conn.execute(page).all()
            for r in rows:
                if r.doc_id not in docs:
                    doc = _doc(r)
                    docs[r.doc_id] = doc and Document(
                        id=doc.id, text="", title=doc.title, url=doc.url, publisher=doc.publisher,
                        published=doc.published, meta=doc.meta, source=r.doc_source, duplicate_of=r.doc_duplicate_of)
                yield r.case_id, r.case_grp or "", CaseClaim(*r[:_CASE_FIELDS]), docs[r.doc_id]
            if len(rows) < batch:
                return
            last = (rows[-1].case_id, rows[-1].id)

    def country_claims(self, iso3: str) -> Iterator[tuple[ShownClaim, Document | None]]:
        """The claims behind a country's profile (deployments; financing naming a technology), by kind,
        technology, year and id, each with its document (no text; one object per document)."""
        c, d = s.claims.c, s.documents.c
        kind = case(_KIND_ORDER, value=c.kind, else_=9)
        q = (select(*(c[f] for f in ShownClaim._fields), *(d[col].label(f"doc_{col}") for col in _DOC_COLS))
             .outerjoin(s.documents, d.id == c.doc_id).where(*self.where(), c.country == iso3, self._profile())
             .order_by(kind, func.coalesce(c.technology, ""), func.coalesce(c.year, 0), c.id))
        docs: dict[str, Document | None] = {}
        with self.store.engine.connect() as conn:
            for r in conn.execute(q.execution_options(yield_per=2000)):
                if r.doc_id not in docs:
                    docs[r.doc_id] = _doc(r)
                yield ShownClaim(*r[:_SHOWN_FIELDS]), docs[r.doc_id]

    def _profile(self) -> Any:
        c = s.claims.c
        return or_(c.kind == "deployment", (c.kind == "financing") & c.technology.is_not(None) & (c.technology != ""))

    def country_claim_ids(self) -> dict[str, list[str]]:
        """iso3 -> the ids of the claims behind the country's profile, sorted."""
        c = s.claims.c
        out: dict[str, list[str]] = {}
        q = (select(c.country, c.id).where(*self.where(), c.country.is_not(None), self._profile())
             .order_by(c.country, c.id))
        with self.store.engine.connect() as conn:
            for iso, claim_id in conn.execute(q.execution_options(yield_per=20000)):
                out.setdefault(iso, []).append(claim_id)
        return out

    def documents(self) -> Iterator[Document]:
        """The documents of the counted claims (without their text), by title and id."""
        d = s.documents.c
        q = (select(d.id, *(d[c] for c in _DOC_COLS)).where(self._cited())
             .order_by(func.coalesce(d.title, ""), d.id))
        with self.store.engine.connect() as conn:
            for r in conn.execute(q.execution_options(yield_per=2000)):
                yield Document(id=r.id, text="", title=r.title, url=r.url, publisher=r.publisher,
                               published=r.published, meta=r.meta or {})

    def document_count(self) -> int:
        with self.store.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(s.documents).where(self._cited())).scalar_one())

    def _cited(self) -> Any:
        """A document with a counted claim: asked of each document by its claims' doc_id index (listing the
        documents of every counted claim first read 430,000 claim rows at 1M: 2.6 s -> 0.5 s)."""
        c = s.claims.c
        return exists().where(c.doc_id == s.documents.c.id, *self.where())

    def document(self, doc_id: str) -> Document | None:
        try:
            return self.store.get_document(doc_id)
        except LookupError:
            return None

    def supplier_country(self, supplier: str) -> str | None:
        """The headquarters a counted deployment claim states for the supplier (first by country, then id)."""
        c = s.claims.c
        q = (select(c.supplier_country).where(*self.where(), c.kind == "deployment", c.supplier == supplier,
                                              c.country.is_not(None), c.supplier_country.is_not(None),
                                              c.supplier_country != "")
             .order_by(c.country, c.id).limit(1))
        with self.store.engine.connect() as conn:
            value = conn.execute(q).scalar()
        return str(value) if value else None
