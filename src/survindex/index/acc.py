"""What the index accumulates while it reads claims or grouped rows: country sets and the claim ids behind them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from survindex.index._ref import Reference


@dataclass
class Acc:
    """Accumulates country sets and the claim ids behind them (no ids when built from grouped rows)."""

    countries: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    by: dict[str, dict[str, dict[str, list[str]]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(lambda: defaultdict(list))))
    first_year: dict[str, int] = field(default_factory=dict)
    claims_by_year: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    financing: dict[str, dict[tuple[str, str], float | None]] = field(default_factory=lambda: defaultdict(dict))
    cases: int = 0  # deployment cases
    new_cases: dict[int, int] = field(default_factory=lambda: defaultdict(int))  # cases by first dated year

    def add(self, table: str, key: str, country: str, claim_id: str | None = None) -> None:
        ids = self.by[table][key][country]
        if claim_id is not None:
            ids.append(claim_id)

    def project(self, financier: str, project: str, country: str, amount: float | None) -> None:
        """A financed project (its case, else its document, in a country): its amount is the largest stated."""
        old = self.financing[financier].get((project, country))
        self.financing[financier][(project, country)] = amount if old is None else max(old, amount or 0.0)

    def case(self, first_dated: int | None, n: int = 1) -> None:
        self.cases += n
        if first_dated is not None:
            self.new_cases[first_dated] += n


def hq_country(supplier: str | None, supplier_country: str | None, resolved: bool, ref: Reference) -> str | None:
    """The supplier's headquarters: as stated, else from the registry for a resolved supplier."""
    if supplier_country:
        return supplier_country
    if supplier and resolved:
        return ref.hq_country(supplier)
    return None


@cache
def contractor(supplier: str | None) -> bool:
    """Whether ``supplier`` is a prime contractor (``reference/data/contractors.yaml``): in a case that also names
    a maker, the maker is the case's supplier and the contractor is not counted as one."""
    from survindex.cases.names import contractor_makers

    return bool(supplier) and contractor_makers(str(supplier)) is not None  # stored names are registry names
