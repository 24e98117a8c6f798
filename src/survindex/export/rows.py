"""What the report publishes: the index per country and every claim, with their schemas."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from survindex.export.schema import Field, Schema
from survindex.model import CLAIM_FIELDS, TECHNOLOGY_KEYS, Claim, Document, vocabulary

_TECH_FIELDS = tuple(Field(f"tech_{k}", "boolean", f"Deployment of {v.label.lower()} documented")
                     for k, v in vocabulary().technologies.items())

COUNTRY_SCHEMA = Schema(
    name="countries", title="The index per country",
    description="One row per country with at least one counted claim; computed from the claims.",
    geo_field="iso3",
    fields=(
        Field("iso3", "string", "ISO 3166-1 alpha-3 code"),
        Field("name", "string", "Country name"),
        Field("technologies", "integer", "Number of technology keys with a deployment"),
        *_TECH_FIELDS,
        Field("aigs_categories", "array", "Carnegie AIGS categories with a deployment"),
        Field("suppliers", "array", "Suppliers named in deployment claims"),
        Field("supplier_countries", "array", "ISO3 codes of the suppliers' headquarters"),
        Field("bri", "boolean", "Belt and Road Initiative member as of the index date"),
        Field("regime", "string", "V-Dem Regimes of the World type"),
        Field("financiers", "array", "Lenders of surveillance projects"),
        Field("financing_projects", "integer", "Surveillance projects financed"),
        Field("financing_amount_usd", "number", "Sum of stated project amounts, US dollars"),
        Field("first_year", "integer", "Earliest year of a deployment claim"),
        Field("claims", "integer", "Number of claims behind the row"),
        Field("claim_ids", "array", "Ids of the claims behind the row"),
    ),
)

_CLAIM_TYPES = {"amount": "number", "amount_usd": "number", "confidence": "number", "year": "integer",
                "count": "integer", "total": "integer", "start": "integer", "end": "integer",
                "supplier_resolved": "boolean", "negated": "boolean", "original": "object", "evidence": "array",
                "citations": "array"}

CLAIM_SCHEMA = Schema(
    name="claims", title="All claims",
    description="Every claim counted by the index (or all non-rejected claims with --status all), "
                "with its quote and source document.",
    geo_field="country",
    fields=(
        Field("id", "string", "Content-derived claim id"),
        *(Field(f, _CLAIM_TYPES.get(f, "string")) for f in CLAIM_FIELDS if f != "id"),
        Field("aigs_category", "string", "Carnegie AIGS category of the technology"),
        Field("doc_title", "string", "Title of the source document"),
        Field("doc_url", "string", "URL of the source document"),
    ),
)


def country_rows(index: Mapping[str, Any],
                 financing: Mapping[str, tuple[int, float | None]] | None = None) -> list[dict[str, Any]]:
    """One row per country of ``index['countries_detail']``; ``financing``: iso3 -> (projects, USD amount)."""
    rows = []
    for iso, d in index["countries_detail"].items():
        techs = set(d["technologies"])
        projects, amount = (financing or {}).get(iso, (0, None))
        rows.append({
            "iso3": iso, "name": d["name"], "technologies": len(techs),
            **{f"tech_{k}": k in techs for k in TECHNOLOGY_KEYS},
            "aigs_categories": d["aigs_categories"], "suppliers": d["suppliers"],
            "supplier_countries": d["supplier_countries"], "bri": d["bri"], "regime": d["regime"],
            "financiers": d["financiers"], "financing_projects": projects,
            "financing_amount_usd": amount, "first_year": d["first_year"],
            "claims": len(d["claims"]), "claim_ids": d["claims"],
        })
    return rows


def financing_by_country(claims: Iterable[Claim]) -> dict[str, tuple[int, float | None]]:
    """iso3 -> (surveillance projects, USD amount): a project is a (financier, document, country); its amount
    the largest stated in its claims (as in the index's ``financing``)."""
    best: dict[tuple[str, str, str], float | None] = {}
    for c in claims:
        if c.kind == "financing" and c.technology and c.country and not c.negated and c.status != "rejected":
            key = (c.financier or "unknown", c.doc_id, c.country)
            old = best.get(key)
            best[key] = c.amount_usd if old is None else max(old, c.amount_usd or 0.0)
    out: dict[str, tuple[int, float | None]] = {}
    for (_, _, iso), amount in best.items():
        n, total = out.get(iso, (0, None))
        out[iso] = (n + 1, total if amount is None else (total or 0.0) + amount)
    return out


def financing_by_country_rows(rows: Iterable[tuple[str | None, str, str, int, float | None]]
                              ) -> dict[str, tuple[int, float | None]]:
    """``financing_by_country`` from the index's grouped financing rows (financier, document, country, year,
    largest amount): the same projects and amounts."""
    best: dict[tuple[str, str, str], float | None] = {}
    for financier, doc_id, iso, _year, amount in rows:
        key = (financier or "unknown", doc_id, iso)
        old = best.get(key)
        best[key] = amount if old is None else max(old, amount or 0.0)
    out: dict[str, tuple[int, float | None]] = {}
    for (_, _, iso), amount in sorted(best.items()):
        n, total = out.get(iso, (0, None))
        out[iso] = (n + 1, total if amount is None else (total or 0.0) + amount)
    return out


def claim_rows(claims: Iterable[Claim], document: Callable[[str], Document | None]) -> list[dict[str, Any]]:
    """Every field of each claim plus its document's title and URL."""
    rows = []
    for c in claims:
        doc = document(c.doc_id)
        rows.append({**c.to_dict(), "doc_title": doc.title if doc else None, "doc_url": doc.url if doc else None})
    return rows
