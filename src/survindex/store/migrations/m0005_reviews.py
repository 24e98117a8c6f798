"""Review decisions stored apart from imported values (``reviews``: one row per reviewed claim with its status,
reason and corrected fields), so an import or extraction that runs again merges into them instead of reverting
them; filled from the claims and the audit log of earlier releases. Claims a newer extractor replaced point to
their successor (``claims.superseded_by``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Column, Connection, Integer, MetaData, String, Table, Text, text


def upgrade(conn: Connection) -> None:
    md = MetaData()
    reviews = Table("reviews", md,
                    Column("claim_id", String(40), primary_key=True),
                    Column("status", String(16), nullable=False),
                    Column("changes", JSON, nullable=False),
                    Column("reason", Text),
                    Column("actor", Text, nullable=False),
                    Column("at", String(32), nullable=False),
                    Column("decisions", Integer, nullable=False))
    md.create_all(conn)
    conn.execute(text("ALTER TABLE claims ADD COLUMN superseded_by VARCHAR(40)"))
    conn.execute(text("CREATE INDEX ix_claims_superseded_by ON claims (superseded_by)"))
    _backfill(conn, reviews)


def _backfill(conn: Connection, reviews: Table) -> None:
    """Each reviewed claim's decision: its status and reason, and the last value of every field the audit log
    shows an editor changed (status aside)."""
    import json

    changes: dict[str, dict[str, Any]] = {}
    who: dict[str, tuple[str, str, int]] = {}
    for object_id, actor, at, after in conn.execute(text(
            "SELECT object_id, actor, at, after FROM audit_log WHERE object_id LIKE 'cl-%' ORDER BY id")):
        values = json.loads(after) if isinstance(after, str) else (after or {})
        changes.setdefault(object_id, {}).update({k: v for k, v in values.items() if k != "status"})
        n = who.get(object_id, ("", "", 0))[2]
        who[object_id] = (actor, at, n + 1)
    rows = []
    for claim_id, status, reason in conn.execute(text(
            "SELECT id, status, review_reason FROM claims WHERE status != 'unreviewed' OR id IN "
            "(SELECT object_id FROM audit_log WHERE object_id LIKE 'cl-%')")):
        actor, at, n = who.get(claim_id, ("unknown", "", 1))
        rows.append({"claim_id": claim_id, "status": status, "changes": changes.get(claim_id, {}),
                     "reason": reason, "actor": actor, "at": at or "", "decisions": n})
    for i in range(0, len(rows), 1000):
        conn.execute(reviews.insert(), rows[i:i + 1000])
