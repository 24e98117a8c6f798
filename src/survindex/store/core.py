"""Store: documents, claims, entities, audit log, errors and runs, behind one small API."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, delete, event, func, insert, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.sql.elements import ColumnElement

from survindex.model import Claim, Document, sha256_hex
from survindex.model.records import CLAIM_FIELDS
from survindex.store import reviews, safety
from survindex.store import schema as s
from survindex.store.keyset import after_key
from survindex.store.migrations import MIGRATIONS


CASE_KINDS = ("deployment", "financing")  # claims of these kinds make cases (store.cases)


class NotFound(LookupError):
    """No row with that id."""


class SchemaTooNew(RuntimeError):
    """The database was written by a newer survindex than this one."""


class ConflictError(RuntimeError):
    """Someone else changed the row since it was read (optimistic concurrency)."""


def utcnow() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def database_url(db: str) -> str:
    """A bare path means a SQLite file; anything with ``://`` is an SQLAlchemy URL."""
    if "://" in db:
        url = make_url(db)
        if url.drivername in ("postgresql", "postgres"):
            return url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
        return db
    return "sqlite:///" + str(Path(db).expanduser())


@dataclass(frozen=True)
class ClaimFilter:
    """Selection of claims; every field is optional and fields combine with AND."""

    status: str | tuple[str, ...] | None = None  # one status, several, or None for all
    kind: str | tuple[str, ...] | None = None
    country: str | None = None
    supplier: str | None = None
    supplier_country: str | None = None
    technology: str | None = None
    aigs_category: str | None = None
    financier: str | None = None
    doc_id: str | None = None
    stage: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    min_confidence: float | None = None
    include_negated: bool = False
    include_superseded: bool = False  # claims a newer extractor version replaced (see store.extractions)


def _claim_row(claim: Claim) -> dict[str, Any]:
    row = {f: getattr(claim, f) for f in CLAIM_FIELDS}
    row["evidence"] = list(claim.evidence) or None
    row["citations"] = list(claim.citations) or None
    row["aigs_category"] = claim.aigs_category
    return row


def _row_claim(row: Any) -> Claim:
    m = row._mapping
    return Claim(**{f: m[f] for f in CLAIM_FIELDS if f not in ("evidence", "citations")},
                 evidence=tuple(m["evidence"] or ()), citations=tuple(m["citations"] or ()))


# What a re-run may restate of a stored claim (the other fields make up its id); reviewed claims also take back
# the decision's status, reason and corrected fields.
_MUTABLE_ON_REIMPORT = ("extractor_version", "confidence", "supplier_country", "amount_usd", "original", "quote",
                        "stage", "aigs_category", "qualifier", "supplier_resolved", "negated", "evidence",
                        "deployer", "citations")
_REVIEWED_COLUMNS = ("status", "review_reason", *(f for f in reviews.CORRECTABLE if f not in _MUTABLE_ON_REIMPORT))


def _insert(dialect: str) -> Any:
    """The dialect's INSERT with ON CONFLICT (imported when first written: reads need neither dialect)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert
    from sqlalchemy.dialects import sqlite

    return sqlite.insert


def _pool_args(url: str) -> dict[str, Any]:
    """A SQLite file keeps up to ``SQLITE_POOL`` connections open (as many as the web app's threads): a new one
    reads the schema again and starts with a cold page cache, a large part of a small query's time; the last
    returned is the next taken (its page cache is the warmest); no ping, a file does not drop connections.
    Database servers: ``SERVER_POOL`` connections kept (a new PostgreSQL connection costs a backend start), the
    warmest first, each pinged on checkout."""
    if url.startswith("sqlite") and ":memory:" not in url and url.rstrip("/") not in ("sqlite:", "sqlite+pysqlite:"):
        return {"pool_pre_ping": False, "pool_size": SQLITE_POOL, "max_overflow": SQLITE_POOL // 2,
                "pool_use_lifo": True}
    if url.startswith("sqlite"):
        return {"pool_pre_ping": True}
    return {"pool_pre_ping": True, "pool_size": SERVER_POOL, "max_overflow": SERVER_POOL // 2, "pool_use_lifo": True}


SQLITE_POOL = 40
SERVER_POOL = 20


class Store:
    def __init__(self, db: str, read_only: bool = False):
        """``read_only`` opens the database so that nothing can be written (``safety.read_only_url``)."""
        self.url = database_url(db)
        self.read_only = read_only
        url, args = safety.read_only_url(self.url) if read_only else (self.url, {})
        self.engine: Engine = create_engine(url, future=True, connect_args=args, **_pool_args(url))
        self.dialect = self.engine.dialect.name
        if self.dialect == "sqlite":
            _check_sqlite()
            event.listen(self.engine, "connect", safety.read_pragmas if read_only else _sqlite_pragmas)
        safety.install(self.engine, self.url_safe)

    # -- lifecycle -------------------------------------------------------------------------------
    def migrate(self, to: int | None = None) -> int:
        """Bring the schema up to date (or up to migration ``to``); returns the schema version. Processes that open a new database at the
        same time take turns (a write lock on SQLite, an advisory lock on PostgreSQL); a database written by a
        newer survindex is refused, never written."""
        with self.engine.begin() as conn:
            self._lock_schema(conn)
            version = s.current_version(conn)
            if version > len(MIGRATIONS):
                raise SchemaTooNew(f"{self.url_safe} has schema version {version}, but this survindex knows only "
                                   f"{len(MIGRATIONS)}; upgrade survindex to use it")
            for m in MIGRATIONS[version:to]:
                m.upgrade(conn)
                names = ",".join(x.name for x in MIGRATIONS[:m.number])
                self._upsert(conn, s.meta, [{"key": "schema_version", "value": str(m.number)},
                                            {"key": "migrations", "value": names}], ["key"], ["value"])
            return s.current_version(conn)

    def _lock_schema(self, conn: Connection) -> None:
        from sqlalchemy import text

        if self.dialect == "sqlite":
            # pysqlite opens its transaction lazily, at the first DML statement; take the write lock now, so the
            # version read below stays true until this transaction commits.
            if not getattr(conn.connection.dbapi_connection, "in_transaction", True):
                conn.exec_driver_sql("BEGIN IMMEDIATE")
        elif self.dialect == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(7271100)"))

    @property
    def url_safe(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction: everything in it is written, or nothing is."""
        with self.engine.begin() as conn:
            yield conn

    def read(self) -> Connection:
        """A connection for reads (``with store.read() as conn``). On a database server it opens no transaction:
        each statement reads its own snapshot, as it does in a READ COMMITTED transaction, without the BEGIN and
        ROLLBACK round trips around it (two of a small read's four on PostgreSQL)."""
        conn = self.engine.connect()
        return conn if self.dialect == "sqlite" else conn.execution_options(isolation_level="AUTOCOMMIT")

    @contextmanager
    def _conn(self, conn: Connection | None) -> Iterator[Connection]:
        if conn is not None:
            yield conn
        else:
            with self.engine.begin() as c:
                yield c

    def _upsert(self, conn: Connection, table: Any, rows: list[dict[str, Any]], keys: list[str],
                update_cols: Iterable[str] = ()) -> None:
        if not rows:
            return
        ins = _insert(self.dialect)(table)
        cols = list(update_cols)
        if cols:
            stmt = ins.on_conflict_do_update(index_elements=keys, set_={c: ins.excluded[c] for c in cols})
        else:
            stmt = ins.on_conflict_do_nothing(index_elements=keys)
        conn.execute(stmt, rows)

    # -- documents -------------------------------------------------------------------------------
    def put_document(self, doc: Document, raw: bytes | None = None, conn: Connection | None = None) -> bool:
        """Store a document (and its raw bytes); returns True when it was new."""
        with self._conn(conn) as c:
            raw_sha = None
            if raw is not None:
                raw_sha = sha256_hex(raw)
                self._upsert(c, s.blobs, [{"sha256": raw_sha, "size": len(raw), "data": raw}], ["sha256"])
            ins = _insert(self.dialect)(s.documents)
            res = c.execute(ins.on_conflict_do_nothing(index_elements=["id"]).values(
                id=doc.id, title=doc.title, url=doc.url, published=doc.published, source=doc.source,
                publisher=doc.publisher, language=doc.language, mime=doc.mime, raw_sha256=raw_sha,
                duplicate_of=doc.duplicate_of, meta=doc.meta, text=doc.text, ingested_at=utcnow())
                .returning(s.documents.c.id))
            return res.first() is not None  # False when another run stored it first: "new" is counted once

    def get_document(self, doc_id: str) -> Document:
        with self.engine.connect() as c:
            row = c.execute(select(s.documents).where(s.documents.c.id == doc_id)).first()
        if row is None:
            raise NotFound(f"no document {doc_id}")
        m = row._mapping
        return Document(id=m["id"], text=m["text"], title=m["title"], url=m["url"], published=m["published"],
                        source=m["source"], publisher=m["publisher"], language=m["language"], mime=m["mime"],
                        meta=m["meta"] or {}, duplicate_of=m["duplicate_of"])

    def documents(self, limit: int | None = None, offset: int = 0, skip_duplicates: bool = False,
                  batch: int = 500, unread_by: tuple[str, str] | None = None) -> Iterator[Document]:
        """Documents in id order, read ``batch`` at a time (keyset pagination on id, one query a batch, no
        connection held while the caller works); ``skip_duplicates`` leaves out documents linked to another;
        ``unread_by=(extractor, version)`` keeps only documents that extractor has not read at that version."""
        d = s.documents.c
        e = s.extractions.c
        last: str | None = None
        left = limit
        while left is None or left > 0:
            size = batch if left is None else min(batch, left)
            q = select(s.documents).order_by(d.id).limit(size)
            q = q.where(d.id > last) if last is not None else q.offset(offset)
            if skip_duplicates:
                q = q.where(d.duplicate_of.is_(None))
            if unread_by is not None:
                q = q.where(~select(e.doc_id).where(e.doc_id == d.id, e.extractor == unread_by[0],
                                                    e.version == unread_by[1]).exists())
            with self.engine.connect() as c:
                rows = [r._mapping for r in c.execute(q)]
            for m in rows:
                yield Document(id=m["id"], text=m["text"], title=m["title"], url=m["url"],
                               published=m["published"], source=m["source"], publisher=m["publisher"],
                               language=m["language"], mime=m["mime"], meta=m["meta"] or {},
                               duplicate_of=m["duplicate_of"])
            if len(rows) < size:
                return
            last = rows[-1]["id"]
            left = None if left is None else left - len(rows)

    def raw_bytes(self, doc_id: str) -> bytes | None:
        q = select(s.blobs.c.data).join(s.documents, s.documents.c.raw_sha256 == s.blobs.c.sha256).where(
            s.documents.c.id == doc_id)
        with self.engine.connect() as c:
            row = c.execute(q).first()
        return bytes(row[0]) if row else None

    def document_keys(self, batch: int = 5000) -> Iterator[tuple[str, str | None, dict[str, Any]]]:
        """``(id, duplicate_of, meta)`` of every document, in id order and batches, without the texts
        (what ingest's deduplication needs at the start of a run)."""
        d = s.documents.c
        last = ""
        while True:
            with self.engine.connect() as c:
                rows = c.execute(select(d.id, d.duplicate_of, d.meta).where(d.id > last)
                                 .order_by(d.id).limit(batch)).all()
            yield from ((r[0], r[1], r[2] or {}) for r in rows)
            if len(rows) < batch:
                return
            last = rows[-1][0]

    # -- claims ----------------------------------------------------------------------------------
    def put_claims(self, claims: Iterable[Claim], conn: Connection | None = None) -> int:
        """Insert claims, or update what their source states for claims already stored (same content id).
        Review decisions are re-applied on top (``store.reviews``): a re-run never undoes review work, and a
        reviewed claim whose stated values did change gets a new version and an audit entry.
        Returns how many claims were new."""
        rows = {r["id"]: r for r in map(_claim_row, claims)}  # dedupe within the batch
        if not rows:
            return 0
        now = utcnow()
        with self._conn(conn) as c:
            known = self._stored(c, list(rows))
            decisions = reviews.load(c, [i for i in rows if i in known])
            for claim_id, r in rows.items():
                r.update(created_at=now, version=1, review_reason=None)
                if claim_id in decisions:
                    reviews.apply(r, decisions[claim_id])
            self.mark_cases(c, (r["country"] for r in rows.values() if r["kind"] in CASE_KINDS))
            plain = [r for i, r in rows.items() if i not in decisions]
            decided = [r for i, r in rows.items() if i in decisions]
            self._upsert(c, s.claims, plain, ["id"], _MUTABLE_ON_REIMPORT)
            self._upsert(c, s.claims, decided, ["id"], _MUTABLE_ON_REIMPORT + _REVIEWED_COLUMNS)
            for r in decided:
                before = known[r["id"]]
                changed = {k: r[k] for k in _MUTABLE_ON_REIMPORT if before.get(k) != r[k]}
                if changed:
                    c.execute(update(s.claims).where(s.claims.c.id == r["id"])
                              .values(version=s.claims.c.version + 1))
                    self.audit("import", "restate", r["id"], {k: before.get(k) for k in changed}, changed,
                               "the source was read again; the review decision still applies", conn=c)
            return len(set(rows) - set(known))

    def _stored(self, c: Connection, ids: list[str]) -> dict[str, dict[str, Any]]:
        """The stored rows of these claims (the columns a re-run may change), by id."""
        cols = [s.claims.c.id, *(s.claims.c[k] for k in _MUTABLE_ON_REIMPORT)]
        out: dict[str, dict[str, Any]] = {}
        for i in range(0, len(ids), 500):
            for r in c.execute(select(*cols).where(s.claims.c.id.in_(ids[i:i + 500]))):
                out[r.id] = dict(r._mapping)
        return out

    def get_claim(self, claim_id: str) -> tuple[Claim, dict[str, Any]]:
        """The claim and its row metadata (version, review_reason, created_at)."""
        with self.engine.connect() as c:
            row = c.execute(select(s.claims).where(s.claims.c.id == claim_id)).first()
        if row is None:
            raise NotFound(f"no claim {claim_id}")
        m = row._mapping
        return _row_claim(row), {"version": m["version"], "review_reason": m["review_reason"],
                                 "created_at": m["created_at"], "id": m["id"]}

    def _where(self, f: ClaimFilter) -> list[Any]:
        c = s.claims.c
        conds: list[Any] = []
        for col, value in (("status", f.status), ("kind", f.kind)):
            if isinstance(value, str):
                conds.append(c[col] == value)
            elif value:
                conds.append(c[col].in_(value))
        for col in ("country", "supplier", "supplier_country", "technology", "aigs_category", "financier",
                    "doc_id", "stage"):
            value = getattr(f, col)
            if value is not None:
                conds.append(c[col] == value)
        if f.year_from is not None:
            conds.append(c.year >= f.year_from)
        if f.year_to is not None:
            conds.append(c.year <= f.year_to)
        if f.min_confidence is not None:
            conds.append(c.confidence >= f.min_confidence)
        if not f.include_negated:
            conds.append(c.negated.is_(False))
        if not f.include_superseded:
            conds.append(c.superseded_by.is_(None))
        return conds

    def claims(self, f: ClaimFilter | None = None, limit: int | None = None, offset: int = 0,
               order_by: str = "id", batch: int = 5000) -> Iterator[Claim]:
        """Stream claims matching a filter, ``batch`` at a time, by key (each batch starts where the last one
        ended, so reading a million claims costs the same per batch at any depth; no connection is held while the
        caller works). ``offset`` skips that many claims once, at the start."""
        f = f or ClaimFilter(include_negated=True)
        c = s.claims.c
        keys: list[tuple[ColumnElement[Any], bool]] = (
            [(c.id, False)] if order_by == "id" else [(c.confidence, True), (c.id, False)])
        q = select(s.claims).where(*self._where(f)).order_by(*(k.desc() if d else k for k, d in keys))
        last: tuple[Any, ...] | None = None
        left = limit
        while left is None or left > 0:
            n = batch if left is None else min(batch, left)
            page = q.where(after_key(keys, last)) if last is not None else q.offset(offset)
            with self.engine.connect() as conn:
                rows = conn.execute(page.limit(n)).all()
            yield from (_row_claim(r) for r in rows)
            if len(rows) < n:
                return
            last = tuple(rows[-1]._mapping[str(k.key)] for k, _ in keys)
            left = None if left is None else left - n

    def count_claims(self, f: ClaimFilter | None = None) -> int:
        f = f or ClaimFilter(include_negated=True)
        with self.engine.connect() as c:
            return int(c.execute(select(func.count()).select_from(s.claims).where(*self._where(f))).scalar_one())

    def update_claim(self, claim_id: str, changes: dict[str, Any], actor: str, expected_version: int,
                     action: str = "update", reason: str | None = None, conn: Connection | None = None) -> int:
        """Change a claim's status or values. The decision is stored apart (``reviews``) so later runs keep it;
        corrections keep the stated values in ``original``; every change goes to the audit log. Raises
        ConflictError if the version moved."""
        unknown = set(changes) - {"status", *reviews.CORRECTABLE}
        if unknown:
            raise ValueError(f"cannot change {', '.join(sorted(unknown))} of a claim")
        with self._conn(conn) as c:
            row = c.execute(select(s.claims).where(s.claims.c.id == claim_id)).first()
            if row is None:
                raise NotFound(f"no claim {claim_id}")
            m = dict(row._mapping)
            if m["version"] != expected_version:
                raise ConflictError(f"claim {claim_id} was changed by someone else (version {m['version']}, "
                                    f"you edited version {expected_version}); reload and apply your change again")
            old = reviews.load(c, [claim_id]).get(claim_id)
            decision = reviews.merged(old, changes.get("status", m["status"]), changes, reason, actor, utcnow())
            self._upsert(c, s.reviews, [{"claim_id": claim_id, **decision}], ["claim_id"],
                         ["status", "changes", "reason", "actor", "at", "decisions"])
            values = reviews.apply(dict(m), {**decision, "changes": {k: v for k, v in changes.items()
                                                                       if k in reviews.CORRECTABLE}})
            values = {k: values[k] for k in (*changes, "original", "aigs_category", "status", "review_reason")}
            values["version"] = m["version"] + 1
            res = c.execute(update(s.claims).where(s.claims.c.id == claim_id, s.claims.c.version == expected_version)
                            .values(**values))
            if res.rowcount != 1:
                raise ConflictError(f"claim {claim_id} was changed by someone else; reload and try again")
            self.audit(actor, action, claim_id, {k: m[k] for k in changes}, changes, reason, conn=c)
            if m["kind"] in CASE_KINDS and set(changes) == {"status"} and m["case_id"]:
                from survindex.store import cases  # grouping ignores the status: only the case's summary changes

                cases.resummarise(c, str(m["case_id"]))
            elif m["kind"] in CASE_KINDS:
                self.mark_cases(c, (m["country"], values.get("country", m["country"])))
            return int(values["version"])

    def mark_cases(self, conn: Connection, countries: Iterable[str | None]) -> None:
        """Mark countries whose cases must be rebuilt (``store.cases.refresh``)."""
        self._upsert(conn, s.case_dirty, [{"country": c or ""} for c in set(countries)], ["country"])

    def refresh_cases(self, everything: bool = False) -> int:
        """Rebuild the cases of the countries whose claims changed; returns how many countries."""
        from survindex.store import cases

        return cases.refresh(self, everything)

    def restore_review(self, claim_id: str, decision: dict[str, Any] | None, values: dict[str, Any],
                       expected_version: int, actor: str, conn: Connection) -> int:
        """Put back a claim's earlier decision (None: never reviewed) and the row values it had then (an undo);
        raises ConflictError if the claim changed since. Returns the new version."""
        if decision is None:
            conn.execute(delete(s.reviews).where(s.reviews.c.claim_id == claim_id))
        else:
            self._upsert(conn, s.reviews, [{**decision, "claim_id": claim_id}], ["claim_id"],
                         ["status", "changes", "reason", "actor", "at", "decisions"])
        res = conn.execute(update(s.claims).where(s.claims.c.id == claim_id, s.claims.c.version == expected_version)
                           .values(**values, version=expected_version + 1))
        if res.rowcount != 1:
            raise ConflictError(f"claim {claim_id} was changed since; it cannot be undone")
        self.audit(actor, "undo", claim_id, None, values, None, conn=conn)
        country = conn.execute(select(s.claims.c.country).where(s.claims.c.id == claim_id)).scalar()
        self.mark_cases(conn, (country, values.get("country", country)))
        return expected_version + 1

    def review_of(self, claim_id: str) -> dict[str, Any] | None:
        """The review decision on a claim (status, corrected fields, reason, who and when), or None."""
        with self.engine.connect() as c:
            return reviews.load(c, [claim_id]).get(claim_id)

    # -- entities, audit, errors, runs -----------------------------------------------------------
    def propose_entity(self, type_: str, name: str, country: str | None, doc_id: str | None,
                       conn: Connection | None = None) -> None:
        """Record an organisation not in the registry (e.g. an unknown supplier) for review. Its ``mentions`` are
        counted afresh from the stored claims that name it unresolved: one per document, or per row of an imported
        table (distinct document and location). Re-runs never inflate them."""
        ent_id = "ent-" + sha256_hex(f"{type_}:{name.casefold()}")[:32]
        cl = s.claims.c
        with self._conn(conn) as c:
            places = select(cl.doc_id, func.coalesce(cl.location, "")).where(
                cl.supplier == name, cl.supplier_resolved.is_(False), cl.superseded_by.is_(None)).distinct()
            docs = c.execute(select(func.count()).select_from(places.subquery())).scalar_one()
            mentions = max(int(docs), 1)
            exists = c.execute(select(s.entities.c.id).where(s.entities.c.id == ent_id)).first()
            if exists:
                c.execute(update(s.entities).where(s.entities.c.id == ent_id).values(mentions=mentions))
            else:
                c.execute(insert(s.entities).values(id=ent_id, type=type_, name=name, country=country,
                                                    status="proposed", first_doc_id=doc_id, mentions=mentions,
                                                    meta={}))

    def entities(self, status: str | None = None) -> list[dict[str, Any]]:
        q = select(s.entities).order_by(s.entities.c.mentions.desc(), s.entities.c.name)
        if status:
            q = q.where(s.entities.c.status == status)
        with self.engine.connect() as c:
            return [dict(r._mapping) for r in c.execute(q)]

    def audit(self, actor: str, action: str, object_id: str | None, before: Any, after: Any,
              reason: str | None = None, conn: Connection | None = None) -> int:
        """Write an audit entry; returns its id."""
        with self._conn(conn) as c:
            res = c.execute(insert(s.audit_log).values(at=utcnow(), actor=actor, action=action, object_id=object_id,
                                                       before=before, after=after, reason=reason))
            return int(res.inserted_primary_key[0])  # type: ignore[index]

    def history(self, object_id: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
        q = select(s.audit_log).order_by(s.audit_log.c.id.desc()).limit(limit)
        if object_id:
            q = q.where(s.audit_log.c.object_id == object_id)
        with self.engine.connect() as c:
            return [dict(r._mapping) for r in c.execute(q)]

    def record_error(self, source: str, reason: str, location: str | None = None, run: str | None = None,
                     conn: Connection | None = None) -> None:
        """Record a per-file / per-row problem; in its own transaction (so it survives a rollback) unless ``conn``
        is given (so it is committed with the batch it belongs to)."""
        printable = safety.printable
        values = dict(at=utcnow(), run=run, source=printable(source), reason=printable(reason),
                      location=printable(location) if location is not None else None)
        with self._conn(conn) as c:
            c.execute(insert(s.errors).values(**values))

    def errors(self, limit: int = 1000) -> list[dict[str, Any]]:
        with self.engine.connect() as c:
            return [dict(r._mapping) for r in c.execute(select(s.errors).order_by(s.errors.c.id).limit(limit))]

    def start_run(self, run_id: str, command: str) -> int:
        """Record a run as ``running`` (with its host and pid); ``running`` rows whose process is gone (killed)
        are marked ``interrupted`` first. Returns how many were."""
        with self.transaction() as c:
            stale = [r.id for r in c.execute(select(s.runs.c.id, s.runs.c.stats).where(s.runs.c.status == "running"))
                     if safety.is_dead((r.stats or {}).get("owner"))]
            if stale:
                c.execute(update(s.runs).where(s.runs.c.id.in_(stale)).values(status="interrupted"))
            self._upsert(c, s.runs, [{"id": run_id, "command": safety.printable(command), "started_at": utcnow(),
                                      "status": "running", "stats": {"owner": safety.this_process()}}],
                         ["id"], ["started_at", "status", "stats"])
        return len(stale)

    def finish_run(self, run_id: str, status: str, stats: dict[str, Any]) -> None:
        with self.transaction() as c:
            c.execute(update(s.runs).where(s.runs.c.id == run_id).values(
                finished_at=utcnow(), status=status, stats=json.loads(json.dumps(stats, default=str))))

    def table_counts(self) -> dict[str, int]:
        with self.engine.connect() as c:
            return {t.name: int(c.execute(select(func.count()).select_from(t)).scalar_one())
                    for t in (s.documents, s.claims, s.entities, s.audit_log, s.errors)}


SQLITE_MIN = (3, 38)  # JSON ``->`` (store.aggregates), FTS5


def _check_sqlite(version: tuple[int, ...] | None = None) -> None:
    """Refuse, with the reason, a SQLite library older than ``SQLITE_MIN`` (Python links the system's)."""
    found = version or sqlite3.sqlite_version_info
    if found[:2] < SQLITE_MIN:
        raise safety.StorageError(f"survindex needs SQLite {'.'.join(map(str, SQLITE_MIN))} or later; this Python "
                                  f"uses SQLite {'.'.join(map(str, found))} (upgrade the system's libsqlite3, or "
                                  "give a postgresql:// URL)")


WAL_WAIT = 10.0  # seconds a new connection tries to put a new file in WAL mode while others hold it


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    """A SQLite connection waits up to 10 s for other processes' locks, and its file is in WAL mode. The switch to
    WAL (once in a file's life) is refused at once, without waiting, while another process holds the file (eight
    processes opening a new database together): it is tried again until ``WAL_WAIT``."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=10000")
    deadline = time.monotonic() + WAL_WAIT
    while True:
        try:
            if str(cur.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                cur.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()
