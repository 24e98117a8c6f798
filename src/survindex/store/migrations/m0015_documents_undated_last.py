"""PostgreSQL lists undated documents last in search, as SQLite does: its descending index put NULLs first (a
descending order does on PostgreSQL), so search's "newest first" opened with every undated document. The index
becomes (published DESC NULLS LAST, id), which search's order now names; SQLite sorts NULLs last in a descending
order already: no change there."""

from __future__ import annotations

from sqlalchemy import Connection, text


def upgrade(conn: Connection) -> None:
    if conn.dialect.name != "postgresql":
        return
    conn.execute(text("DROP INDEX IF EXISTS ix_documents_published"))
    conn.execute(text("CREATE INDEX ix_documents_published ON documents (published DESC NULLS LAST, id)"))
