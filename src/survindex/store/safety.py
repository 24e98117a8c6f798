"""What the store does when the database cannot be written, and how read commands open it read-only.

* Every database error goes through one SQLAlchemy ``handle_error`` hook: a full disk, a file-size limit, an I/O
  error or a read-only database becomes a ``StorageError`` with a sentence a user can act on, so commands end with
  ``Error: …`` instead of a traceback, and callers stop instead of retrying row by row.
* ``read_only_url`` opens a SQLite file with ``mode=ro`` (or ``immutable=1`` when its directory cannot be written,
  so SQLite cannot even create its lock files), and PostgreSQL with read-only transactions.
* ``stale_runs``: ``running`` rows left by a process that was killed are found by host and pid.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url

# (fragment of the driver's message or SQLSTATE, what it means)
_SQLITE = (("database or disk is full", "the disk is full"), ("disk i/o error", "the disk failed (I/O error)"),
           ("readonly database", "the database is read-only"), ("read-only", "the database is read-only"),
           ("unable to open database file", "the database file cannot be opened for writing"))
_PG_STATES = {"53100": "the disk is full", "53200": "the server is out of memory",
              "25006": "the database is read-only", "58030": "the disk failed (I/O error)"}


class StorageError(RuntimeError):
    """The database cannot be written (full disk, I/O error, read-only; the transaction was rolled back) or used
    (a SQLite library too old)."""


def classify(exc: BaseException) -> str | None:
    """What a driver error says about the storage, or None when it is about the data or the query."""
    state = getattr(exc, "sqlstate", None) or getattr(getattr(exc, "diag", None), "sqlstate", None)
    if isinstance(state, str) and state in _PG_STATES:
        return _PG_STATES[state]
    message = str(exc).lower()
    if isinstance(exc, OSError) and getattr(exc, "errno", None) in (28, 27):  # ENOSPC, EFBIG
        return "the disk is full"
    if type(exc).__module__.startswith("sqlite3"):
        return next((meaning for key, meaning in _SQLITE if key in message), None)
    return None


def install(engine: Engine, where: str) -> None:
    """Translate storage failures into StorageError for every statement and commit on ``engine`` (named
    ``where`` in messages)."""

    @event.listens_for(engine, "handle_error")
    def _translate(context: Any) -> StorageError | None:
        meaning = classify(context.original_exception)
        if meaning is None:
            return None
        return StorageError(f"cannot write to {where}: {meaning} ({str(context.original_exception)[:160]}); "
                            "the step under way was rolled back and what was committed before is intact. Free "
                            "space or make the database writable, then run the command again (it resumes)")


def read_only_url(url: str) -> tuple[str, dict[str, Any]]:
    """An SQLAlchemy URL and connect arguments that can only read the database at ``url``."""
    u = make_url(url)
    if u.get_backend_name() == "postgresql":
        given = u.query.get("options", "")  # e.g. -csearch_path=…: kept, the read-only flag added to it
        given = " ".join(given) if isinstance(given, tuple) else given
        return url, {"options": f"{given} -c default_transaction_read_only=on".strip()}
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return url, {}
    path = Path(u.database).resolve()
    writable_dir = os.access(path.parent, os.W_OK)
    flag = "mode=ro" if writable_dir or Path(str(path) + "-wal").exists() else "immutable=1"
    return f"sqlite:///file:{quote(str(path))}?{flag}&uri=true", {}


def this_process() -> dict[str, Any]:
    return {"host": socket.gethostname(), "pid": os.getpid()}


def is_dead(owner: Any) -> bool:
    """True when a run's recorded owner is a process on this host that no longer exists."""
    if not isinstance(owner, dict) or owner.get("host") != socket.gethostname():
        return False
    pid = owner.get("pid")
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return _zombie(pid)


def _zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rsplit(")", 1)[-1].split()[0] == "Z"
    except OSError:
        return False


def printable(text: str) -> str:
    """Text any database accepts (``survindex.ingest.errors.printable``: undecodable bytes as escapes)."""
    from survindex.ingest.errors import printable as clean

    return clean(text)


def read_pragmas(dbapi_conn: Any, _record: Any) -> None:
    """SQLite connections of a read-only store: no writes even by mistake; wait for writers' locks."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA query_only=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()
