"""What grouping reads (a claim with the facts of its document) and what it makes (a case)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from survindex.model import sha256_hex

Key = tuple[str, ...]  # a case's key: (technology group, supplier, deployer or project), or a reviewer's split


@dataclass(frozen=True, slots=True)
class Member:
    """One claim as grouping sees it: its values, review status, report date and independent-source keys."""

    claim_id: str
    kind: str  # deployment | financing
    country: str | None
    technology: str | None
    supplier: str | None = None
    supplier_country: str | None = None
    deployer: str | None = None
    financier: str | None = None
    flow_type: str | None = None
    amount: float | None = None
    currency: str | None = None
    amount_usd: float | None = None
    year: int | None = None
    stage: str = "unknown"
    status: str = "unreviewed"
    confidence: float = 1.0
    quote: str = ""
    date: str | None = None  # when its source reported it (ISO date or year), else the claim's year
    source: str = ""  # its independent source: the publisher of the canonical copy of its document
    cited: tuple[str, ...] = ()  # further independent sources its source cites (web domains)


@dataclass(frozen=True)
class Case:
    id: str
    country: str | None
    group: str
    technology: str | None
    technologies: tuple[str, ...]
    supplier: str | None
    supplier_country: str | None
    deployer: str | None
    stage: str
    stages: tuple[dict[str, Any], ...]  # ({stage, date, claim}, ...) first report of each stage, in order
    first_reported: str | None
    last_reported: str | None
    sources: tuple[str, ...]  # independent source keys
    claims: tuple[str, ...]
    financing: tuple[dict[str, Any], ...]
    confidence: float
    status: str  # accepted (a reviewer accepted a claim of it) | rejected (all rejected) | unreviewed
    unreviewed: int  # claims nobody has reviewed yet
    quote_claim: str | None
    quote: str
    key: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "country": self.country, "technology": self.technology,
                "technologies": list(self.technologies), "supplier": self.supplier,
                "supplier_country": self.supplier_country, "deployer": self.deployer, "stage": self.stage,
                "stages": list(self.stages), "first_reported": self.first_reported,
                "last_reported": self.last_reported, "sources": len(self.sources), "source_keys": list(self.sources),
                "claims": list(self.claims), "financing": list(self.financing), "confidence": self.confidence,
                "status": self.status, "unreviewed": self.unreviewed, "quote_claim": self.quote_claim,
                "quote": self.quote}


def case_id(country: str | None, key: tuple[str, ...]) -> str:
    """``case-`` and a hash of the case's key: its country, technology group, supplier and deployer/project."""
    return "case-" + sha256_hex("|".join((country or "", *key)))[:24]
