"""Which documents each extractor has read, and at which version (``extractions``), so ``extract --db`` reads only
documents it has not read yet, or read with an older version."""

from __future__ import annotations

from sqlalchemy import Column, Connection, Integer, MetaData, String, Table


def upgrade(conn: Connection) -> None:
    md = MetaData()
    Table("extractions", md,
          Column("doc_id", String(72), primary_key=True),
          Column("extractor", String(64), primary_key=True),
          Column("version", String(32), nullable=False),
          Column("at", String(32), nullable=False),
          Column("claims", Integer, nullable=False))
    md.create_all(conn)
