"""Claims of one country -> its cases.

1. Deployment claims fall into keys (technology group, supplier, deployer): deployers written differently
   ("Uganda Police Force", "the Uganda police force") are one when their words match closely.
2. A key without a deployer joins the one key of its (group, supplier) that has a deployer, when there is exactly
   one; a key without a supplier joins the one supplier's key of its (group, deployer) — or of its group, when it
   names no deployer either — when there is exactly one.
3. Financing claims join the case they paid for: same technology group, signed at most ``YEARS_BEFORE`` years
   before the case's first dated report and ``YEARS_AFTER`` after its last, the most words of the project in
   common, then the most claims; a loan for a project no deployment claim reports makes a
   case of its own.
4. Reviewers' decisions apply last, in the order they were taken: a split moves one claim to a case of its own,
   a merge moves the whole case of one claim into the case of another.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from survindex.cases.model import Case, Member, case_id
from survindex.cases.summary import summarise
from survindex.model import vocabulary

# A loan is signed before the deployment it pays for is reported (often years before), rarely long after.
YEARS_BEFORE, YEARS_AFTER = 10, 3
DEPLOYER_MATCH = 90  # rapidfuzz token_set_ratio at or above which two deployer names are one
_WORD = re.compile(r"[^\W_]+")
_STOP = frozenset("the of and for in s a an to on by with".split())

Key = tuple[str, ...]


@dataclass(frozen=True)
class Decision:
    """A reviewer's grouping decision: ``merge`` (the case of ``claim_b`` into the case of ``claim_a``) or
    ``split`` (``claim_a`` into a case of its own)."""

    kind: str
    claim_a: str
    claim_b: str | None = None


def words(text: str | None) -> list[str]:
    return [w for w in _WORD.findall((text or "").casefold()) if w not in _STOP]


def _deployer_keys(names: Iterable[str]) -> dict[str, str]:
    """Each deployer name -> the key of its cluster (the first name, in sorted order, it matches closely)."""
    reps: list[str] = []
    out: dict[str, str] = {}
    for name in sorted(set(names)):
        key = " ".join(words(name))
        rep = next((r for r in reps if key and fuzz.token_set_ratio(key, r) >= DEPLOYER_MATCH), None)
        if rep is None and key:
            reps.append(key)
        out[name] = rep or key
    return out


def _supplier_key(m: Member) -> str:
    return (m.supplier or "").casefold()


def _auto_keys(deployments: Sequence[Member]) -> dict[str, Key]:
    """Steps 1 and 2: each deployment claim id -> its key."""
    v = vocabulary()
    dkeys = _deployer_keys(m.deployer for m in deployments if m.deployer)
    keys: dict[str, Key] = {m.claim_id: (v.case_group(m.technology), _supplier_key(m),
                                         dkeys.get(m.deployer or "", "")) for m in deployments}
    present: set[Key] = set(keys.values())
    moved: dict[Key, Key] = {}
    for g, s, d in sorted(present):
        if s and not d:
            named = [k for k in present if k[0] == g and k[1] == s and k[2]]
            if len(named) == 1:
                moved[(g, s, d)] = named[0]
    present = {moved.get(k, k) for k in present}
    for g, s, d in sorted(present):
        if not s:
            known = [k for k in present if k[0] == g and k[1] and (k[2] == d or not d)]
            if len(known) == 1:
                moved[(g, s, d)] = known[0]
    def final(k: Key) -> Key:
        while k in moved:
            k = moved[k]
        return k

    return {cid: final(k) for cid, k in keys.items()}


def _years(members: Iterable[Member]) -> set[int]:
    return {m.year for m in members if m.year is not None}


def _attach_financing(financing: Sequence[Member], keys: dict[str, Key], by_id: dict[str, Member]) -> None:
    """Step 3, in place."""
    v = vocabulary()
    cases: dict[Key, list[Member]] = {}
    for cid, k in keys.items():
        cases.setdefault(k, []).append(by_id[cid])
    dkeys = _deployer_keys(m.deployer for m in financing if m.deployer)
    for f in sorted(financing, key=lambda m: m.claim_id):
        group = v.case_group(f.technology)
        project = set(words(f.deployer)) | set(words(f.quote))
        best: tuple[tuple[float, int, Key], Key] | None = None
        for k, members in cases.items():
            years = _years(members)
            if k[0] != group or (f.year is not None and years and not
                                 min(years) - YEARS_BEFORE <= f.year <= max(years) + YEARS_AFTER):
                continue
            told = set().union(*(set(words(m.deployer)) | set(words(m.quote)) for m in members))
            score = (len(project & told) / (len(project) or 1), len(members), tuple(reversed(k)))
            if best is None or score > best[0]:
                best = (score, k)
        key = best[1] if best else (group, _supplier_key(f), "finance:" + dkeys.get(f.deployer or "", ""))
        keys[f.claim_id] = key
        cases.setdefault(key, []).append(f)


def _apply_decisions(keys: dict[str, Key], decisions: Sequence[Decision]) -> None:
    """Step 4, in place."""
    for d in decisions:
        if d.kind == "split" and d.claim_a in keys:
            keys[d.claim_a] = ("split", d.claim_a)
        elif d.kind == "merge" and d.claim_a in keys and d.claim_b in keys:
            into, out = keys[d.claim_a], keys[d.claim_b]
            for cid, k in keys.items():
                if k == out:
                    keys[cid] = into


def group_country(members: Sequence[Member], decisions: Sequence[Decision] = ()) -> list[Case]:
    """The cases of one country's deployment and financing claims (rejected ones included: a case whose claims
    were all rejected stays, rejected, so a re-run does not bring it back for review)."""
    by_id = {m.claim_id: m for m in members}
    deployments = [m for m in members if m.kind == "deployment"]
    keys = _auto_keys(deployments)
    _attach_financing([m for m in members if m.kind == "financing"], keys, by_id)
    _apply_decisions(keys, decisions)
    grouped: dict[Key, list[Member]] = {}
    for cid, k in keys.items():
        grouped.setdefault(k, []).append(by_id[cid])
    country = members[0].country if members else None
    return [summarise(case_id(country, k), country, k, ms) for k, ms in sorted(grouped.items())]

