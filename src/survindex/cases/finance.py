"""Step 3 of grouping: each financing claim joins the deployment case it paid for.

A loan or grant joins a case of the same technology group signed at most ``YEARS_BEFORE`` years before the case's
first dated report and ``YEARS_AFTER`` after its last: the one with the most words of the loan's project in common
(its deployer and quote against the case's deployers and quotes), then the most claims. Words that more than
``COMMON_WORDS`` cases of the group share say nothing about which one a loan paid for and are not counted. A loan
that shares no word with any case joins the biggest case of its window; a loan for a project no deployment claim
reports (no case of its group in its window) makes a case of its own, with the other loans for that project."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from survindex.cases.model import Key, Member
from survindex.cases.names import deployer_keys, supplier_key, words
from survindex.model import vocabulary

# A loan is signed before the deployment it pays for is reported (often years before), rarely long after.
YEARS_BEFORE, YEARS_AFTER = 10, 3
COMMON_WORDS = 50


@dataclass(frozen=True)
class _Target:
    key: Key
    years: tuple[int, int] | None
    words: frozenset[str]
    size: int

    def fits(self, year: int | None) -> bool:
        return year is None or self.years is None or \
            self.years[0] - YEARS_BEFORE <= year <= self.years[1] + YEARS_AFTER

    def rank(self) -> tuple[int, Key]:
        return self.size, tuple(reversed(self.key))


class _Group:
    """The deployment cases of one technology group, with an index of their informative words."""

    def __init__(self, targets: list[_Target]):
        self.by_size = sorted(targets, key=_Target.rank, reverse=True)
        index: dict[str, list[_Target]] = defaultdict(list)
        for t in targets:
            for w in t.words:
                index[w].append(t)
        self.index = {w: ts for w, ts in index.items() if len(ts) <= COMMON_WORDS}

    def best(self, project: set[str], year: int | None) -> Key | None:
        found: dict[Key, tuple[_Target, int]] = {}
        for w in project:
            for t in self.index.get(w, ()):
                if t.fits(year):
                    found[t.key] = (t, found[t.key][1] + 1 if t.key in found else 1)
        if found:
            return max(found.values(), key=lambda tn: (tn[1], tn[0].rank()))[0].key
        return next((t.key for t in self.by_size if t.fits(year)), None)


def _groups(keys: dict[str, Key], by_id: dict[str, Member]) -> dict[str, _Group]:
    members: dict[Key, list[Member]] = defaultdict(list)
    for cid, k in keys.items():
        members[k].append(by_id[cid])
    targets: dict[str, list[_Target]] = defaultdict(list)
    for k, ms in members.items():
        years = [m.year for m in ms if m.year is not None]
        told = frozenset(w for m in ms for w in (*words(m.deployer), *words(m.quote)))
        targets[k[0]].append(_Target(k, (min(years), max(years)) if years else None, told, len(ms)))
    return {g: _Group(ts) for g, ts in targets.items()}


def attach_financing(financing: Sequence[Member], keys: dict[str, Key], by_id: dict[str, Member]) -> None:
    """Step 3, in place: ``keys`` (deployment claim id -> case key) gains a key for each financing claim."""
    if not financing:
        return
    v = vocabulary()
    groups = _groups(keys, by_id)
    country = financing[0].country
    dkeys = deployer_keys((m.deployer for m in financing if m.deployer), country)
    for f in financing:
        group = v.case_group(f.technology)
        project = set(words(f.deployer)) | set(words(f.quote))
        found = groups[group].best(project, f.year) if group in groups else None
        keys[f.claim_id] = found or (group, supplier_key(f.supplier), "finance:" + dkeys.get(f.deployer or "", ""))
