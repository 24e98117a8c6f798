"""What an import did: rows read, claims written, rows rejected and why, columns never read, unresolved names."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Problem:
    """A rejected row or an unreadable cell, with the row number a spreadsheet user sees."""

    row: int | None
    reason: str
    column: str | None = None
    location: str | None = None
    cell: bool = False  # one cell skipped (True) or the whole row rejected (False)

    def __str__(self) -> str:
        """``row 17: unknown country 'Narnia'`` or ``row 5, column 'Facial recognition': unrecognised …``."""
        where = f"row {self.row}" if self.row is not None else ""
        if self.column and self.cell:
            where += f", column {self.column!r}" if where else f"column {self.column!r}"
        return f"{where}: {self.reason}" if where else self.reason


@dataclass
class ImportReport:
    importer: str
    file: str
    run_id: str = ""
    kind: str | None = None  # header kind the file was recognised as (atlas, aiddata)
    sheet: str | None = None
    rows_read: int = 0
    documents_new: int = 0
    claims: int = 0  # claims produced from the file
    claims_new: int = 0  # of which were not in the store before
    countries: set[str] = field(default_factory=set)
    rejected: list[Problem] = field(default_factory=list)  # whole rows skipped
    cell_errors: list[Problem] = field(default_factory=list)  # single cells skipped, row kept
    unknown_countries: Counter[str] = field(default_factory=Counter)
    unresolved_suppliers: Counter[str] = field(default_factory=Counter)
    unmapped_labels: Counter[str] = field(default_factory=Counter)  # e.g. Atlas technologies mapped to "other"
    columns_never_read: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    encoding: str | None = None
    resolved_by_prefix: dict[str, str] = field(default_factory=dict)  # truncated name -> the one country (ISO3)
    published_checks: list[dict[str, Any]] = field(default_factory=list)  # a table's summary columns, row by row

    @property
    def problems(self) -> list[Problem]:
        return self.rejected + self.cell_errors

    def to_dict(self) -> dict[str, Any]:
        return {
            "importer": self.importer, "file": self.file, "run_id": self.run_id, "kind": self.kind,
            "sheet": self.sheet, "encoding": self.encoding, "rows_read": self.rows_read,
            "rows_rejected": len(self.rejected), "documents_new": self.documents_new, "claims": self.claims,
            "claims_new": self.claims_new, "countries": len(self.countries),
            "rejected": [_problem(p) for p in self.rejected],
            "cell_errors": [_problem(p) for p in self.cell_errors],
            "unknown_countries": dict(self.unknown_countries.most_common()),
            "unresolved_suppliers": dict(self.unresolved_suppliers.most_common()),
            "unmapped_labels": dict(self.unmapped_labels.most_common()),
            "columns_never_read": list(self.columns_never_read),
            "warnings": list(self.warnings),
            "resolved_by_prefix": dict(self.resolved_by_prefix),
            **({"published_checks": {"summary": check_summary(self.published_checks),
                                     "differences": [r for r in self.published_checks if not r["agrees"]]}}
               if self.published_checks else {}),
        }

    def render(self, limit: int = 20) -> str:
        """Plain-text summary for stderr; lists the first ``limit`` problems with their row numbers."""
        lines = [f"{self.importer}: {self.file}" + (f" [{self.kind}]" if self.kind else ""),
                 f"  rows read: {self.rows_read}; rejected: {len(self.rejected)}; cells skipped: "
                 f"{len(self.cell_errors)}",
                 f"  documents new: {self.documents_new}; claims: {self.claims} ({self.claims_new} new); "
                 f"countries: {len(self.countries)}"]
        lines += [f"  warning: {w}" for w in self.warnings]
        problems = self.problems
        if problems:
            lines.append(f"  problems ({len(problems)}):")
            lines += [f"    {p}" for p in problems[:limit]]
            if len(problems) > limit:
                lines.append(f"    … and {len(problems) - limit} more (use --json for all)")
        for title, counter in (("not resolved to one country", self.unknown_countries),
                               ("unresolved suppliers (kept, proposed for review)", self.unresolved_suppliers),
                               ("labels mapped to 'other'", self.unmapped_labels)):
            if counter:
                lines.append(f"  {title}: " + ", ".join(f"{k} ({n})" for k, n in counter.most_common(limit)))
        if self.columns_never_read:
            lines.append("  columns never read: " + ", ".join(self.columns_never_read))
        if self.resolved_by_prefix:
            lines.append("  truncated names resolved as the one country they begin: " + ", ".join(
                f"{k!r} → {v}" for k, v in sorted(self.resolved_by_prefix.items())))
        lines += self._render_checks(limit)
        return "\n".join(lines)

    def _render_checks(self, limit: int) -> list[str]:
        if not self.published_checks:
            return []
        lines = ["  published columns checked against survindex: " + "; ".join(
            f"{c}: {s['agree']}/{s['checked']} agree" for c, s in check_summary(self.published_checks).items())]
        differ = [r for r in self.published_checks if not r["agrees"]]
        lines += [f"    row {r['row']} {r['country']}, {r['column']}: published {r['published']!r}, computed "
                  f"{r['computed']!r}" for r in differ[:limit]]
        if len(differ) > limit:
            lines.append(f"    … and {len(differ) - limit} more differences (use --json for all)")
        return lines


def check_summary(results: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Per checked column: rows checked, rows that agree, rows that differ."""
    out: dict[str, dict[str, int]] = {}
    for r in results:
        s = out.setdefault(r["column"], {"checked": 0, "agree": 0, "differ": 0})
        s["checked"] += 1
        s["agree" if r["agrees"] else "differ"] += 1
    return out


def _problem(p: Problem) -> dict[str, Any]:
    return {"row": p.row, "column": p.column, "reason": p.reason, "location": p.location}
