"""Claims keep every supporting span of their document: ``claims.evidence`` (JSON list of {quote, start, end})
beside the quote that states the fact best."""

from __future__ import annotations

from sqlalchemy import Connection, text


def upgrade(conn: Connection) -> None:
    conn.execute(text("ALTER TABLE claims ADD COLUMN evidence JSON"))
