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
    "SURVINDEX_MAX_UNPACKED": "Largest total a zip-based file (XLSX, DOCX) may unpack to, in bytes (default "
                              "32000000, which keeps one file's parse under ~500 MB of memory); each member's "
                              "declared and actual size is checked while it streams.",
    "SURVINDEX_MAX_RATIO": "Largest unpacked/packed ratio of a zip-based file (default 100): a higher one is "
                           "refused as a zip bomb.",
    "SURVINDEX_PARSE_SECONDS": "Longest time one file may take to parse, in seconds (default 120; `0` is no limit).",
    "SURVINDEX_FETCH_SECONDS": "Longest time one URL may take to download, all bytes and retries included, in "
                               "seconds (default 60); a server sending a byte at a time is cut at this deadline.",
    "SURVINDEX_RETRY_AFTER_MAX": "Longest wait a server's `Retry-After` can impose, in seconds (default 10); a "
                                 "longer one ends the retries at once.",
    "SURVINDEX_PUBLIC": "What anonymous web visitors see (docs/security.md): `reviewed` (default: accepted claims "
                        "only, quotes but no full texts, no reviewer names) or `open` (everything, like an "
                        "editor without the review pages).",
    "SURVINDEX_SESSION_HOURS": "How long a web sign-in lasts, in hours (default 8); sessions are stored "
                               "server-side, so sign-out, a password change or disabling the account ends them.",
    "SURVINDEX_TOKEN_DAYS": "Default lifetime of a new API token, in days (default 90; `0` is no expiry).",
    "SURVINDEX_LOGIN_BUDGET": "Failed sign-ins allowed per client address per 15 minutes (default 20); over it, "
                              "sign-ins are refused before any password is hashed.",
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
    max_unpacked: int = 32_000_000
    max_ratio: int = 100
    parse_seconds: float = 120.0
    fetch_seconds: float = 60.0
    retry_after_max: float = 10.0
    public: str = "reviewed"
    session_hours: float = 8.0
    token_days: float = 90.0
    login_budget: int = 20


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
        max_unpacked=int(_number(env, "SURVINDEX_MAX_UNPACKED", 32_000_000)),
        max_ratio=int(_number(env, "SURVINDEX_MAX_RATIO", 100)),
        parse_seconds=_number(env, "SURVINDEX_PARSE_SECONDS", 120.0),
        fetch_seconds=_number(env, "SURVINDEX_FETCH_SECONDS", 60.0),
        retry_after_max=_number(env, "SURVINDEX_RETRY_AFTER_MAX", 10.0),
        public=_choice(env, "SURVINDEX_PUBLIC", ("reviewed", "open")),
        session_hours=_number(env, "SURVINDEX_SESSION_HOURS", 8.0),
        token_days=_number(env, "SURVINDEX_TOKEN_DAYS", 90.0),
        login_budget=int(_number(env, "SURVINDEX_LOGIN_BUDGET", 20)),
    )


class SettingError(ValueError):
    """An environment variable holds a value survindex cannot use."""


def _number(env: dict[str, str], name: str, default: float) -> float:
    value = (env.get(name) or "").strip()
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        raise SettingError(f"{name}={value!r} is not a number") from None
    if number < 0 or number != number:
        raise SettingError(f"{name}={value!r} is negative")
    return number


def _choice(env: dict[str, str], name: str, choices: tuple[str, ...]) -> str:
    value = (env.get(name) or choices[0]).strip().lower()
    if value not in choices:
        raise SettingError(f"{name}={value!r} is not one of {', '.join(choices)}")
    return value


def settings_markdown() -> str:
    rows = "\n".join(f"| `{name}` | {text} |" for name, text in VARIABLES.items())
    return ("# Settings\n\nsurvindex reads these environment variables (generated from `survindex/settings.py`).\n\n"
            "| variable | meaning |\n|---|---|\n" + rows + "\n")
