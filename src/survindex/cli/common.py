"""Options and helpers shared by the CLI modules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def db_option(f: F) -> F:
    """``--db``: a SQLite path or database URL; default SURVINDEX_DB or ./survindex.db."""
    return click.option(
        "--db", "db", envvar="SURVINDEX_DB", default="survindex.db", show_default=True,
        help="SQLite file or database URL (postgresql://…). Env: SURVINDEX_DB.",
    )(f)


def fail(what: str, why: str, fix: str) -> "click.ClickException":
    """The one error shape: ``Error: <what> <why> <how to fix>``."""
    from survindex.cli import UserError

    return UserError(f"{what}: {why}. {fix}")
