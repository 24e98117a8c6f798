"""Claims of one country -> its cases.

1. Deployment claims fall into keys (technology group, supplier, deployer). Suppliers are compared by registry name;
   deployers by the public body they name ("Sedena", "Mexican Army"), as the country's government in general
   ("Government of Uganda", "Ugandan government"), else by their words, which are one when they match closely
   ("Islamabad Safe City Project", "Islamabad Safe City").
2. Keys join, in this order, each rule only when exactly one key qualifies:
   a. a key naming the government in general joins the one more specific deployer of its (group, supplier),
      when that deployer is reported within ``NEAR_YEARS`` of it;
   b. a key without a deployer joins the one key of its (group, supplier) that has a deployer;
   c. a key whose supplier is a prime contractor (``reference/data/contractors.yaml``) joins the one key of a
      maker of its group with the same deployer (or none on either side) reported within ``CONTRACT_YEARS``
      (the contractor's known makers first); the joined key is the maker's, with the deployer either names;
   d. a key without a supplier joins the one supplier's key of its (group, deployer) — or of its group, when it
      names no deployer either.
3. Financing claims join the case they paid for (``survindex.cases.finance``).
4. Reviewers' decisions apply last, in the order they were taken: a split moves one claim to a case of its own,
   a merge moves the whole case of one claim into the case of another.

Claims with no country are never grouped automatically: each is a case of its own until a reviewer merges it.
Every step looks only inside blocks (a group, a (group, supplier), a (group, deployer)), so the work grows with
the number of claims, not with its square.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from survindex.cases.finance import attach_financing
from survindex.cases.model import Case, Key, Member, case_id
from survindex.cases.names import GOVERNMENT, contractor_makers, deployer_keys, supplier_key, words
from survindex.cases.summary import summarise
from survindex.model import vocabulary

NEAR_YEARS = 1  # a claim naming the government in general joins a specific deployer reported within a year of it
CONTRACT_YEARS = 3  # a contractor's and a maker's claims of one project: reported within three years of each other

__all__ = ["Decision", "group_country", "words"]
Block = tuple[str, ...]  # where a join looks for a key's candidates


@dataclass(frozen=True)
class Decision:
    """A reviewer's grouping decision: ``merge`` (the case of ``claim_b`` into the case of ``claim_a``) or
    ``split`` (``claim_a`` into a case of its own)."""

    kind: str
    claim_a: str
    claim_b: str | None = None


class _Keys:
    """The keys of a country's deployment claims, their years, and the joins of step 2."""

    def __init__(self, keys: dict[str, Key], years: dict[str, int | None]):
        self.keys = keys
        self.years: dict[Key, set[int]] = defaultdict(set)
        for cid, k in keys.items():
            if years[cid] is not None:
                self.years[k].add(years[cid])  # type: ignore[arg-type]
        self.present = set(keys.values())
        self.moved: dict[Key, Key] = {}

    def final(self, k: Key) -> Key:
        while k in self.moved:
            k = self.moved[k]
        return k

    def join(self, rule: Callable[[Key], bool], blocks: Callable[[Key], Sequence[Block]],
             candidate: Callable[[Key, Key], bool], home: Callable[[Key], Sequence[Block]] | None = None,
             accept: Callable[[Key, Key], bool] | None = None,
             target: Callable[[Key, Key], Key] | None = None) -> None:
        """Each key for which ``rule`` holds joins the one ``candidate`` key of its ``blocks`` (the blocks a key
        is in: ``home``, else ``blocks``), if ``accept`` agrees; both become ``target``'s key when given. Only a
        key's blocks are looked at, and only until a second candidate shows there is not exactly one."""
        index: dict[Block, list[Key]] = defaultdict(list)
        for k in sorted(self.present):
            for b in (home or blocks)(k):
                index[b].append(k)
        for k in sorted(self.present):
            if not rule(k):
                continue
            found = self._one(k, (x for b in blocks(k) for x in index.get(b, ())), candidate)
            if found is not None and (accept is None or accept(k, found)):
                into = target(k, found) if target else found
                self.moved[k] = into
                if into != found and found not in self.moved:
                    self.moved[found] = into
        self.present = {self.final(k) for k in self.present}
        for old, new in list(self.moved.items()):
            self.years[self.final(new)] |= self.years.pop(old, set())

    @staticmethod
    def _one(k: Key, near: Iterable[Key], candidate: Callable[[Key, Key], bool]) -> Key | None:
        """The one candidate among ``near``, else None."""
        found: Key | None = None
        for x in near:
            if x != k and x != found and candidate(k, x):
                if found is not None:
                    return None
                found = x
        return found

    def near(self, a: Key, b: Key, within: int) -> bool:
        """True when either key has no year or their year spans, widened by ``within``, overlap."""
        ya, yb = self.years.get(a), self.years.get(b)
        return not ya or not yb or (min(ya) - within <= max(yb) and min(yb) - within <= max(ya))


def _join_contractors(ks: _Keys) -> None:
    """Step 2c: first among the contractor's known makers, then among every maker of the group."""
    def rule(k: Key) -> bool:
        return contractor_makers(k[1]) is not None

    def fits(k: Key, x: Key) -> bool:
        return bool(x[1]) and contractor_makers(x[1]) is None and (x[2] == k[2] or not x[2] or not k[2]) \
            and ks.near(k, x, CONTRACT_YEARS)

    def target(k: Key, x: Key) -> Key:
        return x[0], x[1], x[2] or k[2]

    ks.join(rule, lambda k: [(k[0], "maker", m) for m in sorted(contractor_makers(k[1]) or ())], fits,
            home=lambda x: [(x[0], "maker", x[1])], target=target)
    ks.join(rule, lambda k: [(k[0], "deployer", k[2]), (k[0], "deployer", "")] if k[2] else [(k[0], "any")], fits,
            home=lambda x: [(x[0], "deployer", x[2]), (x[0], "any")], target=target)


def _auto_keys(deployments: Sequence[Member], country: str | None) -> dict[str, Key]:
    """Steps 1 and 2: each deployment claim id -> its key."""
    v = vocabulary()
    dkeys = deployer_keys((m.deployer for m in deployments if m.deployer), country)
    ks = _Keys({m.claim_id: (v.case_group(m.technology), supplier_key(m.supplier), dkeys.get(m.deployer or "", ""))
                for m in deployments}, {m.claim_id: m.year for m in deployments})
    ks.join(lambda k: k[2] == GOVERNMENT, lambda k: [k[:2]], lambda k, x: bool(x[2]) and x[2] != GOVERNMENT,
            accept=lambda k, x: ks.near(k, x, NEAR_YEARS))
    ks.join(lambda k: bool(k[1]) and not k[2], lambda k: [k[:2]], lambda k, x: bool(x[2]))
    _join_contractors(ks)
    ks.join(lambda k: not k[1] and bool(k[2]), lambda k: [(k[0], k[2])], lambda k, x: bool(x[1]))
    ks.join(lambda k: not k[1] and not k[2], lambda k: [k[:1]], lambda k, x: bool(x[1]))
    return {cid: ks.final(k) for cid, k in ks.keys.items()}


def _apply_decisions(keys: dict[str, Key], decisions: Sequence[Decision]) -> None:
    """Step 4, in place."""
    members: dict[Key, set[str]] = defaultdict(set)
    for cid, k in keys.items():
        members[k].add(cid)
    for d in decisions:
        if d.kind == "split" and d.claim_a in keys:
            members[keys[d.claim_a]].discard(d.claim_a)
            keys[d.claim_a] = ("split", d.claim_a)
            members[keys[d.claim_a]].add(d.claim_a)
        elif d.kind == "merge" and d.claim_a in keys and d.claim_b in keys:
            into, out = keys[d.claim_a], keys[d.claim_b]
            if into != out:
                for cid in members.pop(out, set()):
                    keys[cid] = into
                    members[into].add(cid)


def group_country(members: Sequence[Member], decisions: Sequence[Decision] = ()) -> list[Case]:
    """The cases of one country's deployment and financing claims (rejected ones included: a case whose claims
    were all rejected stays, rejected, so a re-run does not bring it back for review)."""
    by_id = {m.claim_id: m for m in members}
    country = members[0].country if members else None
    keys: dict[str, Key]
    if country is None:
        v = vocabulary()
        keys = {m.claim_id: (v.case_group(m.technology), supplier_key(m.supplier), "claim:" + m.claim_id)
                for m in members}
    else:
        keys = _auto_keys([m for m in members if m.kind == "deployment"], country)
        attach_financing([m for m in members if m.kind == "financing"], keys, by_id)
    _apply_decisions(keys, decisions)
    grouped: dict[Key, list[Member]] = {}
    for cid, k in keys.items():
        grouped.setdefault(k, []).append(by_id[cid])
    return [summarise(case_id(country, k), country, k, ms) for k, ms in sorted(grouped.items())]
