"""Indexes for a million claims: the index's GROUP BY queries read covering indexes in group order (no table
scan, no sort), the review queue and the profile pages read claims in review order by key at any depth, and
exports read the claims of a status in id order by key."""

from __future__ import annotations

from sqlalchemy import Connection, text

INDEXES = {
    "ix_claims_index_technology": '"kind", "status", "country", "technology", "year", "negated", "superseded_by"',
    "ix_claims_index_supplier": '"kind", "status", "country", "supplier", "supplier_country", "supplier_resolved", '
                                '"year", "negated", "superseded_by"',
    "ix_claims_review": '"status", "negated", "superseded_by", "confidence", "id"',
    # exports and the report's downloads: the counted claims of a status in id order, read by key
    "ix_claims_export": '"status", "negated", "superseded_by", "id"',
    # the profile pages' claims in review order (these replace release 0.2's (country, status) and the like)
    "ix_claims_country_review": '"country", "status", "confidence", "id"',
    "ix_claims_supplier_review": '"supplier", "status", "confidence", "id"',
    "ix_claims_technology_review": '"technology", "status", "confidence", "id"',
}
REPLACED = ("ix_claims_country_status", "ix_claims_supplier_status", "ix_claims_technology_status")


def upgrade(conn: Connection) -> None:
    for name in REPLACED:
        conn.execute(text(f"DROP INDEX IF EXISTS {name}"))
    for name, columns in INDEXES.items():
        conn.execute(text(f"CREATE INDEX IF NOT EXISTS {name} ON claims ({columns})"))
