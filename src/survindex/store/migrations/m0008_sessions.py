"""Server-side web sessions (``sessions``: only the sha256 of the cookie's token is stored, so sign-out, a password
change or disabling the account ends them) and API tokens with an expiry, a scope and a revocation time."""

from __future__ import annotations

from sqlalchemy import Column, Connection, ForeignKey, Integer, MetaData, String, Table, text


def upgrade(conn: Connection) -> None:
    md = MetaData()
    Table("users", md, Column("id", Integer, primary_key=True))
    Table("sessions", md,
          Column("id", String(64), primary_key=True),
          Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
          Column("created_at", String(32), nullable=False),
          Column("expires_at", String(32), nullable=False))
    md.tables["sessions"].create(conn)
    for column in ("expires_at VARCHAR(32)", "scope VARCHAR(16)", "revoked_at VARCHAR(32)"):
        conn.execute(text(f"ALTER TABLE api_tokens ADD COLUMN {column}"))
