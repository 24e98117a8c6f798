"""Cases: one record per deployment (``cases``), the case of each claim (``claims.case_id``), reviewers' merges and
splits (``case_decisions``), where the claims of a case that no longer exists went (``case_aliases``) and the
countries whose cases must be rebuilt (``case_dirty``: every country with claims, at first)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    text,
)


def upgrade(conn: Connection) -> None:
    md = MetaData()
    Table("cases", md,
          Column("id", String(40), primary_key=True),
          Column("country", String(3), index=True),
          Column("grp", String(40), nullable=False),
          Column("technology", String(40), index=True),
          Column("technologies", JSON, nullable=False),
          Column("supplier", Text, index=True),
          Column("supplier_country", String(3), index=True),
          Column("deployer", Text),
          Column("stage", String(16), nullable=False),
          Column("stages", JSON, nullable=False),
          Column("first_reported", String(32)),
          Column("last_reported", String(32)),
          Column("sources", Integer, nullable=False),
          Column("source_keys", JSON, nullable=False),
          Column("claims", Integer, nullable=False),
          Column("financing", JSON, nullable=False),
          Column("confidence", Float, nullable=False),
          Column("status", String(16), nullable=False),
          Column("unreviewed", Integer, nullable=False),
          Column("quote_claim", String(40)),
          Column("quote", Text, nullable=False),
          Column("updated_at", String(32), nullable=False),
          Index("ix_cases_queue", "status", "sources", "confidence", "id"))
    Table("case_decisions", md,
          Column("id", Integer, primary_key=True, autoincrement=True),
          Column("kind", String(16), nullable=False),
          Column("claim_a", String(40), nullable=False, index=True),
          Column("claim_b", String(40)),
          Column("actor", Text, nullable=False),
          Column("at", String(32), nullable=False),
          Column("reason", Text))
    Table("case_aliases", md,
          Column("old_id", String(40), primary_key=True),
          Column("new_id", String(40), nullable=False))
    Table("case_dirty", md, Column("country", String(3), primary_key=True))
    md.create_all(conn)
    conn.execute(text("ALTER TABLE claims ADD COLUMN case_id VARCHAR(40)"))
    conn.execute(text("CREATE INDEX ix_claims_case_id ON claims (case_id)"))
    conn.execute(text("INSERT INTO case_dirty (country) SELECT DISTINCT coalesce(country, '') FROM claims "
                      "WHERE kind IN ('deployment', 'financing')"))
