"""Public bodies (agencies, police forces, ministries, intelligence services, cities, heads of government) and the
state each belongs to: the deployer of a claim resolved from the name a text gives it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from survindex.reference._data import load_yaml

KINDS = frozenset({"agency", "police", "intelligence", "military", "ministry", "city", "leader"})


@dataclass(frozen=True)
class PublicBody:
    name: str
    country: str  # ISO3, or "EU" for a body of the European Union
    kind: str
    aliases: tuple[str, ...]
    source: str

    @property
    def state(self) -> str | None:
        """The ISO3 code of its state (None for a supranational body)."""
        return None if self.country == "EU" else self.country


@cache
def public_bodies() -> list[PublicBody]:
    """Every row of ``public_bodies.yaml``; a row with an unknown field or kind raises ``ValueError``."""
    out: list[PublicBody] = []
    for i, row in enumerate(load_yaml("public_bodies.yaml")["bodies"]):
        extra = set(row) - {"name", "country", "kind", "aliases", "source"}
        if extra or row.get("kind") not in KINDS or not row.get("source"):
            raise ValueError(f"public_bodies.yaml row {i + 1}: unknown fields {sorted(extra)} or kind/source missing")
        out.append(PublicBody(str(row["name"]), str(row["country"]), str(row["kind"]),
                              tuple(str(a) for a in row.get("aliases") or ()), str(row["source"])))
    return out
