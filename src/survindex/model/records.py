"""Typed records every stage passes on: documents and claims, with content-derived ids."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from survindex.model.vocabulary import CLAIM_KINDS, STAGES, STATUSES, TECHNOLOGY_KEYS, vocabulary


def sha256_hex(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def document_id(text: str) -> str:
    """Content address of a document's text: ``doc-<sha256>``."""
    return "doc-" + sha256_hex(text)


class InvalidClaim(ValueError):
    """A claim whose structure breaks the vocabulary (unknown kind, technology, stage, status)."""


@dataclass(frozen=True)
class Document:
    id: str
    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None  # ISO date (YYYY, YYYY-MM or YYYY-MM-DD)
    source: str | None = None  # file path, dataset name or URL it was read from
    publisher: str | None = None
    language: str | None = None
    mime: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    duplicate_of: str | None = None

    @classmethod
    def from_text(cls, text: str, **kw: Any) -> "Document":
        return cls(id=document_id(text), text=text, **kw)


# Fields that make up a claim's identity: the same fact from the same place of the same document.
_ID_FIELDS = (
    "doc_id", "kind", "country", "supplier", "technology", "financier", "flow_type", "amount", "currency",
    "year", "count", "total", "subject", "start", "end", "location", "extractor",
)


_ID_ENCODER = json.JSONEncoder(ensure_ascii=False, default=str)


@dataclass(frozen=True)
class Claim:
    """One cited fact. The unit of truth: every figure of the index is computed from claims."""

    doc_id: str
    kind: str
    quote: str
    extractor: str
    extractor_version: str
    country: str | None = None  # ISO3 of the country whose authorities use/receive it
    supplier: str | None = None  # registry canonical name, or the raw name when unresolved
    supplier_country: str | None = None  # ISO3 of the supplier's headquarters
    supplier_resolved: bool = True
    technology: str | None = None
    financier: str | None = None
    flow_type: str | None = None  # loan | grant
    amount: float | None = None
    currency: str | None = None
    amount_usd: float | None = None
    year: int | None = None
    stage: str = "unknown"
    count: int | None = None  # supplier_reach: the published number of countries
    total: int | None = None  # supplier_reach: "36 out of 86" -> 86
    qualifier: str | None = None  # supplier_reach: "at least", "more than", "exactly", ...
    subject: str | None = None  # supplier_reach / membership: what the figure is about
    start: int | None = None  # character span of the quote in the document text
    end: int | None = None
    location: str | None = None  # for tables: "sheet=..;row=..;column=.."
    original: dict[str, Any] = field(default_factory=dict)  # raw values that normalisation changed
    confidence: float = 1.0
    status: str = "unreviewed"
    negated: bool = False
    # Other spans of the same document that state the same fact: ({"quote", "start", "end"}, ...). Not part of
    # the id: a re-run that finds one more supporting sentence updates the claim, it does not make a new one.
    evidence: tuple[dict[str, Any], ...] = ()
    # The deploying body, city or project as the source names it ("Uganda Police Force", "Safe City Islamabad").
    deployer: str | None = None
    # Sources the claim's own source cites for it (a dataset row's source URLs): ({"url", "archive_url"?,
    # "title"?, "publisher"?, "published"?}, ...). Not part of the id.
    citations: tuple[dict[str, Any], ...] = ()
    # The content-derived id, computed once when the claim is made (from the values it was first stated with) and
    # kept for life: a reviewer's correction changes values, never the id.
    id: str = ""

    def __post_init__(self) -> None:
        # Canonical number types, so the content id is the same before and after a trip through a database.
        for name in ("amount", "amount_usd", "confidence"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, float):
                object.__setattr__(self, name, float(value))
        for name in ("year", "count", "total", "start", "end"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, int):
                object.__setattr__(self, name, int(value))
        if self.kind not in CLAIM_KINDS:
            raise InvalidClaim(f"unknown claim kind {self.kind!r}; expected one of {', '.join(CLAIM_KINDS)}")
        if self.technology is not None and self.technology not in TECHNOLOGY_KEYS:
            raise InvalidClaim(f"unknown technology {self.technology!r}")
        if self.stage not in STAGES:
            raise InvalidClaim(f"unknown stage {self.stage!r}")
        if self.status not in STATUSES:
            raise InvalidClaim(f"unknown status {self.status!r}")
        if self.flow_type is not None and self.flow_type not in vocabulary().flow_types:
            raise InvalidClaim(f"unknown flow type {self.flow_type!r}")
        for name in ("evidence", "citations"):
            if not isinstance(getattr(self, name), tuple):
                object.__setattr__(self, name, tuple(getattr(self, name) or ()))
        if not self.id:
            object.__setattr__(self, "id", self.content_id())

    @property
    def aigs_category(self) -> str | None:
        return vocabulary().aigs_for(self.technology)

    def content_id(self) -> str:
        """``cl-`` and a hash of the fields that make up the claim's identity (``_ID_FIELDS``)."""
        key = _ID_ENCODER.encode([getattr(self, f) for f in _ID_FIELDS])
        return "cl-" + sha256_hex(key)[:32]

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["evidence"] = list(self.evidence)
        d["citations"] = list(self.citations)
        d["aigs_category"] = self.aigs_category
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Claim":
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})

    def with_(self, **changes: Any) -> "Claim":
        """A new claim with changed values (and so, unless ``id`` is given, a new content id)."""
        return replace(self, **{"id": "", **changes})


CLAIM_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Claim))
