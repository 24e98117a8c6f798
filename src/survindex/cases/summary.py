"""A case's summary from its members: what, who, since when, how well corroborated, how far reviewed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from survindex.cases.model import Case, Member
from survindex.cases.names import contractor_makers, supplier_key
from survindex.model import vocabulary

# The life of a deployment, in order; a later stage reported on the same date wins.
LIFECYCLE = ("announced", "contracted", "installed", "operational", "suspended", "cancelled")


def most_common(values: Iterable[str | None]) -> str | None:
    counts = Counter(v for v in values if v)
    return min(counts, key=lambda v: (-counts[v], v)) if counts else None


def _supplier(members: Sequence[Member]) -> tuple[str | None, str | None]:
    """The case's supplier and its country: the maker most claims name (a prime contractor only when no claim
    names a maker)."""
    makers = [m for m in members if m.supplier and contractor_makers(supplier_key(m.supplier)) is None]
    named = makers or [m for m in members if m.supplier]
    supplier = most_common(m.supplier for m in named)
    return supplier, most_common(m.supplier_country for m in named if m.supplier == supplier)


def _stages(members: Sequence[Member]) -> tuple[dict[str, Any], ...]:
    first: dict[str, tuple[str, str]] = {}
    for m in members:
        if m.stage in LIFECYCLE:
            seen = (m.date or "", m.claim_id)
            if m.stage not in first or seen < first[m.stage]:
                first[m.stage] = seen
    ordered = sorted(first.items(), key=lambda kv: (kv[1][0], LIFECYCLE.index(kv[0])))
    return tuple({"stage": st, "date": date or None, "claim": cid} for st, (date, cid) in ordered)


def _confidence(members: Sequence[Member], status: str) -> float:
    """1 for an accepted case, 0 for a rejected one; otherwise the chance that at least one independent source
    is right, taking each source's most confident claim: 1 - Π(1 - p)."""
    if status != "unreviewed":
        return 1.0 if status == "accepted" else 0.0
    best: dict[str, float] = {}
    for m in members:
        for src in (m.source, *m.cited):
            best[src] = max(best.get(src, 0.0), m.confidence)
    miss = 1.0
    for p in best.values():
        miss *= 1.0 - min(max(p, 0.0), 1.0)
    return round(1.0 - miss, 4)


def _status(members: Sequence[Member]) -> str:
    statuses = {m.status for m in members}
    if "accepted" in statuses:
        return "accepted"
    return "rejected" if statuses == {"rejected"} else "unreviewed"


def _financing(members: Sequence[Member]) -> tuple[dict[str, Any], ...]:
    return tuple({"claim": m.claim_id, "financier": m.financier, "flow_type": m.flow_type, "amount": m.amount,
                  "currency": m.currency, "amount_usd": m.amount_usd, "year": m.year, "status": m.status}
                 for m in sorted(members, key=lambda m: (m.year or 0, m.claim_id)) if m.kind == "financing")


def summarise(cid: str, country: str | None, key: tuple[str, ...], members: Sequence[Member]) -> Case:
    live = [m for m in members if m.status != "rejected"] or list(members)
    v = vocabulary()
    order = {k: i for i, k in enumerate(v.technologies)}
    techs = tuple(sorted({m.technology for m in live if m.technology and m.kind == "deployment"}
                         or {m.technology for m in live if m.technology}, key=lambda t: order.get(t, 99)))
    stages = _stages(live)
    dates = sorted(m.date for m in members if m.date)
    deployments = [m for m in live if m.kind == "deployment"] or live
    best = max(deployments, key=lambda m: (m.status == "accepted", m.confidence, -len(m.quote), m.claim_id))
    status = _status(members)
    supplier, supplier_country = _supplier(live)
    return Case(
        id=cid, country=country, group=key[0], technology=techs[0] if techs else None, technologies=techs,
        supplier=supplier, supplier_country=supplier_country,
        deployer=most_common(m.deployer for m in live if m.kind == "deployment") or most_common(
            m.deployer for m in live),
        stage=stages[-1]["stage"] if stages else "unknown", stages=stages,
        first_reported=dates[0] if dates else None, last_reported=dates[-1] if dates else None,
        sources=tuple(sorted({s for m in members for s in (m.source, *m.cited) if s})),
        claims=tuple(sorted(m.claim_id for m in members)), financing=_financing(live),
        confidence=_confidence(live, status), status=status,
        unreviewed=sum(m.status == "unreviewed" for m in members), quote_claim=best.claim_id, quote=best.quote,
        key=key)
