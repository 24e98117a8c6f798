"""The index counts deployment cases (how many, and how many first dated each year): one GROUP BY ``case_id`` over
the counted claims, read from this covering index instead of the table."""

from __future__ import annotations

from sqlalchemy import Connection, text


def upgrade(conn: Connection) -> None:
    conn.execute(text('CREATE INDEX ix_claims_index_case ON claims ("kind", "status", "case_id", "year", '
                      '"technology", "country", "negated", "superseded_by")'))
