"""The one error type every reader raises: which source failed and why."""

from __future__ import annotations

import re

_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def printable(name: str) -> str:
    """A file name or URL as text any database, terminal and log accepts: bytes that are not UTF-8 (Python keeps
    them as lone surrogates, ``os.fsdecode``) and control characters become ``\\xNN`` escapes. The file is still
    opened by its real name; this is only how it is recorded and shown."""
    if not _UNPRINTABLE.search(name):
        return name
    try:
        data = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that did not come from a file name (e.g. a JSON escape)
        data = name.encode("utf-8", "surrogatepass")
    raw = data.decode("utf-8", "backslashreplace")
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256
                            else f"\\u{ord(m.group()):04x}", raw)


class IngestError(Exception):
    """A file, URL, line or feed entry that could not be read. The run records it and goes on."""

    def __init__(self, source: str, reason: str, location: str | None = None) -> None:
        source, reason = printable(source), printable(reason)
        location = printable(location) if location is not None else None
        super().__init__(f"{source}{'#' + location if location else ''}: {reason}")
        self.source = source
        self.reason = reason
        self.location = location

    def __reduce__(self) -> tuple[type["IngestError"], tuple[str, str, str | None]]:
        return (IngestError, (self.source, self.reason, self.location))
