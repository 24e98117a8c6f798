"""Claims name their deployer as the source does (``claims.deployer``: a body, city or project) and keep the
sources their own source cites (``claims.citations``: JSON list of {url, archive_url, title, publisher,
published})."""

from __future__ import annotations

from sqlalchemy import Connection, text


def upgrade(conn: Connection) -> None:
    conn.execute(text("ALTER TABLE claims ADD COLUMN deployer TEXT"))
    conn.execute(text("ALTER TABLE claims ADD COLUMN citations JSON"))
