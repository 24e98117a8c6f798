"""The newest database schema (SQLAlchemy Core), shared by SQLite and PostgreSQL: what queries are written against.

The tables are created and changed only by the named migrations in ``survindex.store.migrations``;
``tests/test_migrations.py`` checks that these definitions match what the migrations build."""

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
    desc,
    select,
)

metadata = MetaData()

meta = Table(
    "meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

blobs = Table(
    "blobs", metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
)

documents = Table(
    "documents", metadata,
    Column("id", String(72), primary_key=True),  # doc-<sha256 of text>
    Column("title", Text),
    Column("url", Text),
    Column("published", String(32)),
    Column("source", Text),
    Column("publisher", Text),
    Column("language", String(16)),
    Column("mime", String(128)),
    Column("raw_sha256", String(64), ForeignKey("blobs.sha256")),
    Column("duplicate_of", String(72)),
    Column("meta", JSON, nullable=False, default=dict),
    Column("text", Text, nullable=False),
    Column("ingested_at", String(32), nullable=False),
    Index("ix_documents_published", desc("published"), "id"),  # migration documents_published: newest first
)

claims = Table(
    "claims", metadata,
    Column("id", String(40), primary_key=True),  # cl-<sha256 of content>
    Column("doc_id", String(72), ForeignKey("documents.id"), nullable=False, index=True),
    Column("kind", String(32), nullable=False, index=True),
    Column("country", String(3), index=True),
    Column("supplier", Text, index=True),
    Column("supplier_country", String(3), index=True),
    Column("supplier_resolved", Boolean, nullable=False, default=True),
    Column("technology", String(40), index=True),
    Column("aigs_category", String(40)),
    Column("financier", Text, index=True),
    Column("flow_type", String(16)),
    Column("amount", Float),
    Column("currency", String(8)),
    Column("amount_usd", Float),
    Column("year", Integer, index=True),
    Column("stage", String(16), nullable=False, default="unknown"),
    Column("count", Integer),
    Column("total", Integer),
    Column("qualifier", Text),
    Column("subject", Text),
    Column("quote", Text, nullable=False),
    Column("start", Integer),
    Column("end", Integer),
    Column("location", Text),
    Column("original", JSON, nullable=False, default=dict),
    Column("evidence", JSON),  # other spans of the document supporting the same fact: [{quote, start, end}]
    Column("deployer", Text),  # the deploying body, city or project as the source names it
    Column("citations", JSON),  # sources the claim's source cites: [{url, archive_url, title, publisher, published}]
    Column("confidence", Float, nullable=False, default=1.0),
    Column("negated", Boolean, nullable=False, default=False),
    Column("extractor", String(64), nullable=False),
    Column("extractor_version", String(32), nullable=False),
    Column("status", String(16), nullable=False, default="unreviewed", index=True),
    Column("review_reason", Text),
    Column("version", Integer, nullable=False, default=1),  # optimistic concurrency
    Column("created_at", String(32), nullable=False),
    Column("superseded_by", String(40), index=True),  # the claim a newer extractor version made of the same fact
    Column("case_id", String(40), index=True),  # the deployment record (case) the claim supports
    Index("ix_claims_status_confidence", "status", "confidence"),
    # migration scale: covering indexes of the index's GROUP BY queries (store.aggregates) and the review queue
    Index("ix_claims_index_technology", "kind", "status", "country", "technology", "year", "negated",
          "superseded_by"),
    Index("ix_claims_index_supplier", "kind", "status", "country", "supplier", "supplier_country",
          "supplier_resolved", "technology", "year", "negated", "superseded_by"),
    Index("ix_claims_review", "status", "negated", "superseded_by", "confidence", "id"),
    Index("ix_claims_country_case", "country", "case_id", "id"),
    Index("ix_claims_index_case", "kind", "status", "case_id", "year", "technology", "country", "negated",
          "superseded_by", "supplier"),
    Index("ix_claims_export", "status", "negated", "superseded_by", "id"),
    Index("ix_claims_country_review", "country", "status", "confidence", "id"),
    Index("ix_claims_supplier_review", "supplier", "status", "confidence", "id"),
    Index("ix_claims_technology_review", "technology", "status", "confidence", "id"),
)

# Review decisions, apart from the imported values: re-runs merge into them (store.reviews).
reviews = Table(
    "reviews", metadata,
    Column("claim_id", String(40), primary_key=True),
    Column("status", String(16), nullable=False),
    Column("changes", JSON, nullable=False),  # corrected fields -> the editor's values
    Column("reason", Text),
    Column("actor", Text, nullable=False),
    Column("at", String(32), nullable=False),
    Column("decisions", Integer, nullable=False),  # how many decisions led here
)

# Cases: one record per deployment, rebuilt from its claims country by country (store.cases, survindex.cases).
cases = Table(
    "cases", metadata,
    Column("id", String(40), primary_key=True),
    Column("country", String(3), index=True),
    Column("grp", String(40), nullable=False),  # technology group (vocabulary case_groups)
    Column("technology", String(40), index=True),
    Column("technologies", JSON, nullable=False),
    Column("supplier", Text, index=True),
    Column("supplier_country", String(3), index=True),
    Column("deployer", Text),
    Column("stage", String(16), nullable=False),
    Column("stages", JSON, nullable=False),
    Column("first_reported", String(32)),
    Column("last_reported", String(32)),
    Column("sources", Integer, nullable=False),  # independent sources
    Column("source_keys", JSON, nullable=False),
    Column("claims", Integer, nullable=False),
    Column("financing", JSON, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("status", String(16), nullable=False),
    Column("unreviewed", Integer, nullable=False),
    Column("quote_claim", String(40)),
    Column("quote", Text, nullable=False),
    Column("updated_at", String(32), nullable=False),
    Index("ix_cases_queue", "status", "sources", "confidence", "id"),
)

case_decisions = Table(
    "case_decisions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),  # merge | split
    Column("claim_a", String(40), nullable=False, index=True),
    Column("claim_b", String(40)),
    Column("actor", Text, nullable=False),
    Column("at", String(32), nullable=False),
    Column("reason", Text),
)

case_aliases = Table(
    "case_aliases", metadata,
    Column("old_id", String(40), primary_key=True),
    Column("new_id", String(40), nullable=False),
)

case_dirty = Table("case_dirty", metadata, Column("country", String(3), primary_key=True))

# Which documents each extractor has read, and at which version (incremental ``extract --db``).
extractions = Table(
    "extractions", metadata,
    Column("doc_id", String(72), primary_key=True),
    Column("extractor", String(64), primary_key=True),
    Column("version", String(32), nullable=False),
    Column("at", String(32), nullable=False),
    Column("claims", Integer, nullable=False),
)

entities = Table(
    "entities", metadata,
    Column("id", String(40), primary_key=True),  # ent-<sha256 of type+name>
    Column("type", String(16), nullable=False),  # company | financier
    Column("name", Text, nullable=False),
    Column("country", String(3)),
    Column("status", String(16), nullable=False, default="proposed"),  # proposed | registry
    Column("first_doc_id", String(72)),
    Column("mentions", Integer, nullable=False, default=1),
    Column("meta", JSON, nullable=False, default=dict),
)

audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(32), nullable=False),
    Column("actor", Text, nullable=False),
    Column("action", String(32), nullable=False),
    Column("object_id", String(72), index=True),
    Column("before", JSON),
    Column("after", JSON),
    Column("reason", Text),
)

errors = Table(
    "errors", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(32), nullable=False),
    Column("run", String(64)),
    Column("source", Text, nullable=False),
    Column("location", Text),
    Column("reason", Text, nullable=False),
)

runs = Table(
    "runs", metadata,
    Column("id", String(64), primary_key=True),
    Column("command", Text, nullable=False),
    Column("started_at", String(32), nullable=False),
    Column("finished_at", String(32)),
    Column("status", String(16), nullable=False),  # running | done | failed
    Column("stats", JSON, nullable=False, default=dict),
)

users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("role", String(16), nullable=False),  # viewer | editor | admin
    Column("created_at", String(32), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
)

api_tokens = Table(
    "api_tokens", metadata,
    Column("token_sha256", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("name", Text),
    Column("created_at", String(32), nullable=False),
    Column("expires_at", String(32)),  # None: never
    Column("scope", String(16)),  # read | write (None: write, the tokens made before scopes)
    Column("revoked_at", String(32)),
)

sessions = Table(
    "sessions", metadata,
    Column("id", String(64), primary_key=True),  # sha256 of the token in the signed cookie
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("created_at", String(32), nullable=False),
    Column("expires_at", String(32), nullable=False),
)


def current_version(conn: Connection) -> int:
    if not conn.dialect.has_table(conn, "meta"):
        return 0
    row = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).first()
    return int(row[0]) if row else 0
