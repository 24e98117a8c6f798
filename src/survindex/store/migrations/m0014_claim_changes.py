"""PostgreSQL: a row for each transaction that added or removed claims (``claims_changes``, written by a statement
trigger), so that the web app's data version (``store.search.data_version``) counts a few thousand rows, not the
claims (40-60 ms of the database's CPU at 1M claims, once a second for each server process). A writer adds its
own transaction's row once, so concurrent writers never wait for each other, and the row is seen when its claims
are (a sequence's last value would change before they were). SQLite's data version reads ``max(rowid)`` of the
claims, which costs nothing: no change there."""

from __future__ import annotations

from sqlalchemy import Connection, text


def upgrade(conn: Connection) -> None:
    if conn.dialect.name != "postgresql":
        return
    conn.execute(text("CREATE TABLE claims_changes (tx bigint PRIMARY KEY)"))
    # SET search_path FROM CURRENT: the function writes to the claims_changes beside these claims whatever the
    # writer's own search path
    conn.execute(text("CREATE FUNCTION claims_changed() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT "
                      "AS $$ BEGIN INSERT INTO claims_changes VALUES (txid_current()) ON CONFLICT DO NOTHING; "
                      "RETURN NULL; END $$"))
    conn.execute(text("CREATE TRIGGER claims_changed AFTER INSERT OR DELETE ON claims "
                      "FOR EACH STATEMENT EXECUTE FUNCTION claims_changed()"))
    conn.execute(text("INSERT INTO claims_changes VALUES (txid_current())"))  # the claims stored before
