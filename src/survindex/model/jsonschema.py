"""JSON Schema of a claim and a Markdown vocabulary reference, both generated from the vocabulary data."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from survindex.model.vocabulary import vocabulary

_NULLABLE_STR = {"type": ["string", "null"]}
_NULLABLE_INT = {"type": ["integer", "null"]}
_NULLABLE_NUM = {"type": ["number", "null"]}


def _enum_or_null(values: Iterable[str]) -> dict[str, Any]:
    return {"enum": [*values, None]}


def claim_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of one claim line as written by ``survindex extract``."""
    v = vocabulary()
    props: dict[str, Any] = {
        "id": {"type": "string", "pattern": "^cl-[0-9a-f]{32}$"},
        "doc_id": {"type": "string", "pattern": "^doc-"},
        "kind": {"enum": list(v.claim_kinds)},
        "country": {"type": ["string", "null"], "pattern": "^[A-Z]{3}$", "description": "ISO 3166-1 alpha-3"},
        "supplier": _NULLABLE_STR, "supplier_country": {"type": ["string", "null"], "pattern": "^[A-Z]{3}$"},
        "supplier_resolved": {"type": "boolean"},
        "technology": _enum_or_null(v.technologies), "aigs_category": _enum_or_null(v.aigs_categories),
        "financier": _NULLABLE_STR, "flow_type": _enum_or_null(v.flow_types),
        "amount": _NULLABLE_NUM, "currency": _NULLABLE_STR, "amount_usd": _NULLABLE_NUM, "year": _NULLABLE_INT,
        "stage": {"enum": list(v.stages)}, "count": _NULLABLE_INT, "total": _NULLABLE_INT,
        "qualifier": _NULLABLE_STR, "subject": _NULLABLE_STR,
        "quote": {"type": "string"}, "start": _NULLABLE_INT, "end": _NULLABLE_INT, "location": _NULLABLE_STR,
        "original": {"type": "object"}, "confidence": {"type": "number", "minimum": 0, "maximum": 1},
        "status": {"enum": list(v.review_statuses)}, "negated": {"type": "boolean"},
        "extractor": {"type": "string"}, "extractor_version": {"type": "string"},
        "deployer": {**_NULLABLE_STR, "description": "the deploying body, city or project as the source names it"},
        "evidence": {"type": "array", "description": "other spans of the document stating the same fact",
                     "items": {"type": "object", "required": ["quote", "start", "end"],
                               "properties": {"quote": {"type": "string"}, "start": {"type": "integer"},
                                              "end": {"type": "integer"}}}},
        "citations": {"type": "array", "description": "sources the claim's own source cites for it",
                      "items": {"type": "object", "required": ["url"],
                                "properties": {"url": {"type": "string"}, "archive_url": _NULLABLE_STR,
                                               "title": _NULLABLE_STR, "publisher": _NULLABLE_STR,
                                               "published": _NULLABLE_STR}}},
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "survindex claim",
        "type": "object",
        "required": ["doc_id", "kind", "quote", "extractor", "extractor_version"],
        "properties": props,
    }


def vocabulary_markdown() -> str:
    v = vocabulary()
    out = ["# survindex vocabulary", "", "Generated from `src/survindex/model/vocabulary.yaml` by "
           "`survindex vocabulary --markdown`.", "", "## Technologies", "",
           "| key | label | AIGS category | spyware-inventory category | synonyms |", "|---|---|---|---|---|"]
    for t in v.technologies.values():
        out.append(f"| `{t.key}` | {t.label} | {t.aigs or ''} | {t.targeted or ''} | {', '.join(t.synonyms)} |")
    out += ["", "## AIGS categories (Carnegie AI Global Surveillance Index)", ""]
    out += [f"- `{k}`: {d}" for k, d in v.aigs_categories.items()]
    out += ["", "## Targeted-surveillance categories (Carnegie spyware & digital forensics inventory)", ""]
    out += [f"- `{k}`: {d}" for k, d in v.targeted_categories.items()]
    out += ["", "## Claim kinds", ""] + [f"- `{k}`: {d}" for k, d in v.claim_kinds.items()]
    out += ["", "## Deployment stages", ""] + [f"- `{k}`: {d}" for k, d in v.stages.items()]
    out += ["", "## Review statuses", "", ", ".join(f"`{s}`" for s in v.review_statuses)]
    out += ["", "## Regime types (V-Dem Regimes of the World)", ""] + [f"- `{k}`: {d}" for k, d in v.regime_types.items()]
    return "\n".join(out) + "\n"
