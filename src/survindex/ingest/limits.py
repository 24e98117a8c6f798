"""Resource limits on every input: how much a zip-based file may unpack to, how long a parse may take.

Readers call these instead of trusting what a file declares: a zip's members are streamed and counted (declared and
actual sizes), and a parse runs under a wall-clock deadline. The limits are settings (``SURVINDEX_MAX_UNPACKED``,
``SURVINDEX_MAX_RATIO``, ``SURVINDEX_PARSE_SECONDS``) with safe defaults.
"""

from __future__ import annotations

import io
import signal
import threading
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")
MAX_MEMBERS = 10_000
_CHUNK = 1 << 20


class LimitExceeded(ValueError):
    """An input went over a resource limit (unpacked size, ratio, parse time)."""


def _settings() -> Any:
    from survindex import settings

    return settings.load()


def check_zip(data: bytes, what: str = "the file", max_unpacked: int | None = None,
              max_ratio: int | None = None) -> None:
    """Refuse a zip (XLSX, DOCX) whose members unpack to more than the limit: declared sizes are checked first,
    then every member is streamed and its actual size counted, so a lying header cannot slip past."""
    conf = _settings()
    limit = conf.max_unpacked if max_unpacked is None else max_unpacked
    ratio = conf.max_ratio if max_ratio is None else max_ratio
    ceiling = min(limit, ratio * max(len(data), 1) + 1_000_000)
    hint = "refused as a zip bomb; raise SURVINDEX_MAX_UNPACKED / SURVINDEX_MAX_RATIO if the file is genuine"
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        members = z.infolist()
        if len(members) > MAX_MEMBERS:
            raise LimitExceeded(f"{what} holds {len(members)} files (limit {MAX_MEMBERS})")
        declared = sum(m.file_size for m in members)
        if declared > ceiling:
            raise LimitExceeded(f"{what} declares {declared} unpacked bytes from {len(data)} (limit {ceiling}; "
                                f"{hint})")
        total = 0
        for m in members:
            with z.open(m) as fh:
                size = 0
                while chunk := fh.read(_CHUNK):
                    size += len(chunk)
                    total += len(chunk)
                    if size > m.file_size or total > ceiling:
                        raise LimitExceeded(f"{what} unpacks to more than it declares or than {ceiling} bytes "
                                            f"(member {m.filename[:100]!r}; {hint})")


@contextmanager
def deadline(seconds: float | None = None, what: str = "parsing the file") -> Iterator[None]:
    """Raise LimitExceeded in the block after ``seconds`` (default SURVINDEX_PARSE_SECONDS) of wall-clock time.
    Uses SIGALRM, so it applies in the main thread of a process that has no other timer running; elsewhere (a web
    worker thread) the size limits still hold."""
    limit = _settings().parse_seconds if seconds is None else seconds
    usable = (limit > 0 and threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
              and signal.getitimer(signal.ITIMER_REAL)[0] == 0)
    if not usable:
        yield
        return

    def expire(_signum: int, _frame: Any) -> None:
        raise LimitExceeded(f"{what} took longer than {limit:g} s (raise SURVINDEX_PARSE_SECONDS if it is genuine)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def bounded(work: Callable[[], T], what: str = "parsing the file", seconds: float | None = None) -> T:
    """``work()`` under the parse deadline."""
    with deadline(seconds, what):
        return work()
