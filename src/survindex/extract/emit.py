"""The one place provenance is stamped: document, exact quote, character span, extractor name and version."""

from __future__ import annotations

import json
from dataclasses import MISSING, fields
from typing import Any

from survindex.model import Claim
from survindex.model.records import _ID_FIELDS, InvalidClaim, sha256_hex
from survindex.model.vocabulary import CLAIM_KINDS, STAGES, STATUSES, TECHNOLOGY_KEYS, vocabulary

EXTRACTOR = "survindex.extract"
EXTRACTOR_VERSION = "0.6.0"


class SpanError(ValueError):
    """A rule produced a span that does not quote the document exactly."""


def emit(doc_id: str, text: str, start: int, end: int, draft: dict[str, Any]) -> Claim:
    """A claim from a rule's draft; ``text[start:end]`` is its quote, so a span can never drift."""
    if not 0 <= start < end <= len(text):
        raise SpanError(f"span {start}:{end} outside document of {len(text)} characters")
    fields = {k: v for k, v in draft.items() if v is not None or k in ("country", "supplier")}
    fields.pop("quote", None)
    return Claim(doc_id=doc_id, quote=text[start:end], start=start, end=end, extractor=EXTRACTOR,
                 extractor_version=EXTRACTOR_VERSION, **fields)


# -- the same claim as a plain dict, without building a Claim (the JSONL hot path) ------------------------------
_FIELDS = tuple(f.name for f in fields(Claim))
_DEFAULTS: dict[str, Any] = {f.name: None if f.default is MISSING else f.default for f in fields(Claim)}
_STAMPED = frozenset({"doc_id", "start", "end", "extractor", "extractor_version", "id"})
_DRAFT_KEYS = frozenset(_DEFAULTS) - _STAMPED
_NUMBERS = {**{k: float for k in ("amount", "amount_usd", "confidence")},
            **{k: int for k in ("year", "count", "total", "start", "end")}}
_ID_ENCODE = json.JSONEncoder(ensure_ascii=False, default=str).encode  # what json.dumps(..., default=str) runs


def emit_record(doc_id: str, text: str, start: int, end: int, draft: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """``(claim id, claim dict)`` equal to ``claim_dict(emit(...))``: the same checks, types and content id."""
    if not 0 <= start < end <= len(text):
        raise SpanError(f"span {start}:{end} outside document of {len(text)} characters")
    if not draft.keys() <= _DRAFT_KEYS:
        raise TypeError(f"a draft cannot set {sorted(draft.keys() - _DRAFT_KEYS)!r}")
    d = _DEFAULTS.copy()
    d["original"] = {}
    d["doc_id"], d["start"], d["end"] = doc_id, int(start), int(end)
    d["extractor"], d["extractor_version"] = EXTRACTOR, EXTRACTOR_VERSION
    for k, v in draft.items():
        if v is None:
            continue  # a draft's None keeps the field's default, as Claim(**fields) without it would
        if k in _NUMBERS and not isinstance(v, _NUMBERS[k]):
            v = _NUMBERS[k](v)
        d[k] = v
    d["quote"] = text[start:end]
    _check(d)
    d["original"] = dict(d["original"])
    d["evidence"] = list(d["evidence"])
    d["citations"] = list(d["citations"])
    claim_id = "cl-" + sha256_hex(_ID_ENCODE([d[f] for f in _ID_FIELDS]))[:32]
    d["id"] = claim_id
    d["aigs_category"] = vocabulary().aigs_for(d["technology"])
    return claim_id, d


def _check(d: dict[str, Any]) -> None:
    """The vocabulary checks of ``Claim.__post_init__``."""
    if d["kind"] not in CLAIM_KINDS:
        raise InvalidClaim(f"unknown claim kind {d['kind']!r}")
    if d["technology"] is not None and d["technology"] not in TECHNOLOGY_KEYS:
        raise InvalidClaim(f"unknown technology {d['technology']!r}")
    if d["stage"] not in STAGES or d["status"] not in STATUSES:
        raise InvalidClaim(f"unknown stage {d['stage']!r} or status {d['status']!r}")
    if d["flow_type"] is not None and d["flow_type"] not in vocabulary().flow_types:
        raise InvalidClaim(f"unknown flow type {d['flow_type']!r}")
