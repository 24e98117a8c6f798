"""``survindex import table|atlas|aiddata|spyware-inventory``: thin wrappers over ``survindex.ingest.datasets``."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from survindex.cli.common import db_option, fail, opened_store
from survindex.model import STATUSES

_FIX_FILE = "Give a CSV (UTF-8) or XLSX table; nothing was written"


@click.group("import")
def import_group() -> None:
    """Import a published dataset: a country table (AIGS), EFF's Atlas CSV, AidData's GCDF rows or Carnegie's
    spyware & digital forensics inventory.

    Each import runs in one transaction (all or nothing), can be repeated without creating duplicates, and reports
    on stderr the rows read, claims written, rows rejected with their row numbers and the columns it never read.
    """


def _json_option(f: Callable[..., None]) -> Callable[..., None]:
    return click.option("--json", "as_json", is_flag=True, help="Print the report as JSON on stdout.")(f)


def _status_option(default: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    return click.option("--status", type=click.Choice(STATUSES), default=default, show_default=True,
                        help="Review status of the new claims.")


@contextmanager
def _errors(file: Path) -> Iterator[None]:
    """Turn the library's named errors into the one CLI error shape."""
    from survindex.ingest.datasets import FileFormatError, ImportFailed, MappingError, UnknownSource
    from survindex.ingest.datasets.checks import CheckError

    what = f"cannot import {file}"
    if not file.is_file():
        raise fail(what, "no such file", "Check the path")
    try:
        yield
    except FileFormatError as exc:
        raise fail(what, str(exc), _FIX_FILE) from None
    except (MappingError, UnknownSource, CheckError) as exc:
        raise fail(what, str(exc).strip("'\""), "Fix the option and run the import again; nothing was written") \
            from None
    except ImportFailed as exc:
        raise fail(what, str(exc), "Nothing was written; fix the cause and run the import again") from None


def _run_importer(importer: Callable[..., object], file: Path, status: str, as_json: bool, db: str) -> None:
    """Run one dataset importer on ``file`` into the store at ``db`` and show its report."""
    with _errors(file), opened_store(db) as store:
        report = importer(store, file, status=status)
    _show(report, as_json)


def _show(report: object, as_json: bool) -> None:
    from survindex.ingest.datasets import ImportReport

    assert isinstance(report, ImportReport)
    click.echo(report.render(), err=True)
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))


@import_group.command("table", short_help="Import a country table (CSV/XLSX) such as Carnegie's AIGS.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dataset", help="A declared dataset (e.g. aigs) whose column mapping and citation are the defaults.")
@click.option("--country-column", metavar="NAME", help="Column holding the country name or ISO code.")
@click.option("--column", "columns", multiple=True, metavar="SRC=TECH_KEY",
              help="A technology flag column and its technology key (repeatable); flags: x/N, ✔, 1/0, yes/no.")
@click.option("--suppliers-column", metavar="NAME", help="Column of company names separated by , ; / or 'and'.")
@click.option("--supplier-flag", "supplier_flags", multiple=True, metavar="COLUMN[=COMPANY]",
              help="A flag column per supplier (Carnegie's workbook: Huawei, ZTE, …); COMPANY defaults to the "
                   "column name (repeatable).")
@click.option("--check", "checks", multiple=True, metavar="COLUMN=WHAT",
              help="A summary column of the table checked row by row against survindex (repeatable); WHAT: regime, "
                   "bri, technology_count or supplier_country:ISO3. Differences are listed in the report.")
@click.option("--sheet", help="XLSX sheet to read (default: the first).")
@click.option("--source-title", help="Title of the dataset, for citations.")
@click.option("--source-url", help="Where the dataset is published.")
@click.option("--publisher", help="Who publishes the dataset.")
@click.option("--year", type=int, help="Year the table describes; stamped on every claim.")
@_status_option("accepted")
@_json_option
@db_option
def import_table_cmd(file: Path, dataset: str | None, country_column: str | None, columns: tuple[str, ...],
                     suppliers_column: str | None, supplier_flags: tuple[str, ...], checks: tuple[str, ...],
                     sheet: str | None, source_title: str | None,
                     source_url: str | None, publisher: str | None, year: int | None, status: str, as_json: bool,
                     db: str) -> None:
    """Import a country table (CSV or XLSX) such as Carnegie's AIGS: one deployment claim per country and
    flagged technology, and one per country and supplier. A country name cut short ("United Kingdo") resolves when
    it begins one country's name only, and is reported; summary columns given with --check are compared row by row
    with what survindex computes."""
    from survindex.ingest.datasets import TableMapping, import_table, parse_columns, parse_supplier_flags, source
    from survindex.ingest.datasets.checks import parse_checks

    with _errors(file):
        declared = source(dataset) if dataset else None
        options = dict(country_column=country_column, columns=parse_columns(columns),
                       suppliers_column=suppliers_column, supplier_flags=parse_supplier_flags(supplier_flags),
                       checks=parse_checks(checks), sheet=sheet, title=source_title, url=source_url,
                       publisher=publisher, year=year, status=status)
        if declared is not None:
            mapping = TableMapping.from_source(declared, **options)
        elif not country_column:
            raise fail(f"cannot import {file}", "--country-column is missing",
                       "Name the column that holds the country, e.g. --country-column Country")
        else:
            mapping = TableMapping(**options)  # type: ignore[arg-type]
        with opened_store(db) as store:
            report = import_table(store, file, mapping, declared)
    _show(report, as_json)


@import_group.command("atlas", short_help="Import an EFF Atlas of Surveillance CSV.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@_status_option("accepted")
@_json_option
@db_option
def import_atlas_cmd(file: Path, status: str, as_json: bool, db: str) -> None:
    """Import an EFF Atlas of Surveillance CSV (current export, border-communities or campus layout): one document
    per row (its summary) and a deployment claim with the agency's technology and vendor, country USA."""
    from survindex.ingest.datasets import import_atlas

    _run_importer(import_atlas, file, status, as_json, db)


@import_group.command("aiddata", short_help="Import AidData GCDF project rows (financing claims).")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@_status_option("unreviewed")
@_json_option
@db_option
def import_aiddata_cmd(file: Path, status: str, as_json: bool, db: str) -> None:
    """Import AidData GCDF 3.0 project rows: every project a document (title and description) and a financing
    claim from its columns (recipient, commitment year, amount in constant 2021 USD, flow type)."""
    from survindex.ingest.datasets import import_aiddata

    _run_importer(import_aiddata, file, status, as_json, db)


@import_group.command("spyware-inventory", short_help="Import Carnegie's spyware & digital forensics inventory.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@_status_option("accepted")
@_json_option
@db_option
def import_spyware_cmd(file: Path, status: str, as_json: bool, db: str) -> None:
    """Import Carnegie's Global Inventory of Commercial Spyware & Digital Forensics (CSV, V10 layout): one
    deployment claim per row (country, vendor, spyware or digital forensics), quoting its description, each source
    URL a citation (Wayback links as archive copies), Country of origin kept per row, lower-confidence rows at
    lower confidence."""
    from survindex.ingest.datasets import import_spyware_inventory

    _run_importer(import_spyware_inventory, file, status, as_json, db)


@import_group.command("datasets", short_help="List the declared datasets (for --dataset).")
@_json_option
def datasets_cmd(as_json: bool) -> None:
    """List the declared datasets: name, importer, title, publisher, URL and licence."""
    from dataclasses import asdict

    from survindex.ingest.datasets import sources

    declared = sources()
    if as_json:
        click.echo(json.dumps([asdict(d) for d in declared.values()], ensure_ascii=False, indent=2, default=dict))
        return
    for d in declared.values():
        click.echo(f"{d.name}\t{d.importer}\t{d.title} ({d.publisher}; {d.licence})\t{d.url}")


def register(group: click.Group) -> None:
    group.add_command(import_group)
