"""Full-text search and the web app's composite indexes (release 0.2).

SQLite: FTS5 tables whose content is the documents and claims tables (rowid-linked, kept current by triggers);
PostgreSQL: a stored generated tsvector column ``fts`` on each table with a GIN index (stored, so a query never
recomputes the vectors of long texts)."""

from __future__ import annotations

from sqlalchemy import Connection, text

FTS_DOCUMENTS_PG = "to_tsvector('english', coalesce(title, '') || ' ' || text)"
FTS_CLAIMS_PG = ("to_tsvector('english', coalesce(quote, '') || ' ' || coalesce(supplier, '') || ' ' "
                 "|| coalesce(financier, ''))")
_FTS_SQLITE = {
    "documents": ("documents_fts", ("title", "text"), ""),
    "claims": ("claims_fts", ("quote", "supplier", "financier"), " OF quote, supplier, financier"),
}


# Composite indexes for the web app's profile pages (claims of one country/supplier/technology by status).
_WEB_INDEXES = {"ix_claims_country_status": '"country", "status"', "ix_claims_supplier_status": '"supplier", "status"',
                "ix_claims_technology_status": '"technology", "status"', "ix_claims_doc_id_start": '"doc_id", "start"'}


def upgrade(conn: Connection) -> None:
    for name, columns in _WEB_INDEXES.items():
        conn.execute(text(f"CREATE INDEX IF NOT EXISTS {name} ON claims ({columns})"))
    if conn.dialect.name == "postgresql":
        for table, vector in (("documents", FTS_DOCUMENTS_PG), ("claims", FTS_CLAIMS_PG)):
            conn.execute(text(f"ALTER TABLE {table} ADD COLUMN fts tsvector GENERATED ALWAYS AS ({vector}) STORED"))
            conn.execute(text(f"CREATE INDEX ix_{table}_fts ON {table} USING GIN (fts)"))
        return
    if conn.dialect.name != "sqlite":
        return
    for table, (fts, cols, of) in _FTS_SQLITE.items():
        names = ", ".join(cols)
        new = ", ".join(f"new.{c}" for c in cols)
        old = ", ".join(f"old.{c}" for c in cols)
        conn.execute(text(f"CREATE VIRTUAL TABLE {fts} USING fts5({names}, content='{table}', "
                          "content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')"))
        conn.execute(text(f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
                          f"INSERT INTO {fts}(rowid, {names}) VALUES (new.rowid, {new}); END"))
        conn.execute(text(f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
                          f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.rowid, {old}); END"))
        conn.execute(text(f"CREATE TRIGGER {fts}_au AFTER UPDATE{of} ON {table} BEGIN "
                          f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.rowid, {old}); "
                          f"INSERT INTO {fts}(rowid, {names}) VALUES (new.rowid, {new}); END"))
        conn.execute(text(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')"))
