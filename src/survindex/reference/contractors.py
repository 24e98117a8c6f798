"""Prime contractors (``contractors.yaml``): companies that deliver a project someone else's equipment makes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from survindex.reference._data import load_yaml

KINDS = frozenset({"operator", "integrator", "trading"})
FIELDS = frozenset({"name", "country", "kind", "aliases", "makers", "source"})


@dataclass(frozen=True)
class Contractor:
    name: str
    country: str  # ISO3 of its headquarters
    kind: str
    aliases: tuple[str, ...]
    makers: tuple[str, ...]  # canonical names (companies.yaml) of the makers it is reported delivering with
    source: str


@cache
def contractors() -> list[Contractor]:
    """Every row of ``contractors.yaml``; a row with an unknown field or kind, or no source, raises ``ValueError``."""
    out: list[Contractor] = []
    for i, row in enumerate(load_yaml("contractors.yaml")["contractors"]):
        if set(row) - FIELDS or row.get("kind") not in KINDS or not row.get("source") or not row.get("name"):
            raise ValueError(f"contractors.yaml row {i + 1}: unknown fields {sorted(set(row) - FIELDS)} or "
                             "name/kind/source missing")
        out.append(Contractor(str(row["name"]), str(row["country"]), str(row["kind"]),
                              tuple(str(a) for a in row.get("aliases") or ()),
                              tuple(str(m) for m in row.get("makers") or ()), str(row["source"])))
    return out
