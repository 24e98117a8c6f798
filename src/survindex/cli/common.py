"""Options and helpers shared by the CLI modules."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from survindex.store import Store

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


@contextmanager
def opened_store(db: str, read_only: bool = False) -> Iterator[Store]:
    """The store at ``db`` (path or URL), closed when the block ends, however it ends; ``read_only`` for the
    commands that only read (they then work on a read-only file, directory or database user)."""
    from survindex.store import open_store

    store = open_store(db, read_only=read_only)
    try:
        yield store
    finally:
        store.close()
