"""Settings in one place: ``SURVINDEX_*`` environment variables, read once."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    db: str = "survindex.db"  # a SQLite file path, or an SQLAlchemy URL (sqlite:///…, postgresql://…)
    scheduler: str | None = None  # Dask scheduler address, e.g. tcp://127.0.0.1:8786
    workers: int = 0  # 0: one per core
    secret: str | None = None  # web session signing key
    archive_raw: bool = True
    secure_cookies: bool = False  # mark session cookies Secure (serve behind HTTPS)


def load(env: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ if env is None else env)
    return Settings(
        db=env.get("SURVINDEX_DB", "survindex.db"),
        scheduler=env.get("SURVINDEX_SCHEDULER") or None,
        workers=int(env.get("SURVINDEX_WORKERS", "0") or 0),
        secret=env.get("SURVINDEX_SECRET") or None,
        archive_raw=env.get("SURVINDEX_ARCHIVE_RAW", "1") not in ("0", "false", "no"),
        secure_cookies=env.get("SURVINDEX_SECURE_COOKIES", "0") in ("1", "true", "yes"),
    )
