"""The index counts targeted-surveillance technologies (spyware, digital forensics) apart from the mass figures, so
its supplier query filters on the technology too: the supplier covering index gains the ``technology`` column
(without it the query reads every matching row of the table). The static report reads each country's claims case by
case (``ix_claims_country_case``: without it every batch sorted the country's claims again)."""

from __future__ import annotations

from sqlalchemy import Connection, text

COLUMNS = ('"kind", "status", "country", "supplier", "supplier_country", "supplier_resolved", "technology", "year", '
           '"negated", "superseded_by"')


def upgrade(conn: Connection) -> None:
    conn.execute(text("DROP INDEX IF EXISTS ix_claims_index_supplier"))
    conn.execute(text(f"CREATE INDEX ix_claims_index_supplier ON claims ({COLUMNS})"))
    conn.execute(text('CREATE INDEX ix_claims_country_case ON claims ("country", "case_id", "id")'))
