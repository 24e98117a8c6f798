"""Scoring claims against a gold file: a faithful port of the reference scorer ``score_claims.py``.

Gold documents (``id``, ``text``, ``gold``) and claim dicts in; the same metrics dict out, key for key, so that
``survindex evaluate --json`` prints exactly what the reference scorer prints for the same claims.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

SUFFIX = frozenset({"inc", "corp", "corporation", "co", "company", "ltd", "limited", "llc", "plc", "sa", "ag", "gmbh",
                    "technologies", "technology", "techonologies", "systems", "system", "solutions", "group",
                    "holdings", "of", "america", "usa", "the", "international", "digital"})
FIN_ALIAS: dict[str, set[str]] = {
    "export import bank of china": {"china eximbank", "eximbank", "china exim bank", "chexim", "exim bank of china",
                                    "export import bank of china"},
    "china development bank": {"cdb", "china development bank"},
    "bank of china": {"bank of china", "boc"},
    "government of china": {"government of china", "chinese government", "china", "mofcom", "ministry of commerce",
                            "chinese embassy", "people s republic of china", "prc government",
                            "government of the people s republic of china"},
}
Counts = list[int]


def toks(s: str | None) -> list[str]:
    return re.sub(r"[^a-z0-9]+", " ", (s or "").lower()).split()


def supplier_key(s: str | None) -> str:
    t = [w for w in toks(s) if w not in SUFFIX]
    return " ".join(t) if t else " ".join(toks(s))


def same_supplier(a: str | None, b: str | None) -> bool:
    x, y = supplier_key(a).split(), supplier_key(b).split()
    return bool(x) and bool(y) and (x[:len(y)] == y or y[:len(x)] == x)


def fin_key(s: str | None) -> str:
    k = " ".join(toks(s))
    for canon, aliases in FIN_ALIAS.items():
        if k in aliases or k == canon:
            return canon
    return k


def prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "fp": fp, "fn": fn}


class _Tally:
    def __init__(self) -> None:
        self.t: dict[str, Counts] = {"tech": [0, 0, 0], "supp": [0, 0, 0], "ctry": [0, 0, 0], "rel": [0, 0, 0]}
        self.ok = {"fin": 0, "flow": 0, "tech": 0, "cit": 0}
        self.n = {"fin": 0, "flow": 0, "tech": 0, "cit": 0}

    def financing_doc(self, g: dict[str, Any], cs: list[dict[str, Any]]) -> None:
        surv = [c for c in cs if c.get("technology") and c.get("technology") != "other"]
        pos = bool(surv)
        if g["surveillance"] and pos:
            self.t["rel"][0] += 1
        elif pos:
            self.t["rel"][1] += 1
        elif g["surveillance"]:
            self.t["rel"][2] += 1
        if not (g["surveillance"] and pos):
            return
        self.n["tech"] += 1
        self.ok["tech"] += any(c["technology"] in g["technologies"] for c in surv)
        fins = [c for c in cs if c.get("kind") == "financing"]
        self.n["fin"] += 1
        self.ok["fin"] += any(fin_key(c.get("financier")) == fin_key(g["financier"]) for c in fins)
        if g.get("flow_type"):
            self.n["flow"] += 1
            self.ok["flow"] += any(c.get("flow_type") == g["flow_type"] for c in fins)
        if g.get("country_in_text"):
            self.n["cit"] += 1
            self.ok["cit"] += any(c.get("country") == g["countries"][0] for c in cs)

    def summary_doc(self, g: dict[str, Any], cs: list[dict[str, Any]]) -> None:
        t = self.t
        pt = {c["technology"] for c in cs if c.get("kind") == "deployment" and c.get("technology")}
        gt = set(g.get("technologies", []))
        t["tech"][0] += len(pt & gt); t["tech"][1] += len(pt - gt); t["tech"][2] += len(gt - pt)  # noqa: E702
        ps = {c["supplier"] for c in cs if c.get("supplier")}
        gs = set(g.get("suppliers", []))
        hit_g = {x for x in gs if any(same_supplier(x, y) for y in ps)}
        hit_p = {y for y in ps if any(same_supplier(x, y) for x in gs)}
        t["supp"][0] += len(hit_g); t["supp"][1] += len(ps - hit_p); t["supp"][2] += len(gs - hit_g)  # noqa: E702
        pc = {c["country"] for c in cs if c.get("country")}
        gc = set(g.get("countries", []))
        t["ctry"][0] += len(pc & gc); t["ctry"][1] += len(pc - gc); t["ctry"][2] += len(gc - pc)  # noqa: E702

    def ratio(self, name: str) -> float | None:
        return round(self.ok[name] / self.n[name], 4) if self.n[name] else None


def score(gold: list[dict[str, Any]], claims: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The reference scorer's metrics for ``claims`` against the gold documents (``score_facts.py``'s for a gold
    file in the facts format, ``score_claims.py``'s otherwise)."""
    from survindex.extract.factscore import is_facts_gold, score_facts

    if is_facts_gold(gold):
        return score_facts(gold, claims)
    by_doc: dict[Any, list[dict[str, Any]]] = {}
    for c in claims:
        by_doc.setdefault(c.get("doc_id"), []).append(c)
    tally = _Tally()
    for d in gold:
        g, cs = d["gold"], by_doc.get(d["id"], [])
        if "surveillance" in g:
            tally.financing_doc(g, cs)
        else:
            tally.summary_doc(g, cs)
    t = tally.t
    out: dict[str, Any] = {"documents": len(gold), "claims": sum(len(v) for v in by_doc.values())}
    if t["tech"] != [0, 0, 0] or any(t["tech"]):
        out.update({"technology": prf(*t["tech"]), "supplier": prf(*t["supp"]), "country": prf(*t["ctry"])})
    if any(t["rel"]):
        out["surveillance_relevance"] = prf(*t["rel"])
        out["technology_accuracy"] = tally.ratio("tech")
        out["financier_accuracy"] = tally.ratio("fin")
        out["flow_type_accuracy"] = tally.ratio("flow")
        out["country_accuracy_when_named"] = tally.ratio("cit")
    return out


def render_json(metrics: dict[str, Any]) -> str:
    """Exactly the reference scorer's output format."""
    return json.dumps(metrics, indent=1)


def read_gold(lines: Iterable[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in lines if line.strip()]
