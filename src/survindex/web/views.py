"""Page data: plain dicts built from the store (the HTML template and the ``.json`` twin show the same dict)."""

from __future__ import annotations

import logging
import threading
from typing import Any

from markupsafe import Markup

from survindex import policy
from survindex.model import vocabulary
from survindex.store import ClaimFilter, NotFound, Store
from survindex.store import search as ss
from survindex.store.cases import CaseFilter
from survindex.web.case_views import case_list
from survindex.web.highlight import highlight
from survindex.web.map import world_map
from survindex.web.names import country_facts, country_name
from survindex.web.params import Filters, Page
from survindex.web.render import environment, fragment
from survindex.web import targeted
from survindex.web.state import DataCache, Tag

log = logging.getLogger(__name__)
ACCEPTED = ClaimFilter(status="accepted", kind="deployment")
_LIST_COLS = ("id", "kind", "country", "supplier", "supplier_country", "technology", "aigs_category", "financier",
              "amount_usd", "year", "stage", "status", "confidence", "quote", "doc_id", "version")


def claim_tags(store: Store, claim_id: str) -> set[Tag]:
    """The cache tags a claim's values touch (``state.tags_of``); empty when there is no such claim."""
    try:
        c, _ = store.get_claim(claim_id)
    except NotFound:
        return set()
    return {(kind, value) for kind, value in (("country", c.country), ("supplier", c.supplier),
                                              ("technology", c.technology)) if value}


def claim_summary(row: dict[str, Any]) -> dict[str, Any]:
    out = {k: row.get(k) for k in _LIST_COLS}
    out["url"] = f"/claim/{row['id']}"
    return out


def _facets(store: Store, query: ss.ClaimQuery, cols: tuple[str, ...]) -> dict[str, list[dict[str, Any]]]:
    return {c: [{"value": v, "claims": n} for v, n in pairs] for c, pairs in ss.facets(store, query, cols).items()}


def headline(store: Store, index: dict[str, Any] | None = None) -> dict[str, Any]:
    """The home page's figures: countries and suppliers from the index (the static site's computation: accepted
    claims, targeted surveillance apart), claims and documents counted in SQL."""
    idx = index if index is not None else index_of(store)
    return {
        "countries": idx["countries"],
        "cases": idx.get("cases", 0),
        "suppliers": len(idx["by_supplier"]),
        "accepted_deployments": ss.count(store, ss.ClaimQuery(ACCEPTED)),
        "accepted_claims": ss.count(store, ss.ClaimQuery(ClaimFilter(status="accepted"))),
        "unreviewed_claims": ss.count(store, ss.ClaimQuery(ClaimFilter(status="unreviewed"))),
        "documents": ss.count_documents(store),
    }


def index_of(store: Store) -> dict[str, Any]:
    """The index over accepted claims, as ``survindex stats`` and ``survindex build`` compute it."""
    from survindex import index
    from survindex.store.aggregates import index_aggregates

    result: dict[str, Any] = index.compute_aggregates(index_aggregates(store, status="accepted"))
    return result


def cached_index(store: Store, cache: DataCache) -> dict[str, Any]:
    """``index_of`` kept in the cache, one for every policy (it counts accepted claims only, which every policy
    shows); after a change served stale while it is computed again when it is slow (a large database)."""
    value: dict[str, Any] = cache.get(("index",), lambda: index_of(store), stale_ok=True, scoped=False)
    return value


def home(store: Store, cache: DataCache) -> dict[str, Any]:
    """The home page: figures, map (technologies per country) and headlines from the index, as on the static
    site; served from the cache, and after a change served stale while it is computed again in the background."""
    def figures() -> dict[str, Any]:
        try:
            idx = cached_index(store, cache)
        except Exception:  # noqa: BLE001 - the home page must not fail with the index: its SQL counts still show
            log.exception("the index could not be computed for the home page")
            idx = {"countries": ss.distinct_count(store, ss.ClaimQuery(ACCEPTED), "country"), "by_supplier": {},
                   "countries_detail": {}}
        values = {iso: len(d["technologies"]) for iso, d in idx["countries_detail"].items() if d["technologies"]}
        top = [{"supplier": name, "supplier_country": _hq(store, name), "countries": n}
               for name, n in list(idx["by_supplier"].items())[:10]]
        found = {"title": HOME_TITLE, "figures": headline(store, idx), "map_values": values, "map": world_map(values),
                 "top_suppliers": top, "financing": dict(list(idx.get("financing", {}).items())[:10]),
                 "index": {"headlines": idx.get("headlines"), "published_figures": idx.get("published_figures")}}
        return {**found, "content": fragment("_home_main.html", found)}
    value: dict[str, Any] = cache.get(("home",), figures, stale_ok=True)
    return value


HOME_TITLE = "AI surveillance: where, who supplies, who pays"


def _hq(store: Store, supplier: str) -> str | None:
    from survindex.index._ref import default_reference

    found = default_reference().hq_country(supplier)
    if found:
        return found
    stated = ss.facet(store, ss.ClaimQuery(ClaimFilter(supplier=supplier, status="accepted")), "supplier_country",
                      limit=1)
    return str(stated[0][0]) if stated and stated[0][0] else None


HEAD = 200  # the first claims of a profile or query, kept with its counts and facets: its first pages cost no query


def _head(store: Store, query: ss.ClaimQuery) -> list[dict[str, Any]]:
    """The first ``HEAD`` claims of a profile, review queue order (the columns a claims table shows)."""
    return ss.claim_rows(store, query, HEAD, 0, order="review", columns=_LIST_COLS)


def _with_page(store: Store, cached: dict[str, Any], query: ss.ClaimQuery, page: Page) -> dict[str, Any]:
    """A cached profile or search summary (less its ``head``) and one page of its claims in review queue order
    (``claims``, ``limit``, ``offset``): taken from the head when the page lies in it, else read by index."""
    head = cached["head"]
    end = page.offset + page.limit
    rows = head[page.offset:end] if end <= len(head) or len(head) < HEAD else \
        ss.claim_rows(store, query, page.limit, page.offset, order="review", columns=_LIST_COLS)
    return {**{k: v for k, v in cached.items() if k != "head"}, "claims": [_row_summary(r) for r in rows],
            "claims_html": Markup("".join(map(_row_html, rows))), "limit": page.limit, "offset": page.offset}


def _row_summary(row: dict[str, Any]) -> dict[str, Any]:
    """``claim_summary`` of a row, kept on the row like its HTML (``_row_html``): a cached profile's or search's
    first claims are summarised once, not on every page that lists them (nothing changes a page's claims)."""
    found: dict[str, Any] | None = row.get("_summary")
    if found is None:
        found = row["_summary"] = claim_summary(row)
    return found


def _row_html(row: dict[str, Any]) -> str:
    """A claim's row of a claims table (``_macros.html``), kept on the row: a cached profile's or search's first
    claims are rendered once, not on every page that lists them."""
    html: str | None = row.get("_html")
    if html is None:
        macros: Any = environment().get_template("_macros.html").module
        html = row["_html"] = str(macros.claim_row(_row_summary(row)))
    return html


def country(store: Store, cache: DataCache, iso3: str, page: Page) -> dict[str, Any]:
    """A country's profile: its counts, facets and first claims (cached until a change touches the country) and
    one page of its claims."""
    iso3 = iso3.upper()
    return _with_page(store, country_profile(store, cache, iso3), ss.ClaimQuery(ClaimFilter(country=iso3)), page)


WARM_COUNTRIES = 64  # the largest countries, whose profiles take longest to compute (0.1-0.4 s each at 1M claims)


def warm_countries(store: Store, cache: DataCache, limit: int = WARM_COUNTRIES) -> list[str]:
    """Compute the profiles of the ``limit`` countries with the most claims (the current policy's) with the rows
    of their first claims' table, so that their first visitors do not wait for them; returns their codes."""
    top = [str(iso) for iso, _ in ss.facet(store, ss.ClaimQuery(), "country", limit=limit)]
    for iso3 in top:
        for row in country_profile(store, cache, iso3)["head"]:
            _row_html(row)
    return top


def country_profile(store: Store, cache: DataCache, iso3: str) -> dict[str, Any]:
    """The cached part of a country's page: counts, facets, targeted surveillance, cases, first claims, and that
    part of its HTML page."""
    def profile() -> dict[str, Any]:
        everything = ss.ClaimQuery(ClaimFilter(country=iso3, include_negated=True))
        by_status = dict(ss.facet(store, everything, "status"))
        total = sum(by_status.values())
        if total == 0 and country_name(iso3) == iso3:
            raise NotFound(f"no country {iso3}")
        accepted = ss.ClaimQuery(ClaimFilter(country=iso3, status="accepted"))
        found = {
            "title": country_name(iso3), "iso3": iso3, "name": country_name(iso3), "total_claims": total,
            **country_facts(iso3),
            "by_status": by_status,
            "accepted": _facets(store, accepted, ("technology", "supplier", "supplier_country", "stage",
                                                  "financier", "year")),
            "targeted": targeted.country(store, cache, iso3),
            "cases": case_list(store, CaseFilter(country=iso3)),
            "head": _head(store, ss.ClaimQuery(ClaimFilter(country=iso3))),
        }
        return {**found, "profile_html": fragment("_country_profile.html", found)}
    value: dict[str, Any] = cache.get(("country", iso3), profile)
    return value


def supplier(store: Store, cache: DataCache, name: str, page: Page) -> dict[str, Any]:
    def profile() -> dict[str, Any]:
        everything = ss.ClaimQuery(ClaimFilter(supplier=name))
        total = ss.count(store, everything)
        if total == 0:
            raise NotFound(f"no claims name the supplier {name}")
        accepted = ss.ClaimQuery(ClaimFilter(supplier=name, status="accepted"))
        countries = dict(ss.facet(store, accepted, "country", limit=300))
        hq = ss.facet(store, everything, "supplier_country", limit=1)
        return {"title": name, "name": name, "headquarters": hq[0][0] if hq else None, "total_claims": total,
                "accepted_countries": len(countries), "map_values": countries, "map": world_map(countries),
                "accepted": _facets(store, accepted, ("technology", "country", "stage")),
                "targeted": targeted.supplier(store, cache, name),
                "cases": case_list(store, CaseFilter(supplier=name)),
                "head": _head(store, everything)}
    return _with_page(store, cache.get(("supplier", name), profile), ss.ClaimQuery(ClaimFilter(supplier=name)),
                      page)


def technology(store: Store, cache: DataCache, key: str, page: Page) -> dict[str, Any]:
    tech = vocabulary().technologies.get(key)
    if tech is None:
        raise NotFound(f"no technology {key}")
    def profile() -> dict[str, Any]:
        accepted = ss.ClaimQuery(ClaimFilter(technology=key, status="accepted"))
        everything = ss.ClaimQuery(ClaimFilter(technology=key))
        return {"title": tech.label, "key": key, "label": tech.label, "description": tech.description,
                "aigs_category": tech.aigs, "total_claims": ss.count(store, everything),
                "targeted": targeted.technology(store, cache, key),
                "accepted": _facets(store, accepted, ("country", "supplier", "stage")),
                "cases": case_list(store, CaseFilter(technology=key)), "head": _head(store, everything)}
    return _with_page(store, cache.get(("technology", key), profile), ss.ClaimQuery(ClaimFilter(technology=key)),
                      page)


def technologies() -> dict[str, Any]:
    v = vocabulary()
    return {"title": "Technologies", "technologies": [
        {"key": t.key, "label": t.label, "aigs_category": t.aigs, "description": t.description}
        for t in v.technologies.values()], "aigs_categories": v.aigs_categories}


def document(store: Store, doc_id: str) -> dict[str, Any]:
    doc = store.get_document(doc_id)
    rows = ss.claim_rows(store, ss.ClaimQuery(ClaimFilter(doc_id=doc_id, include_negated=True)), limit=2000)
    text, spans = _public_text(doc.text, [(r["start"], r["end"], r["id"], r["status"]) for r in rows
                                          if r["start"] is not None and r["end"] is not None])
    return {"title": doc.title or doc.id, "document": {
        "id": doc.id, "title": doc.title, "url": doc.url, "published": doc.published, "publisher": doc.publisher,
        "source": doc.source, "language": doc.language, "text": text},
        "highlighted": highlight(text, spans), "claims": [claim_summary(r) for r in rows]}


Span = tuple[int, int, str, str]


def _public_text(text: str, spans: list[Span]) -> tuple[str, list[Span]]:
    """The text and claim spans the policy shows: whole, or only the cited passages (spans moved onto them)."""
    if policy.current().full_texts:
        return text, spans
    kept = sorted({(a, b) for a, b, _i, _s in spans if 0 <= a < b <= len(text)})
    where: dict[tuple[int, int], int] = {}
    pos = 0
    for a, b in kept:
        where[(a, b)] = pos
        pos += b - a + 3  # len(" … ")
    moved: list[Span] = []
    for a, b, i, st in spans:
        if (a, b) in where:
            moved.append((where[(a, b)], where[(a, b)] + b - a, i, st))
    return policy.document_text(text, kept), moved


def claim(store: Store, claim_id: str) -> dict[str, Any]:
    c, meta = store.get_claim(claim_id)
    if not policy.visible(c.status):
        raise NotFound(f"no claim {claim_id}")
    doc = store.get_document(c.doc_id)
    history = [{k: policy.reviewer(h[k]) if k == "actor" else h[k]
                for k in ("at", "actor", "action", "before", "after", "reason")} for h in store.history(claim_id)]
    meta = {k: policy.reviewer(v) if k.endswith("_by") else v for k, v in meta.items()}
    return {"title": f"Claim {claim_id}", "claim": {**c.to_dict(), **meta},
            "source": {"id": doc.id, "title": doc.title, "url": doc.url, "published": doc.published,
                       "publisher": doc.publisher},
            "history": history, "technologies": list(vocabulary().technologies), "stages": list(vocabulary().stages)}


SCANS = threading.BoundedSemaphore(2)  # full scans of a query's claims at once: more only fight over the GIL


def search(store: Store, filters: Filters, page: Page, cache: DataCache | None = None) -> dict[str, Any]:
    """Search results: the matching documents, count, facets and first ``HEAD`` claims (cached per query
    when a cache is given, until anything it depends on changes) and one page of the matching claims."""
    q = filters.query
    def summary() -> dict[str, Any]:
        with SCANS:
            found = ss.summary(store, q, ("technology", "country", "supplier", "status"), head=HEAD,
                               memory=cache.columns if cache else None, version=cache.version() if cache else None,
                               head_columns=_LIST_COLS)
        shown = {"documents": ss.search_documents(store, q.q, limit=10) if q.q else [], "total": found.total,
                 "facets": {c: [{"value": v, "claims": n} for v, n in pairs] for c, pairs in found.facets.items()}}
        return {**shown, "summary_html": fragment("_search_summary.html", shown), "head": found.head}
    key = ("search", tuple(sorted((k, str(v)) for k, v in filters.params.items())))
    found = cache.get(key, summary) if cache is not None else summary()
    return {"title": f"Search: {q.q}" if q.q else "Search", "params": filters.params,
            **_with_page(store, found, q, page)}


def corrections(store: Store, page: Page) -> dict[str, Any]:
    rows = ss.corrections(store, page.limit, page.offset)
    return {"title": "Corrections log", "limit": page.limit, "offset": page.offset, "entries": [
        {k: policy.reviewer(r[k]) if k == "actor" else r[k]
         for k in ("at", "actor", "action", "object_id", "before", "after", "reason")} for r in rows]}


def _count(store: Store, query: ss.ClaimQuery, cache: DataCache | None) -> int:
    """``search.count``, from the claims' columns in memory when they can answer it."""
    found = cache.columns.summary(cache.version(), query, policy.current().statuses, ()) if cache else None
    return found.total if found is not None else ss.count(store, query)


def review_queue(store: Store, filters: Filters, page: Page, after: str | None = None,
                 cache: DataCache | None = None) -> dict[str, Any]:
    """The queue: unreviewed claims (or the status filtered on), most confident first. ``after`` (the ``next``
    cursor of the previous page) pages by key, so any depth costs the same; ``offset`` still works for links.
    The count comes from the claims' columns in ``cache`` when they hold it (a SQL count of 400,000 unreviewed
    claims takes 30-100 ms)."""
    q = filters.query
    if q.filter.status is None:
        q = ss.ClaimQuery(filter=ClaimFilter(**{**q.filter.__dict__, "status": "unreviewed"}), q=q.q,
                          countries=q.countries, exclude_countries=q.exclude_countries)
    if after or not page.offset:
        rows, nxt = ss.review_page(store, q, page.limit, after)
    else:
        rows, nxt = ss.claim_rows(store, q, page.limit, page.offset, order="review"), None
    return {"title": "Review queue", "params": filters.params, "total": _count(store, q, cache),
            "limit": page.limit, "offset": page.offset, "after": after, "next": nxt,
            "claims": [claim_summary(r) for r in rows],
            "vocabulary": {"technologies": list(vocabulary().technologies), "stages": list(vocabulary().stages)}}
