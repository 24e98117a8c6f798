"""Indexes for a million claims: the index's GROUP BY queries read covering indexes in group order (no table
scan, no sort), and the review queue pages by key on (status, confidence, id) at any depth."""

from __future__ import annotations

from sqlalchemy import Connection, text

INDEXES = {
    "ix_claims_index_technology": '"kind", "status", "country", "technology", "year", "negated", "superseded_by"',
    "ix_claims_index_supplier": '"kind", "status", "country", "supplier", "supplier_country", "supplier_resolved", '
                                '"year", "negated", "superseded_by"',
    "ix_claims_review": '"status", "confidence", "id"',
}


def upgrade(conn: Connection) -> None:
    for name, columns in INDEXES.items():
        conn.execute(text(f"CREATE INDEX IF NOT EXISTS {name} ON claims ({columns})"))
