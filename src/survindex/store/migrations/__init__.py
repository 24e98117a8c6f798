"""Named, append-only schema migrations.

Each module ``mNNNN_<name>.py`` holds one migration: a function ``upgrade(conn)`` that makes exactly its own
table changes, written against the schema as the previous migration left it (never against today's table
definitions in ``survindex.store.schema``, which describe the newest schema for queries). A database records how
many migrations it has run (``meta.schema_version``) and their names (``meta.migrations``). Append a module,
never edit or renumber one that has been released; ``tests/test_migrations.py`` migrates a database written by
the previous release and checks that a fresh database and a migrated one end with the same schema.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection


@dataclass(frozen=True)
class Migration:
    number: int
    name: str
    upgrade: Callable[[Connection], None]


def _discover() -> tuple[Migration, ...]:
    found = []
    for info in pkgutil.iter_modules(__path__):
        if not (info.name.startswith("m") and info.name[1:5].isdigit() and info.name[5:6] == "_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        found.append(Migration(int(info.name[1:5]), info.name[6:], module.upgrade))
    found.sort(key=lambda m: m.number)
    numbers = [m.number for m in found]
    if numbers != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations must be numbered 1..n without gaps, found {numbers}")
    return tuple(found)


MIGRATIONS: tuple[Migration, ...] = _discover()
SCHEMA_VERSION = len(MIGRATIONS)
