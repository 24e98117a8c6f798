"""A file on disk archived as a document's raw bytes without holding it in memory (large imported tables)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, literal_column, select, update
from sqlalchemy.dialects import sqlite

from survindex.model import Document
from survindex.store import schema as s
from survindex.store.core import Store

CHUNK = 1 << 20


def file_digest(path: Path) -> tuple[str, int]:
    """sha256 and size of a file, read in chunks."""
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def put_document_file(store: Store, doc: Document, path: Path, conn: Connection) -> bool:
    """``store.put_document`` with the bytes of the file at ``path`` as the document's raw bytes; True when the
    document was new. On SQLite the bytes are copied into the blob a chunk at a time (a ``zeroblob`` filled by
    incremental blob I/O); on PostgreSQL they are read and sent whole."""
    if store.dialect != "sqlite":
        return store.put_document(doc, raw=path.read_bytes(), conn=conn)
    sha, size = file_digest(path)
    ins = sqlite.insert(s.blobs).values(sha256=sha, size=size, data=func.zeroblob(size))
    if conn.execute(ins.on_conflict_do_nothing(index_elements=["sha256"])).rowcount == 1:
        rowid: int = conn.execute(select(literal_column("rowid")).select_from(s.blobs)
                                  .where(s.blobs.c.sha256 == sha)).scalar_one()
        dbapi: Any = conn.connection.driver_connection
        with path.open("rb") as f, dbapi.blobopen("blobs", "data", rowid) as blob:
            while chunk := f.read(CHUNK):
                blob.write(chunk)
    new = store.put_document(doc, conn=conn)
    if new:  # as put_document does with raw bytes: only a new document is linked to them
        conn.execute(update(s.documents).where(s.documents.c.id == doc.id).values(raw_sha256=sha))
    return new
