"""The ``survindex`` command: a thin group; each area registers its commands from its own module."""

from __future__ import annotations

import errno
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


_NO_SPACE = (errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EROFS)


class _Group(click.Group):
    """Errors of the environment (a full disk, a read-only or too new database, a bad setting) end a command with
    the one error line, never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        from survindex.settings import SettingError
        from survindex.store import SchemaTooNew, StorageError

        try:
            return super().invoke(ctx)
        except (StorageError, SchemaTooNew, SettingError) as exc:
            raise UserError(str(exc)) from None
        except OSError as exc:
            if exc.errno not in _NO_SPACE:
                raise
            raise UserError(f"cannot write a file: {exc.strerror} ({exc.filename or 'a temporary file'}). Free "
                            "space (or raise the file-size limit) and run the command again: what was committed "
                            "is kept and the run resumes") from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100, "terminal_width": 100})
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
