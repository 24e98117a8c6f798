"""Settings in one place: ``SURVINDEX_*`` environment variables, read once."""

from __future__ import annotations

import os
from dataclasses import dataclass

# Every environment variable survindex reads, with what it means (docs/settings.md is generated from this).
VARIABLES: dict[str, str] = {
    "SURVINDEX_DB": "Database: a SQLite file path (default `survindex.db`) or an SQLAlchemy URL "
                    "(`sqlite:///…`, `postgresql://user@host/db`). Same as `--db`.",
    "SURVINDEX_SCHEDULER": "Dask scheduler address (`tcp://host:8786`): `survindex extract` runs on that cluster. "
                           "Same as `--scheduler`.",
    "SURVINDEX_WORKERS": "Local worker processes for `survindex extract` (default 1). Same as `--workers`.",
    "SURVINDEX_SECRET": "Key that signs web sessions; set it for `serve --workers > 1` and so that sign-ins survive "
                        "restarts (a random key is used otherwise).",
    "SURVINDEX_SECURE_COOKIES": "`1` marks session cookies `Secure` (serve behind HTTPS).",
    "SURVINDEX_ARCHIVE_RAW": "`0` stops `survindex ingest` from archiving the raw bytes of documents (default `1`).",
    "SURVINDEX_CACHE_DIR": "Where extraction caches its built gazetteer (default `~/.cache/survindex`; `off` disables "
                           "the cache). The cache rebuilds itself when the lexicon, vocabulary or reference data change.",
    "SURVINDEX_REFERENCE_DIR": "Directory whose `bri.csv` / `regimes.csv` override the packaged reference tables; "
                               "`survindex reference refresh` writes there when it is set.",
    "SURVINDEX_COMPILE": "At install time only: `1` makes `pip install .` compile the extraction modules with mypyc "
                         "(about 1.5x faster extraction, identical output; needs a C compiler and the Python "
                         "headers). Editable installs stay pure Python.",
}


@dataclass(frozen=True)
class Settings:
    db: str = "survindex.db"
    scheduler: str | None = None
    workers: int = 1
    secret: str | None = None
    archive_raw: bool = True
    secure_cookies: bool = False
    reference_dir: str | None = None


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def load(env: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ if env is None else env)
    return Settings(
        db=env.get("SURVINDEX_DB") or "survindex.db",
        scheduler=env.get("SURVINDEX_SCHEDULER") or None,
        workers=int(env.get("SURVINDEX_WORKERS") or 1),
        secret=env.get("SURVINDEX_SECRET") or None,
        archive_raw=_flag(env.get("SURVINDEX_ARCHIVE_RAW"), True),
        secure_cookies=_flag(env.get("SURVINDEX_SECURE_COOKIES"), False),
        reference_dir=env.get("SURVINDEX_REFERENCE_DIR") or None,
    )


def settings_markdown() -> str:
    rows = "\n".join(f"| `{name}` | {text} |" for name, text in VARIABLES.items())
    return ("# Settings\n\nsurvindex reads these environment variables (generated from `survindex/settings.py`).\n\n"
            "| variable | meaning |\n|---|---|\n" + rows + "\n")
