"""Opening the store: migrated for writers, read-only (``mode=ro`` / ``immutable``) for read commands."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url

from survindex.store import safety
from survindex.store import schema as s
from survindex.store.core import SchemaTooNew, Store, database_url
from survindex.store.migrations import MIGRATIONS


def open_store(db: str | None = None, migrate: bool = True, read_only: bool = False) -> Store:
    """Open the store named by ``db``, else ``SURVINDEX_DB``, else ``./survindex.db``. ``read_only`` (the read
    commands: stats, build, export, serve --read-only) opens it so nothing can be written; the database must then
    be at this survindex's schema version, which a writable one is brought to first."""
    from survindex import settings

    name = db or settings.load().db
    if read_only and _exists(name):
        return _open_read_only(name)
    store = Store(name)
    if migrate:
        store.migrate()
    return store


def _exists(db: str) -> bool:
    url = make_url(database_url(db))
    return url.get_backend_name() != "sqlite" or (url.database not in (None, "", ":memory:")
                                                  and Path(url.database).exists())


def _open_read_only(db: str) -> Store:
    store = Store(db, read_only=True)
    with store.engine.connect() as c:
        version = s.current_version(c)
    if version > len(MIGRATIONS):
        store.close()
        raise SchemaTooNew(f"{store.url_safe} has schema version {version}, but this survindex knows only "
                           f"{len(MIGRATIONS)}; upgrade survindex to use it")
    if version < len(MIGRATIONS):
        store.close()
        writer = Store(db)
        try:
            writer.migrate()
        except safety.StorageError as exc:
            raise safety.StorageError(f"{writer.url_safe} has schema version {version} and needs migrating to "
                                      f"{len(MIGRATIONS)}, which a read-only database cannot be ({exc})") from None
        finally:
            writer.close()
        store = Store(db, read_only=True)
    return store
