"""The first schema (release 0.1): documents with their raw bytes, claims, entities, audit log, errors, runs,
users and API tokens. Frozen: these definitions are the tables as they were created then."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)


def upgrade(conn: Connection) -> None:
    md = MetaData()
    Table("meta", md, Column("key", String(64), primary_key=True), Column("value", Text, nullable=False))
    Table("blobs", md, Column("sha256", String(64), primary_key=True), Column("size", Integer, nullable=False),
          Column("data", LargeBinary, nullable=False))
    Table("documents", md,
          Column("id", String(72), primary_key=True), Column("title", Text), Column("url", Text),
          Column("published", String(32)), Column("source", Text), Column("publisher", Text),
          Column("language", String(16)), Column("mime", String(128)),
          Column("raw_sha256", String(64), ForeignKey("blobs.sha256")), Column("duplicate_of", String(72)),
          Column("meta", JSON, nullable=False), Column("text", Text, nullable=False),
          Column("ingested_at", String(32), nullable=False))
    Table("claims", md,
          Column("id", String(40), primary_key=True),
          Column("doc_id", String(72), ForeignKey("documents.id"), nullable=False, index=True),
          Column("kind", String(32), nullable=False, index=True), Column("country", String(3), index=True),
          Column("supplier", Text, index=True), Column("supplier_country", String(3), index=True),
          Column("supplier_resolved", Boolean, nullable=False), Column("technology", String(40), index=True),
          Column("aigs_category", String(40)), Column("financier", Text, index=True),
          Column("flow_type", String(16)), Column("amount", Float), Column("currency", String(8)),
          Column("amount_usd", Float), Column("year", Integer, index=True),
          Column("stage", String(16), nullable=False), Column("count", Integer), Column("total", Integer),
          Column("qualifier", Text), Column("subject", Text), Column("quote", Text, nullable=False),
          Column("start", Integer), Column("end", Integer), Column("location", Text),
          Column("original", JSON, nullable=False), Column("confidence", Float, nullable=False),
          Column("negated", Boolean, nullable=False), Column("extractor", String(64), nullable=False),
          Column("extractor_version", String(32), nullable=False),
          Column("status", String(16), nullable=False, index=True), Column("review_reason", Text),
          Column("version", Integer, nullable=False), Column("created_at", String(32), nullable=False),
          Index("ix_claims_status_confidence", "status", "confidence"))
    Table("entities", md,
          Column("id", String(40), primary_key=True), Column("type", String(16), nullable=False),
          Column("name", Text, nullable=False), Column("country", String(3)),
          Column("status", String(16), nullable=False), Column("first_doc_id", String(72)),
          Column("mentions", Integer, nullable=False), Column("meta", JSON, nullable=False))
    Table("audit_log", md,
          Column("id", Integer, primary_key=True, autoincrement=True), Column("at", String(32), nullable=False),
          Column("actor", Text, nullable=False), Column("action", String(32), nullable=False),
          Column("object_id", String(72), index=True), Column("before", JSON), Column("after", JSON),
          Column("reason", Text))
    Table("errors", md,
          Column("id", Integer, primary_key=True, autoincrement=True), Column("at", String(32), nullable=False),
          Column("run", String(64)), Column("source", Text, nullable=False), Column("location", Text),
          Column("reason", Text, nullable=False))
    Table("runs", md,
          Column("id", String(64), primary_key=True), Column("command", Text, nullable=False),
          Column("started_at", String(32), nullable=False), Column("finished_at", String(32)),
          Column("status", String(16), nullable=False), Column("stats", JSON, nullable=False))
    Table("users", md,
          Column("id", Integer, primary_key=True, autoincrement=True),
          Column("username", String(64), nullable=False, unique=True), Column("password_hash", Text, nullable=False),
          Column("role", String(16), nullable=False), Column("created_at", String(32), nullable=False),
          Column("active", Boolean, nullable=False))
    Table("api_tokens", md,
          Column("token_sha256", String(64), primary_key=True),
          Column("user_id", Integer, ForeignKey("users.id"), nullable=False), Column("name", Text),
          Column("created_at", String(32), nullable=False))
    md.create_all(conn)
