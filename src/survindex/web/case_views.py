"""Case page data: the review queue of cases, a case's page, the case lists of profile pages (plain dicts; the
HTML template and the ``.json`` twin show the same dict, less the server-rendered excerpts)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from markupsafe import Markup

from survindex import review
from survindex.model import vocabulary
from survindex.store import Store
from survindex.store import case_reads as cr
from survindex.store import cases as sc
from survindex.web.case_params import CaseQuery
from survindex.web.highlight import highlight
from survindex.web.names import country_name

CASE_COLS = ("id", "country", "technology", "technologies", "supplier", "supplier_country", "deployer", "stage",
             "stages", "first_reported", "last_reported", "sources", "source_keys", "claims", "financing",
             "confidence", "status", "unreviewed", "quote_claim", "quote")
MAX_DOCS = 3  # source texts shown beside a case in the queue (the case page shows them all)


def case_summary(row: dict[str, Any]) -> dict[str, Any]:
    out = {k: row.get(k) for k in CASE_COLS}
    out["country_name"] = country_name(row.get("country"))
    out["url"] = f"/case/{row['id']}"
    return out


def excerpt(text: str, spans: Iterable[tuple[int, int, str, str]], window: int = 240) -> Markup:
    """The parts of ``text`` around the claims' spans (merged windows, "…" between), spans highlighted."""
    spans = sorted((a, b, c, st) for a, b, c, st in spans if a is not None and b is not None and 0 <= a < b)
    if not spans:
        return highlight(text[:window * 2], [])
    windows: list[list[int]] = []
    for a, b, _, _ in spans:
        lo, hi = max(0, a - window), min(len(text), b + window)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], hi)
        else:
            windows.append([lo, hi])
    parts: list[str] = []
    for lo, hi in windows:
        inside = [(a - lo, min(b, hi) - lo, c, st) for a, b, c, st in spans if lo <= a < hi]
        parts.append(("…" if lo > 0 else "") + str(highlight(text[lo:hi], inside)) + ("…" if hi < len(text) else ""))
    return Markup('<span class="gap"> ⋯ </span>'.join(parts))  # noqa: S704 - highlight escapes every segment


def _documents(store: Store, claims: list[dict[str, Any]], limit: int | None) -> list[dict[str, Any]]:
    """The case's documents, most claims first, each with its highlighted excerpt."""
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for c in claims:
        by_doc.setdefault(c["doc_id"], []).append(c)
    order = sorted(by_doc, key=lambda d: (-len(by_doc[d]), by_doc[d][0]["doc"]["published"] or "", d))
    shown = order if limit is None else order[:limit]
    texts = cr.document_texts(store, shown)
    docs = []
    for doc_id in shown:
        meta = by_doc[doc_id][0]["doc"]
        spans = [(c["start"], c["end"], c["id"], c["status"]) for c in by_doc[doc_id]]
        docs.append({**meta, "url_page": f"/document/{doc_id}", "claims": [c["id"] for c in by_doc[doc_id]],
                     "excerpt": excerpt(texts.get(doc_id, ""), spans)})
    return docs


def _claim_view(c: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in c.items() if k not in ("start", "end", "case_id")}
    out["url"] = f"/claim/{c['id']}"
    return out


def sources(claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Independent sources (publisher, else web domain, else dataset) with their documents and strongest quote."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for c in claims:
        d = c["doc"]
        key = sc.source_key(d["publisher"], d["url"], d["source"], d["duplicate_of"] or d["id"])
        groups.setdefault(key, []).append(c)
    out = []
    for key, rows in groups.items():
        best = max(rows, key=lambda c: (c["status"] == "accepted", c["status"] != "rejected", c["confidence"] or 0,
                                        len(c["quote"] or ""), c["id"]))
        d = best["doc"]
        out.append({"source": key, "publisher": d["publisher"] or sc.web_domain(d["url"]) or d["source"] or key,
                    "documents": sorted({c["doc_id"] for c in rows}), "claims": len(rows),
                    "first_reported": min((c["doc"]["published"] or "" for c in rows), default="") or None,
                    "quote": best["quote"], "quote_claim": best["id"], "url": d["url"]})
    return sorted(out, key=lambda s: (s["first_reported"] or "9999", s["source"]))


def _token(claims: list[dict[str, Any]]) -> str:
    return review.token(sorted(claims, key=lambda c: str(c["id"])))


def queue_item(store: Store, row: dict[str, Any], claims: list[dict[str, Any]]) -> dict[str, Any]:
    return {**case_summary(row), "token": _token(claims), "claim_rows": [_claim_view(c) for c in claims],
            "documents": _documents(store, claims, MAX_DOCS),
            "more_documents": max(0, len({c["doc_id"] for c in claims}) - MAX_DOCS)}


def review_queue(store: Store, q: CaseQuery) -> dict[str, Any]:
    """One keyset page of cases for review, each with its claims, token and source excerpts."""
    rows = sc.list_cases(store, q.filter, limit=q.limit + 1, after=q.after)
    more = len(rows) > q.limit
    rows = rows[:q.limit]
    claims = cr.case_claims(store, [r["id"] for r in rows])
    items = [queue_item(store, r, claims.get(r["id"], [])) for r in rows]
    nxt = q.link("/review", after=q.cursor(rows[-1])) if more else None
    return {"title": "Review queue: cases", "params": q.params, "total": sc.count_cases(store, q.filter),
            "limit": q.limit, "cases": items, "next": nxt, "first": q.link("/review") if q.after else None,
            "choices": choices()}


def case_index(store: Store, q: CaseQuery) -> dict[str, Any]:
    """One keyset page of the public case list."""
    rows = sc.list_cases(store, q.filter, limit=q.limit + 1, after=q.after)
    nxt = q.link("/cases", after=q.cursor(rows[q.limit - 1])) if len(rows) > q.limit else None
    return {"title": "Cases", "params": q.params, "total": sc.count_cases(store, q.filter), "limit": q.limit,
            "cases": [case_summary(r) for r in rows[:q.limit]], "next": nxt,
            "first": q.link("/cases") if q.after else None, "choices": choices()}


def choices() -> dict[str, Any]:
    v = vocabulary()
    return {"technologies": [{"key": k, "label": t.label} for k, t in v.technologies.items()],
            "stages": list(v.stages), "statuses": ["pending", "unreviewed", "accepted", "rejected", "all"]}


def case_page(store: Store, case_id: str) -> dict[str, Any]:
    """A case with its timeline, independent sources, financing, claims and every source text."""
    row = sc.get_case(store, case_id)
    claims = cr.case_claims(store, [row["id"]]).get(row["id"], [])
    summary = case_summary(row)
    title = " · ".join(x for x in (summary["country_name"], _tech_label(row["technology"]),
                                   row["supplier"] or "unknown supplier") if x)
    return {"title": title, "case": {**summary, "requested_id": case_id, "token": _token(claims)},
            "timeline": _timeline(row, claims), "independent_sources": sources(claims),
            "claim_rows": [_claim_view(c) for c in claims], "documents": _documents(store, claims, None),
            "choices": choices(), "map_pin": map_pin(row.get("country"))}


def map_pin(iso3: str | None) -> Markup:
    """The country on a small locator map over the shared grey world (``/map/world.svg``)."""
    if not iso3:
        return Markup("")
    try:
        from survindex.report.map import locator_svg
    except ImportError:
        return Markup("")
    return Markup(locator_svg(iso3, "/map/world.svg", resolution="110m", label=country_name(iso3)))  # noqa: S704


def _tech_label(key: str | None) -> str:
    tech = vocabulary().technologies.get(key or "")
    return tech.label if tech else (key or "")


def _timeline(row: dict[str, Any], claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    quotes = {c["id"]: c for c in claims}
    out = []
    for st in row["stages"] or []:
        c = quotes.get(st.get("claim") or "")
        out.append({**st, "quote": c["quote"] if c else None, "publisher": c["doc"]["publisher"] if c else None})
    return out


def case_list(store: Store, f: sc.CaseFilter, limit: int = 20) -> dict[str, Any]:
    """The first cases of a profile page (country, supplier, technology) and how many there are."""
    rows = sc.list_cases(store, f, limit=limit)
    return {"rows": [case_summary(r) for r in rows], "total": sc.count_cases(store, f)}


def without_markup(value: Any) -> Any:
    """The JSON twin: drop server-rendered markup at any depth."""
    if isinstance(value, dict):
        return {k: without_markup(v) for k, v in value.items() if not isinstance(v, Markup)}
    if isinstance(value, list):
        return [without_markup(v) for v in value]
    return value
