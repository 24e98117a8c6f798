"""The embedded example evidence set: well-documented public cases, written by this project, for `make demo`.

`examples.yaml` (package data) holds short paragraphs that summarise public reporting and name their sources. This
module turns each case into one `Document` (text prefixed with `LABEL`, `meta["example"] = True`) and its accepted
claims, with quote spans computed from the text and every country, supplier and financier resolved through
`survindex.reference`. A name that does not resolve, or a quote that is not in its text, raises `DemoDataError`
naming the case, so the examples can never drift away from the registry.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from survindex.model import Claim, Document

if TYPE_CHECKING:  # the store is only needed by load_examples; keep the import light for readers of the data
    from survindex.store import Store

__all__ = [
    "EXTRACTOR", "EXTRACTOR_VERSION", "LABEL", "DemoDataError", "ExampleCase",
    "example_cases", "example_documents", "example_claims", "load_examples",
]

EXTRACTOR = "survindex.demo"
EXTRACTOR_VERSION = "1"
LABEL = "Example (survindex demo data). "
DATA_FILE = "examples.yaml"

_CASE_FIELDS = {"key", "country", "title", "sources", "text", "claims"}
_SOURCE_FIELDS = {"publisher", "title", "url", "published", "author"}
_CLAIM_FIELDS = {
    "kind", "quote", "country", "supplier", "supplier_country", "technology", "stage", "year", "financier",
    "flow_type", "amount", "currency", "amount_usd", "subject", "count", "total", "qualifier",
}
_COPIED = ("technology", "stage", "year", "flow_type", "amount", "currency", "amount_usd", "subject", "count",
           "total", "qualifier")


class DemoDataError(ValueError):
    """The example data breaks a rule: unknown field, quote not in its text, or a name the registry cannot resolve."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("example evidence set is inconsistent:\n  " + "\n  ".join(problems))


@dataclass(frozen=True)
class ExampleCase:
    """One worked example: its document and the claims it supports."""

    key: str
    document: Document
    claims: tuple[Claim, ...]


# ---------------------------------------------------------------------------------------------- resolution


@dataclass(frozen=True)
class _Resolvers:
    country: Callable[[str], Any]
    company: Callable[[str], Any]
    financier: Callable[[str], Any]


def _resolvers() -> _Resolvers:
    """The registry's resolvers; a missing one is reported as a data error, not an AttributeError."""
    from survindex import reference

    missing = [n for n in ("resolve_country", "resolve_company", "resolve_financier") if not hasattr(reference, n)]
    if missing:
        raise DemoDataError([f"survindex.reference has no {n}()" for n in missing])
    return _Resolvers(reference.resolve_country, reference.resolve_company, reference.resolve_financier)


class _Resolved:
    """Collects every problem of one pass so the error lists them all at once."""

    def __init__(self, resolvers: _Resolvers):
        self.r = resolvers
        self.problems: list[str] = []

    def country(self, where: str, name: str | None) -> str | None:
        if name is None:
            return None
        found = self.r.country(str(name))
        if found is None:
            self.problems.append(f"{where}: country {name!r} does not resolve")
            return None
        return str(found.iso3)

    def company(self, where: str, name: str) -> tuple[str, str | None] | None:
        found = self.r.company(str(name))
        if found is None:
            self.problems.append(f"{where}: supplier {name!r} does not resolve")
            return None
        hq = getattr(found, "hq_country", None)
        return str(found.canonical), (str(hq) if hq else None)

    def financier(self, where: str, name: str) -> str | None:
        found = self.r.financier(str(name))
        if found is None:
            self.problems.append(f"{where}: financier {name!r} does not resolve")
            return None
        return str(found.canonical)


# ---------------------------------------------------------------------------------------------- parsing


def raw_data() -> dict[str, Any]:
    """The parsed `examples.yaml`, as written."""
    text = resources.files(__name__).joinpath(DATA_FILE).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
        raise DemoDataError([f"{DATA_FILE}: expected a mapping with a 'cases' list"])
    return data


def _sources(where: str, entries: Any, catalogue: dict[str, Any], problems: list[str]) -> list[dict[str, Any]]:
    if not isinstance(entries, list) or not entries:
        problems.append(f"{where}: every case needs at least one source")
        return []
    out: list[dict[str, Any]] = []
    for entry in entries:
        src = catalogue.get(entry) if isinstance(entry, str) else entry
        if not isinstance(src, dict):
            problems.append(f"{where}: unknown source {entry!r}")
            continue
        unknown = set(src) - _SOURCE_FIELDS
        if unknown or not src.get("publisher") or not src.get("title"):
            problems.append(f"{where}: source {entry!r} needs publisher and title (unknown: {sorted(unknown)})")
            continue
        out.append({k: str(v) for k, v in src.items() if v is not None})
    return out


def _span(where: str, text: str, quote: str, problems: list[str]) -> tuple[int, int] | None:
    n = text.count(quote) if quote else 0
    if n != 1:
        problems.append(f"{where}: quote found {n} times in the text (must be exactly once): {quote[:60]!r}")
        return None
    start = text.index(quote)
    return start, start + len(quote)


def _document(key: str, raw: dict[str, Any], sources: list[dict[str, Any]]) -> Document:
    text = LABEL + " ".join(str(raw["text"]).split())
    first = sources[0] if sources else {}
    return Document.from_text(
        text,
        title=str(raw.get("title") or key),
        url=first.get("url"),
        published=first.get("published"),
        source=f"survindex.demo:{DATA_FILE}#{key}",
        publisher=first.get("publisher"),
        language="en",
        mime="text/plain",
        meta={"example": True, "case": key, "sources": sources,
              "note": "Summary written by the survindex project from the cited public sources; example data."},
    )


def _claim(where: str, doc: Document, default_country: str | None, raw: dict[str, Any],
           res: _Resolved) -> Claim | None:
    unknown = set(raw) - _CLAIM_FIELDS
    if unknown:
        res.problems.append(f"{where}: unknown claim fields {sorted(unknown)}")
        return None
    span = _span(where, doc.text, str(raw.get("quote") or ""), res.problems)
    values: dict[str, Any] = {k: raw[k] for k in _COPIED if raw.get(k) is not None}
    for k in ("amount", "amount_usd"):  # floats, as the store returns them, so ids survive a round trip
        if k in values:
            values[k] = float(values[k])
    original: dict[str, Any] = {}
    country_name = raw.get("country", default_country)
    values["country"] = res.country(where, country_name)
    if country_name is not None and values["country"] is not None and country_name != values["country"]:
        original["country"] = country_name
    if raw.get("supplier") is not None:
        company = res.company(where, raw["supplier"])
        if company is not None:
            values["supplier"], values["supplier_country"] = company
            if raw["supplier"] != company[0]:
                original["supplier"] = raw["supplier"]
    if raw.get("supplier_country") is not None:
        values["supplier_country"] = res.country(where, raw["supplier_country"])
    if raw.get("financier") is not None:
        values["financier"] = res.financier(where, raw["financier"])
        if values["financier"] is not None and raw["financier"] != values["financier"]:
            original["financier"] = raw["financier"]
    if span is None or res.problems:
        return None
    try:
        return Claim(doc_id=doc.id, kind=str(raw["kind"]), quote=str(raw["quote"]), extractor=EXTRACTOR,
                     extractor_version=EXTRACTOR_VERSION, start=span[0], end=span[1], original=original,
                     confidence=1.0, status="accepted", **values)
    except (TypeError, ValueError) as exc:
        res.problems.append(f"{where}: {exc}")
        return None


def _case(raw: Any, catalogue: dict[str, Any], res: _Resolved) -> ExampleCase | None:
    if not isinstance(raw, dict) or not raw.get("key") or not raw.get("text"):
        res.problems.append(f"case {raw!r:.60}: needs key and text")
        return None
    key = str(raw["key"])
    unknown = set(raw) - _CASE_FIELDS
    if unknown:
        res.problems.append(f"case {key}: unknown fields {sorted(unknown)}")
    sources = _sources(f"case {key}", raw.get("sources"), catalogue, res.problems)
    doc = _document(key, raw, sources)
    claims = []
    for i, c in enumerate(raw.get("claims") or []):
        claim = _claim(f"case {key} claim {i + 1}", doc, raw.get("country"), c if isinstance(c, dict) else {}, res)
        if claim is not None:
            claims.append(claim)
    if not raw.get("claims"):
        res.problems.append(f"case {key}: has no claims")
    return ExampleCase(key, doc, tuple(claims))


def build_cases(data: dict[str, Any], resolvers: _Resolvers | None = None) -> list[ExampleCase]:
    """Turn parsed example data into cases; raise `DemoDataError` listing every problem found."""
    res = _Resolved(resolvers or _resolvers())
    catalogue = data.get("sources") or {}
    out: list[ExampleCase] = []
    keys: set[str] = set()
    for raw in data["cases"]:
        case = _case(raw, catalogue, res)
        if case is None:
            continue
        if case.key in keys:
            res.problems.append(f"case {case.key}: duplicate key")
        keys.add(case.key)
        out.append(case)
    if res.problems:
        raise DemoDataError(res.problems)
    return out


@functools.lru_cache(maxsize=1)
def _cached_cases() -> tuple[ExampleCase, ...]:
    return tuple(build_cases(raw_data()))


def example_cases() -> list[ExampleCase]:
    """Every example case, resolved against the reference registry."""
    return list(_cached_cases())


def example_documents() -> list[Document]:
    """One document per example case."""
    return [c.document for c in _cached_cases()]


def example_claims() -> list[Claim]:
    """Every accepted claim of the example set."""
    return [cl for c in _cached_cases() for cl in c.claims]


def _countries(claims: Iterable[Claim]) -> int:
    return len({c.country for c in claims if c.kind == "deployment" and c.country})


def load_examples(store: Store) -> dict[str, int]:
    """Write the example set in one transaction; loading twice adds nothing. Returns counts."""
    cases = _cached_cases()
    docs_new = claims_new = 0
    with store.transaction() as conn:
        for case in cases:
            docs_new += int(bool(store.put_document(case.document, conn=conn)))
        claims_new = store.put_claims([cl for case in cases for cl in case.claims], conn=conn)
    store.refresh_cases()
    claims = [cl for case in cases for cl in case.claims]
    return {
        "cases": len(cases),
        "documents": len(cases),
        "documents_new": docs_new,
        "claims": len(claims),
        "claims_new": int(claims_new),
        "countries": _countries(claims),
    }
