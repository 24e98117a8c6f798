"""Scoring deployment claims against a *facts* gold file (long documents labelled with the facts an analyst would
record): a faithful port of the reference scorer ``score_facts.py``, plus the reliability table of confidence.

Gold documents (``id``, ``text``, ``gold: {relevant, facts}``) and claim dicts in; the reference scorer's metrics
dict out, key for key. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

SUFFIX = frozenset({"inc", "corp", "corporation", "co", "company", "ltd", "limited", "llc", "plc", "sa", "ag", "gmbh",
                    "technologies", "technology", "systems", "system", "solutions", "group", "holdings", "the",
                    "international", "digital"})
BINS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)


def is_facts_gold(gold: list[dict[str, Any]]) -> bool:
    """Whether a gold file is in the facts format (every document's ``gold`` has ``facts`` or ``relevant``)."""
    return bool(gold) and all("facts" in d.get("gold", {}) or "relevant" in d.get("gold", {}) for d in gold)


def _toks(s: str | None) -> list[str]:
    return re.sub(r"[^a-z0-9]+", " ", (s or "").lower()).split()


def _supplier_key(s: str | None) -> list[str]:
    t = [w for w in _toks(s) if w not in SUFFIX]
    return t if t else _toks(s)


def same_supplier(a: str | None, b: str | None) -> bool:
    x, y = _supplier_key(a), _supplier_key(b)
    return bool(x) and bool(y) and (x[:len(y)] == y or y[:len(x)] == x)


def _matches(c: dict[str, Any], f: dict[str, Any]) -> bool:
    return c.get("country") == f.get("country") and c.get("technology") in f["technologies"]


def _by_doc(claims: Iterable[dict[str, Any]]) -> dict[Any, list[dict[str, Any]]]:
    out: dict[Any, list[dict[str, Any]]] = {}
    for c in claims:
        if c.get("kind") == "deployment":
            out.setdefault(c.get("doc_id"), []).append(c)
    return out


def score_facts(gold: list[dict[str, Any]], claims: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The reference scorer's metrics (see ``score_facts.py``'s docstring for each one)."""
    by_doc = _by_doc(claims)
    n = dict.fromkeys(("req", "req_hit", "triples", "triples_ok", "claims", "claims_ok", "irrelevant", "alarms",
                       "facts_hit", "s_facts", "s_facts_hit", "s_claims", "s_claims_ok"), 0)
    for d in gold:
        _score_doc(d["gold"], by_doc.get(d["id"], []), n)
    r = n["req_hit"] / n["req"] if n["req"] else 0.0
    p = n["triples_ok"] / n["triples"] if n["triples"] else 0.0
    sp = n["s_claims_ok"] / n["s_claims"] if n["s_claims"] else 0.0
    sr = n["s_facts_hit"] / n["s_facts"] if n["s_facts"] else 0.0
    return {
        "documents": len(gold), "deployment_claims": n["claims"], "required_facts": n["req"],
        "fact_recall": round(r, 4), "precision": round(p, 4),
        "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
        "claim_precision": round(n["claims_ok"] / n["claims"], 4) if n["claims"] else 0.0,
        "claims_per_fact": round(n["claims_ok"] / n["facts_hit"], 2) if n["facts_hit"] else None,
        "false_alarm_rate": round(n["alarms"] / n["irrelevant"], 4) if n["irrelevant"] else None,
        "irrelevant_documents": n["irrelevant"],
        "supplier": {"precision": round(sp, 4), "recall": round(sr, 4),
                     "f1": round(2 * sp * sr / (sp + sr), 4) if sp + sr else 0.0},
    }


def _score_doc(g: dict[str, Any], cs: list[dict[str, Any]], n: dict[str, int]) -> None:
    facts = g.get("facts", [])
    if not g.get("relevant", bool(facts)):
        n["irrelevant"] += 1
        n["alarms"] += bool(cs)
    seen: dict[tuple[Any, Any], bool] = {}
    for c in cs:
        fs = [f for f in facts if _matches(c, f)]
        n["claims"] += 1
        n["claims_ok"] += bool(fs)
        key = (c.get("country"), c.get("technology"))
        seen[key] = seen.get(key, False) or bool(fs)
        if fs and c.get("supplier"):
            n["s_claims"] += 1
            n["s_claims_ok"] += any(f.get("supplier") and same_supplier(c["supplier"], f["supplier"]) for f in fs)
    n["triples"] += len(seen)
    n["triples_ok"] += sum(seen.values())
    for f in facts:
        hits = [c for c in cs if _matches(c, f)]
        if not f.get("optional"):
            n["req"] += 1
            n["req_hit"] += bool(hits)
        if hits:
            n["facts_hit"] += 1
            if f.get("supplier"):
                n["s_facts"] += 1
                n["s_facts_hit"] += any(same_supplier(c.get("supplier"), f["supplier"]) for c in hits)


def reliability(gold: list[dict[str, Any]], claims: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per confidence bin: how many deployment claims, and the share that match a fact of their document."""
    facts = {d["id"]: d["gold"].get("facts", []) for d in gold}
    rows: list[dict[str, Any]] = [{"low": lo, "high": min(hi, 1.0), "claims": 0, "right": 0}
                                  for lo, hi in zip(BINS, BINS[1:])]
    for doc, cs in _by_doc(claims).items():
        for c in cs:
            conf = float(c.get("confidence") or 0.0)
            row = next(r for r, hi in zip(rows, BINS[1:]) if conf < hi)
            row["claims"] += 1
            row["right"] += any(_matches(c, f) for f in facts.get(doc, []))
    for r in rows:
        r["accuracy"] = round(r["right"] / r["claims"], 4) if r["claims"] else None
    return rows
