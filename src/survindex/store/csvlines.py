"""CSV written by the database: an export of a million claims builds no Python row, it joins the lines the
database wrote (one ``printf``/``format`` per claim). Each line is byte for byte what Python's ``csv.writer``
(excel dialect) writes for the same values: a cell holding ``"``, ``,``, CR or LF is quoted with ``"`` doubled,
NULL is empty, an integer as ``str``, a float as ``repr``; a text column in ``safe`` gets a leading ``'``
where it would start a spreadsheet formula (OWASP's CSV injection advice, as ``export.cells``). A float the
database cannot write as Python does (below 1e-4 or from 1e15 on, or needing more digits than SQLite's 15)
leaves its line NULL, and ``csv.writer`` writes that claim from its values."""

from __future__ import annotations

import csv
import functools
import io
import operator
from collections.abc import Generator, Mapping, Sequence
from typing import Any

from sqlalchemy import (Connection, Float, Integer, LargeBinary, Select, String, Text, and_, bindparam, case, cast,
                        func, literal, literal_column, null, select)

from survindex.export.cells import TRIGGERS as FORMULA_STARTS  # one rule for every CSV survindex writes
from survindex.store import schema as s
from survindex.store.core import Store
from survindex.store.search import ClaimQuery, conditions

_QUOTED = ('"', ",", "\n", "\r")  # what makes csv.writer quote a cell (QUOTE_MINIMAL, lineterminator \r\n)
# Columns holding keys of the package vocabulary (claim kinds, technologies, AIGS categories, stages, statuses):
# plain words (a test holds every key to [a-z0-9_]), written without a check for quoting.
VOCABULARY = ("kind", "technology", "aigs_category", "stage", "status")


def const(value: Any) -> Any:
    """A constant written into the SQL text, not bound: SQLite reads a bound parameter again on every row (the
    lines, built of ~100 constants, took twice as long with them bound)."""
    return literal(value, literal_execute=True)


def text_safe(store: Store, col: Any) -> Any:
    """The column with a leading ``'`` where its text would start a spreadsheet formula (its first character's
    code among ``FORMULA_STARTS``: SQLite ``unicode``, PostgreSQL ``ascii``)."""
    first = (func.unicode if store.dialect == "sqlite" else func.ascii)(col)
    return case((first.in_([const(ord(ch)) for ch in FORMULA_STARTS]), const("'") + col), else_=col)


def _text_cell(store: Store, col: Any, safe: bool) -> Any:
    value = text_safe(store, col) if safe else col
    find = func.instr if store.dialect == "sqlite" else func.strpos
    needs_quotes = functools.reduce(operator.or_, [find(col, const(ch)) > const(0) for ch in _QUOTED])
    return case((needs_quotes, const('"') + func.replace(value, const('"'), const('""')) + const('"')), else_=value)


def _float_cell(store: Store, col: Any) -> tuple[Any, Any]:
    """The float's text and the condition that it is ``repr``'s: zero (SQLite keeps no -0.0), or 1e-4 <= |x| <
    1e15 (the fixed-point range of both databases and of Python) and the digits read back as x. PostgreSQL writes
    the shortest digits that read back, as Python does (but no ``.0``); SQLite 15 significant digits (so 1/3 is
    left to Python)."""
    as_text = cast(col, Text)
    exact = col.is_(None) | (col == const(0.0)) | ((func.abs(col) >= const(1e-4)) & (func.abs(col) < const(1e15))
                                                   & (cast(as_text, Float) == col))
    if store.dialect == "sqlite":
        return col, exact
    return case((func.strpos(as_text, const(".")) == 0, as_text + const(".0")), else_=as_text), exact


def line(store: Store, columns: tuple[str, ...], safe: tuple[str, ...] = ()) -> Any:
    """The CSV line (ending CR LF) of ``columns`` as a SQL expression, one ``printf`` (SQLite) or ``format``
    (PostgreSQL) of its cells, where NULL writes nothing; NULL where a float must be written by Python. ``safe``
    columns never start a spreadsheet formula."""
    cells, exact = [], []
    for name in columns:
        col = s.claims.c[name]
        if isinstance(col.type, Float):
            cell, ok = _float_cell(store, col)
            cells.append(cell)
            exact.append(ok)
        elif isinstance(col.type, Integer) or name in VOCABULARY:
            cells.append(col)  # as they are
        elif isinstance(col.type, String):
            cells.append(_text_cell(store, col, name in safe))
        else:
            raise ValueError(f"no CSV cell for the column {name} ({col.type})")
    fmt = const(",".join(["%s"] * len(columns)) + "\r\n")
    written = (func.printf if store.dialect == "sqlite" else func.format)(fmt, *cells)
    return case((and_(*exact), written), else_=null()) if exact else written


def csv_lines(store: Store, query: ClaimQuery, columns: tuple[str, ...], safe: tuple[str, ...] = (),
              limit: int = 5000) -> Generator[bytes, None, None]:
    """The CSV lines (UTF-8) of the claims matching ``query``, ``limit`` claims at a time (constant memory, linear
    time), in storage order. SQLite reads each batch by rowid after the last (the table's pages in order, 2.4x
    faster at 1M claims than in id order, whose rows lie all over the file). PostgreSQL runs one statement, read
    through a server-side cursor: batches by key each walked the primary key and the heap at random (9.5 s at 1M
    claims); one statement in id order must sort every row before the first (3.4 s to the first line, 4.6 s in
    all); in storage order 0.2 s to the first line and 4.3 s in all."""
    sqlite = store.dialect == "sqlite"
    key: Any = literal_column("claims.rowid") if sqlite else s.claims.c.id
    q = select(_utf8(store, line(store, columns, safe)), key).where(*conditions(store, query))
    cols = [text_safe(store, s.claims.c[n]) if n in safe else s.claims.c[n] for n in columns]

    def joined(conn: Connection, rows: Sequence[Any]) -> bytes:
        """The batch's lines; a line the database left NULL written by ``csv.writer`` from the claim's values."""
        lines: list[Any] = [text for text, _ in rows] if sqlite else [text and text.encode() for text, _ in rows]
        if odd := {k: i for i, (text, k) in enumerate(rows) if text is None}:
            for *values, k in conn.execute(select(*cols, key).where(key.in_(list(odd)))):
                out = io.StringIO()
                csv.writer(out).writerow(values)
                lines[odd[k]] = out.getvalue().encode()
            lines = [x or b"" for x in lines]  # b"": the claim was deleted since
        return b"".join(lines)

    if not sqlite:
        with store.engine.connect() as conn:
            # the table in storage order from its first page (another scan of it in progress must not make this
            # one start where that one is), so the rows stream at once and each export of one state is the same
            conn.exec_driver_sql("SET LOCAL synchronize_seqscans = off")
            for rows in conn.execution_options(yield_per=limit).execute(q).partitions():
                yield joined(conn, rows)
        return
    q = q.order_by(key)
    statement, after = _Statement(q.limit(limit)), None
    while True:
        with store.engine.connect() as conn:
            rows = statement.rows(conn, after=after)
            text = joined(conn, rows)
        yield text
        if len(rows) < limit:
            return
        if after is None:
            statement = _Statement(q.where(key > bindparam("after", rows[-1][-1])).limit(limit))
        after = rows[-1][-1]


def _utf8(store: Store, text: Any) -> Any:
    """SQLite: the text as UTF-8 bytes, made by the database (not decoded and encoded again in Python).
    PostgreSQL: the text as it is (its bytea travels as hex, twice the bytes, decoded in Python: 1.5 s more)."""
    return cast(text, LargeBinary) if store.dialect == "sqlite" else text


class _Statement:
    """A SQLite select run as the same statement batch after batch by the sqlite3 driver itself (its rows read as
    plain tuples), compiled once (15-20 ms each time: 1.7 s of a million-claim export)."""

    def __init__(self, q: Select[Any]) -> None:
        self.q = q
        self.compiled: tuple[str, list[str], Mapping[str, Any]] | None = None

    def rows(self, conn: Connection, **params: Any) -> list[Any]:
        if self.compiled is None:
            c = self.q.compile(conn, compile_kwargs={"render_postcompile": True})
            self.compiled = str(c), list(c.positiontup or ()), c.construct_params()
        sql, names, bound = self.compiled
        values = [params[n] if n in params else bound[n] for n in names]
        rows: list[Any] = conn.connection.driver_connection.execute(sql, values).fetchall()  # type: ignore[union-attr]
        return rows
