"""``survindex stats``: the index computed from the stored claims."""

from __future__ import annotations

import gc
import json
from datetime import date, timedelta
from typing import Any

import click

from survindex.cli.common import db_option, fail, opened_store


def parse_as_of(value: str | None) -> date | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` -> the last day it names."""
    if not value:
        return None
    parts = value.split("-")
    try:
        if len(parts) == 1:
            return date(int(parts[0]), 12, 31)
        if len(parts) == 2:
            y, m = int(parts[0]), int(parts[1])
            return (date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1)) - timedelta(days=1)
        return date.fromisoformat(value)
    except ValueError as exc:
        raise fail("--as-of", f"{value!r} is not a date ({exc})", "Use YYYY, YYYY-MM or YYYY-MM-DD.") from exc


def index_options(f: Any) -> Any:
    """Options shared by ``stats`` and ``build``: which claims count, as of when."""
    f = click.option("--as-of", "as_of", metavar="DATE",
                     help="Count claims dated up to this date (YYYY, YYYY-MM or YYYY-MM-DD); default: all.")(f)
    f = click.option("--min-confidence", type=click.FloatRange(0, 1), default=None,
                     help="With --status all: leave out unreviewed claims below this confidence.")(f)
    f = click.option("--status", type=click.Choice(["accepted", "all"]), default="accepted", show_default=True,
                     help="accepted: reviewed-and-accepted claims only; all: also unreviewed (never rejected).")(f)
    return db_option(f)


def compute_from_db(db: str, status: str, min_confidence: float | None, as_of: str | None,
                    detail: bool = False) -> dict[str, Any]:
    """The index of the stored claims: from SQL GROUP BY rows (``store.aggregates``), or with ``detail`` from
    every claim (the claim ids behind each figure)."""
    from survindex.index import compute, compute_aggregates, load
    from survindex.store.aggregates import index_aggregates
    from survindex.store.case_reads import claim_cases

    day = parse_as_of(as_of)
    with opened_store(db, read_only=True) as store:
        if detail:
            return compute(load(store, status=status, min_confidence=min_confidence, as_of=day), as_of=day,
                           case_of=claim_cases(store))
        return compute_aggregates(index_aggregates(store, status, min_confidence, day), as_of=day)


def _table(index: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    t = Table(title=f"survindex: {index['countries']} countries", show_lines=False)
    t.add_column("figure")
    t.add_column("key")
    t.add_column("countries", justify="right")
    for table in ("by_aigs_category", "by_technology", "by_supplier", "by_supplier_country"):
        for key, n in list(index[table].items())[:15]:
            if n:
                t.add_row(table, key, str(n))
    t.add_row("bri", "members / with technology", f"{index['bri']['members']} / {index['bri']['with_technology']}")
    for fin, f in index["financing"].items():
        t.add_row("financing", fin, f"{f['countries']} ({f['projects']} projects)")
    console.print(t)
    for f in index["published_figures"]:
        console.print(f"published {f['qualifier'] or ''} {f['published']} ({f['subject']}) vs computed "
                      f"{f['computed']} (in {f['year']}: {f['computed_in_year']}): {f['quote'][:100]}", markup=False, highlight=False)
    for line in index["headlines"]:
        console.print("• " + line, markup=False, highlight=False)
    targeted = index.get("targeted") or {}
    if targeted.get("governments"):
        j = targeted["joined"]
        console.print(f"targeted surveillance: {targeted['governments']} governments; with mass AI surveillance too: "
                      f"{j['both']}; mass only {j['mass_only']}, targeted only {j['targeted_only']}", markup=False)
        for f in targeted["published_figures"]:
            console.print(f"published {f['published']} vs computed {f['computed']}: {f['text']}", markup=False,
                          highlight=False)


@click.command("stats")
@index_options
@click.option("--json", "as_json", is_flag=True, help="Print the index as JSON.")
@click.option("--detail", is_flag=True, help="With --json: include per-country profiles and evidence claim ids.")
def stats(db: str, status: str, min_confidence: float | None, as_of: str | None, as_json: bool,
          detail: bool) -> None:
    """Print the index computed from the stored claims (countries, technologies, suppliers, BRI, ...)."""
    from survindex.index import summary

    gc.disable()  # one short computation of many small tuples and dicts, none of them garbage until it ends: the
    # collector walked them again and again (a quarter of the index's Python time at 1M claims)
    try:
        index = compute_from_db(db, status, min_confidence, as_of, detail=as_json and detail)
    finally:
        gc.enable()
    if as_json:
        click.echo(json.dumps(index if detail else summary(index), indent=2, ensure_ascii=False))
    else:
        _table(index)


def register(group: click.Group) -> None:
    group.add_command(stats)
