"""``survindex cases``: deployment records (cases) for scripts, one JSON object a line, and their upkeep."""

from __future__ import annotations

from typing import Any

import click
import orjson

from survindex.cli.common import db_option, fail, opened_store

FIELDS = ("id", "country", "technology", "technologies", "supplier", "supplier_country", "deployer", "stage",
          "first_reported", "last_reported", "sources", "claims", "status", "confidence", "unreviewed", "stages",
          "financing", "quote_claim", "quote")


def line(case: dict[str, Any], claim_ids: list[str]) -> dict[str, Any]:
    """A case as ``survindex cases`` prints it: ``claims`` is the list of its claim ids."""
    out = {k: case.get(k) for k in FIELDS}
    out["claims"] = claim_ids
    return out


@click.command("cases")
@db_option
@click.option("--status", type=click.Choice(["accepted", "unreviewed", "rejected", "all"]), default="accepted",
              show_default=True, help="Which cases: accepted (a reviewer accepted a claim of it), unreviewed, "
                                      "rejected, or all.")
@click.option("--country", metavar="ISO3", default=None, help="Only this country's cases.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line (id, country, technology, supplier, "
                                                      "stage, first/last_reported, sources, claims, status, …).")
@click.option("--rebuild", is_flag=True, help="Rebuild every country's cases from its claims first.")
def cases_cmd(db: str, status: str, country: str | None, as_json: bool, rebuild: bool) -> None:
    """Deployment records: one per (country, technology, supplier, deploying body or project), built from the
    claims of every source that reports it, with its independent sources, stage history and financing.

    Cases are kept current by every command that writes claims; the countries still marked are rebuilt here
    first. Without --json, prints a table.
    """
    from survindex.store import cases

    if country is not None and (len(country) != 3 or not country.isalpha()):
        raise fail("--country", f"{country!r} is not an ISO 3166 alpha-3 code", "Use e.g. PAK or KEN.")
    with opened_store(db) as store:
        refreshed = store.refresh_cases(everything=rebuild)
        f = cases.CaseFilter(status=None if status == "all" else status, country=country.upper() if country else None)
        rows = cases.iter_cases(store, f, with_claims=as_json)
        if not as_json:
            _table(list(rows), refreshed)
            return
        for case in rows:
            click.echo(orjson.dumps(line(case, case["claim_ids"])).decode())


def _table(rows: list[dict[str, Any]], refreshed: int) -> None:
    from rich.console import Console
    from rich.table import Table

    t = Table(title=f"{len(rows)} cases" + (f" ({refreshed} countries rebuilt)" if refreshed else ""))
    for col in ("id", "country", "technology", "supplier", "stage", "first", "last", "sources", "claims", "status"):
        t.add_column(col)
    for r in sorted(rows, key=lambda r: (-r["sources"], -r["confidence"], r["id"])):
        t.add_row(r["id"], r["country"] or "", r["technology"] or "", r["supplier"] or "unknown", r["stage"],
                  r["first_reported"] or "", r["last_reported"] or "", str(r["sources"]), str(r["claims"]),
                  r["status"])
    Console().print(t)


def register(group: click.Group) -> None:
    group.add_command(cases_cmd)
