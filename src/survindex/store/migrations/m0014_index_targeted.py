"""The index's targeted-surveillance section groups its claims by four fields of each claim's ``original`` record
(category, vendor, supplier countries, source regime type: ``index.targeted.ORIGINAL_FIELDS``). On SQLite an index
over those expressions and the claim columns the section reads lets that GROUP BY follow the index instead of
reading every targeted claim's record from the table and sorting the groups (at 1M claims: 0.6 s -> 0.17 s; the
query writes the expressions out exactly as here, ``store.aggregates._field``). PostgreSQL does not read
expressions from an index (no index-only scan on an expression index): it has none."""

from __future__ import annotations

from sqlalchemy import Connection, text

FIELDS = ("CAST(original -> 'category' AS TEXT)", "CAST(original -> 'vendor' AS TEXT)",
          "CAST(original -> 'supplier_countries' AS TEXT)", "CAST(original -> 'source_regime' -> 'type' AS TEXT)")


def upgrade(conn: Connection) -> None:
    if conn.dialect.name != "sqlite":
        return
    conn.execute(text('CREATE INDEX IF NOT EXISTS ix_claims_targeted ON claims ("technology", "status", "kind", '
                      f'"country", "supplier", "supplier_country", {", ".join(FIELDS)}, "negated", '
                      '"superseded_by", "year", "id")'))
    if conn.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")).first():
        conn.execute(text("ANALYZE ix_claims_targeted"))  # as migration index_case_supplier
