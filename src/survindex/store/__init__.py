"""The only code that talks to the database. SQLite by default, PostgreSQL from a URL."""

from survindex.store.core import ClaimFilter, ConflictError, NotFound, SchemaTooNew, Store, utcnow
from survindex.store.opening import open_store
from survindex.store.safety import StorageError

__all__ = ["ClaimFilter", "ConflictError", "NotFound", "SchemaTooNew", "StorageError", "Store", "open_store",
           "utcnow"]
