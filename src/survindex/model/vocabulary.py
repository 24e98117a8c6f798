"""The vocabulary as data: loaded once from ``vocabulary.yaml`` in this package."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from survindex.model import yamlio


@dataclass(frozen=True)
class Technology:
    key: str
    label: str
    aigs: str | None
    description: str
    synonyms: tuple[str, ...]
    targeted: str | None = None  # category in Carnegie's spyware & digital forensics inventory


@dataclass(frozen=True)
class Vocabulary:
    technologies: dict[str, Technology]
    aigs_categories: dict[str, str]
    targeted_categories: dict[str, str]
    case_groups: dict[str, tuple[str, ...]]
    claim_kinds: dict[str, str]
    review_statuses: tuple[str, ...]
    stages: dict[str, str]
    flow_types: tuple[str, ...]
    regime_types: dict[str, str]

    def aigs_for(self, technology: str | None) -> str | None:
        """The Carnegie AIGS category of a technology key, or None."""
        tech = self.technologies.get(technology or "")
        return tech.aigs if tech else None

    def case_group(self, technology: str | None) -> str:
        """The group of technologies a case may hold together with this one (its own key when it has none)."""
        for group, members in self.case_groups.items():
            if technology in members:
                return group
        return technology or "unknown"

    def targeted_for(self, technology: str | None) -> str | None:
        """The category of a technology in Carnegie's spyware & digital forensics inventory, or None."""
        tech = self.technologies.get(technology or "")
        return tech.targeted if tech else None


def _load_yaml() -> dict[str, Any]:
    text = resources.files("survindex.model").joinpath("vocabulary.yaml").read_text("utf-8")
    data: dict[str, Any] = yamlio.load(text)
    return data


@cache
def vocabulary() -> Vocabulary:
    data = _load_yaml()
    techs = {
        key: Technology(
            key=key,
            label=v["label"],
            aigs=v.get("aigs"),
            description=v.get("description", ""),
            synonyms=tuple(v.get("synonyms") or ()),
            targeted=v.get("targeted"),
        )
        for key, v in data["technologies"].items()
    }
    for t in techs.values():
        if t.aigs is not None and t.aigs not in data["aigs_categories"]:
            raise ValueError(f"technology {t.key!r} names unknown AIGS category {t.aigs!r}")
        if t.targeted is not None and t.targeted not in data["targeted_categories"]:
            raise ValueError(f"technology {t.key!r} names unknown targeted category {t.targeted!r}")
    return Vocabulary(
        technologies=techs,
        aigs_categories=dict(data["aigs_categories"]),
        targeted_categories=dict(data["targeted_categories"]),
        case_groups={k: tuple(v) for k, v in (data.get("case_groups") or {}).items()},
        claim_kinds=dict(data["claim_kinds"]),
        review_statuses=tuple(data["review_statuses"]),
        stages=dict(data["stages"]),
        flow_types=tuple(data["flow_types"]),
        regime_types=dict(data["regime_types"]),
    )


TECHNOLOGY_KEYS: tuple[str, ...] = tuple(vocabulary().technologies)
AIGS_CATEGORIES: tuple[str, ...] = tuple(vocabulary().aigs_categories)
TARGETED_CATEGORIES: tuple[str, ...] = tuple(vocabulary().targeted_categories)
CLAIM_KINDS: tuple[str, ...] = tuple(vocabulary().claim_kinds)
STATUSES: tuple[str, ...] = vocabulary().review_statuses
STAGES: tuple[str, ...] = tuple(vocabulary().stages)
