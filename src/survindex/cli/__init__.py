"""The ``survindex`` command: a thin group; each area registers its commands from its own module."""

from __future__ import annotations

import importlib

import click

from survindex import __version__

# Modules that each define ``register(group)``; one per area so the CLI stays thin and files stay small.
COMMAND_MODULES = (
    "survindex.cli.model",
    "survindex.cli.imports",
    "survindex.cli.reference",
    "survindex.cli.ingest",
    "survindex.cli.extract",
    "survindex.cli.index",
    "survindex.cli.cases",
    "survindex.cli.build",
    "survindex.cli.web",
)


class UserError(click.ClickException):
    """Printed by click as ``Error: <what> <why> <how to fix>``, exit status 1."""


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100, "terminal_width": 100})
@click.version_option(__version__, prog_name="survindex")
def cli() -> None:
    """survindex: where AI surveillance technology is deployed, who supplies it, who pays for it.

    Turns reports, articles, datasets and loan records into cited claims and computes the index from them.
    The database is a SQLite file (--db or SURVINDEX_DB, default ./survindex.db) or a PostgreSQL URL.
    """


for _name in COMMAND_MODULES:
    try:
        _module = importlib.import_module(_name)
    except ModuleNotFoundError as exc:  # an area not built yet
        if exc.name != _name:
            raise
        continue
    _module.register(cli)


def main() -> None:
    cli(prog_name="survindex")


if __name__ == "__main__":  # pragma: no cover
    main()
