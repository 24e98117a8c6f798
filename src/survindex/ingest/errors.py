"""The one error type every reader raises: which source failed and why."""

from __future__ import annotations


class IngestError(Exception):
    """A file, URL, line or feed entry that could not be read. The run records it and goes on."""

    def __init__(self, source: str, reason: str, location: str | None = None) -> None:
        super().__init__(f"{source}{'#' + location if location else ''}: {reason}")
        self.source = source
        self.reason = reason
        self.location = location

    def __reduce__(self) -> tuple[type["IngestError"], tuple[str, str, str | None]]:
        return (IngestError, (self.source, self.reason, self.location))
