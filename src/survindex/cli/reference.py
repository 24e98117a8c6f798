"""``survindex reference``: look up, list and refresh the reference tables."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import click

from survindex.cli.common import fail

KINDS = ("country", "company", "financier")
TABLES = ("countries", "companies", "financiers")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


def _lookup(kind: str, text: str) -> Any:
    from survindex import reference as ref

    if kind == "country":
        c = ref.resolve_country(text)
        if c is None:
            return None
        return {**dataclasses.asdict(c), "bri_member": ref.is_bri_member(c.iso3),
                "bri_mou": _iso(ref.bri_members().get(c.iso3)), "regime": ref.regime(c.iso3)}
    found = ref.resolve_company(text) if kind == "company" else ref.resolve_financier(text)
    return dataclasses.asdict(found) if found is not None else None


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _rows(table: str) -> list[dict[str, Any]]:
    from survindex import reference as ref

    getters: dict[str, Any] = {"countries": ref.countries, "companies": ref.companies, "financiers": ref.financiers}
    items: list[Any] = getters[table]()
    return [dataclasses.asdict(i) for i in items]


def _line(table: str, row: dict[str, Any]) -> str:
    if table == "countries":
        return f"{row['iso3']}\t{row['iso2'] or ''}\t{row['name']}"
    if table == "companies":
        return f"{row['canonical']}\t{row['hq_country']}\t{row['kind']}"
    return f"{row['canonical']}\t{row['country']}\t{row['type']}"


def _refresh(what: str, file: Path, out: Path | None) -> None:
    from survindex import reference as ref

    try:
        report = ref.refresh_bri(file, out) if what == "bri" else ref.refresh_regimes(file, out)
    except (OSError, UnicodeDecodeError, ref.ReferenceImportError) as exc:
        raise fail(f"cannot refresh {what} from {file}", str(exc).rstrip("."),
                   "Pass the publisher's own CSV file (see survindex reference sources)") from None
    click.echo(_json(report))


@click.group("reference")
def reference() -> None:
    """Reference data: countries, companies, financiers, BRI membership, regime types."""


@reference.command("lookup")
@click.argument("kind", type=click.Choice(KINDS))
@click.argument("text")
def lookup(kind: str, text: str) -> None:
    """Resolve TEXT to a country, company or financier and print it as JSON."""
    found = _lookup(kind, text)
    if found is None:
        raise fail(f"no {kind} matches {text!r}", "it is not a known name, alias, code or misspelling",
                   "Check the spelling, or list the known ones with: "
                   f"survindex reference list {TABLES[KINDS.index(kind)]}")
    click.echo(_json(found))


@reference.command("list")
@click.argument("table", type=click.Choice(TABLES))
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tab-separated lines.")
def list_(table: str, as_json: bool) -> None:
    """List every country, company or financier."""
    rows = _rows(table)
    click.echo(_json(rows) if as_json else "\n".join(_line(table, r) for r in rows))


@reference.command("sources")
def sources_() -> None:
    """Print where each reference table comes from (JSON)."""
    from survindex import reference as ref

    click.echo(_json(ref.sources()))


@reference.group("refresh")
def refresh() -> None:
    """Rebuild a derived table from the publisher's own file.

    Writes to --out, else to $SURVINDEX_REFERENCE_DIR if set, else into the installed package."""


_out_option = click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
                          help="Directory for the table (default: $SURVINDEX_REFERENCE_DIR, "
                               "else the package data).")
_file_argument = click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))


@refresh.command("bri")
@_file_argument
@_out_option
def refresh_bri(file: Path, out: Path | None) -> None:
    """bri.csv from GFDC's "Countries of the Belt and Road Initiative" CSV."""
    _refresh("bri", file, out)


@refresh.command("regimes")
@_file_argument
@_out_option
def refresh_regimes(file: Path, out: Path | None) -> None:
    """regimes.csv from OWID's "political-regime" CSV (V-Dem Regimes of the World), 1990 onwards."""
    _refresh("regimes", file, out)


def register(group: click.Group) -> None:
    group.add_command(reference)
