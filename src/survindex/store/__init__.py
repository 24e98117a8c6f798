"""The only code that talks to the database. SQLite by default, PostgreSQL from a URL."""

from survindex.store.core import ClaimFilter, ConflictError, NotFound, Store, open_store, utcnow

__all__ = ["ClaimFilter", "ConflictError", "NotFound", "Store", "open_store", "utcnow"]
