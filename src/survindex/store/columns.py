"""The claims' filter and facet columns held in memory (numpy arrays), so that a search's count, facets and first
claims come from the full-text index's matches without reading the matching rows: a common word matches tens of
thousands of claims at 1M, reading them took 0.25 s; counting them here takes a few milliseconds.

A claim's place in the arrays is its SQLite ``rowid`` (the key the FTS index returns) or, on PostgreSQL, its rank
among the sorted claim ids. ``ClaimColumns.current`` keeps a snapshot per data version (``search.data_version``):
new claims reload it whole (in one ``GROUP BY`` per column, the keys of each value concatenated by the database);
review actions re-read only the claims the audit log names since the last version. A query the columns cannot
answer (a document filter, another dialect) returns None and is answered by SQL.

On PostgreSQL the snapshot also holds the places of the claims behind each lexeme of their ``fts`` vectors
(``Postings``): the GIN index finds a word's claims quickly, but their keys are in the table's rows, and a word in
127,000 of a million claims read 70,000 heap pages (0.5-0.7 s); intersecting arrays here takes milliseconds.
PostgreSQL still turns the words into lexemes (``plainto_tsquery``), so matching is its own. On SQLite the terms
held by at least ``POSTED`` claims are held the same way, each listed by FTS5 itself: a query of plain ASCII words
(``plain_terms``, the terms FTS5 makes of them) whose terms are all held is answered here, any other by FTS5."""

from __future__ import annotations

import itertools
import re
import threading
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from sqlalchemy import Connection, bindparam, text

from survindex.store.core import Store

CATEGORICAL = ("status", "kind", "technology", "country", "supplier", "supplier_country", "financier")  # indexed
NO_YEAR = np.iinfo(np.int32).min
FULL_RELOAD = 20_000  # more claims changed than this since the last version: read every claim again


@dataclass(frozen=True)
class Snapshot:
    """The columns at one data version. ``codes[col][key]`` is the index of the value in ``names[col]`` (-1: NULL;
    in the narrowest type that holds them, ``code_type``);
    ``present`` marks the keys that hold a claim (SQLite rowids can have gaps)."""

    version: tuple[int, int]
    codes: dict[str, np.ndarray]
    names: dict[str, list[Any]]
    index: dict[str, dict[Any, int]]  # value -> code
    year: np.ndarray
    confidence: np.ndarray  # -inf where NULL (review order puts those last)
    negated: np.ndarray
    superseded: np.ndarray
    present: np.ndarray
    rank: np.ndarray  # the claim's place in id order
    ids: np.ndarray | None  # PostgreSQL: the sorted claim ids (bytes), the key of each place
    postings: Postings | None = None  # the places of each lexeme (PostgreSQL) or common term (SQLite)

    def code(self, col: str, value: Any) -> int:
        """The code of a value (-2, which no claim has, for a value no claim has)."""
        return self.index[col].get(value, -2)


@dataclass(frozen=True)
class Postings:
    """The places of the claims whose full-text entry holds each lexeme (PostgreSQL's ``fts`` vector) or term
    (SQLite's FTS5 index, the common terms only), sorted, as read with the snapshot, and the lexemes or terms of the
    claims read again since (a correction can change a supplier's name)."""

    places: dict[str, np.ndarray]
    changed: dict[int, frozenset[str]]

    def matches(self, lexemes: frozenset[str]) -> np.ndarray:
        """The places of the claims holding every one of ``lexemes`` (``fts @@`` a query of them joined by &)."""
        found: np.ndarray | None = None
        for lexeme in sorted(lexemes, key=lambda x: len(self.places.get(x, ()))):  # the rarest first
            here = self.places.get(lexeme, _NONE)
            found = here if found is None else np.intersect1d(found, here, assume_unique=True)
            if not len(found):
                break
        if found is None:
            return _NONE
        if self.changed:
            found = found[~np.isin(found, np.fromiter(self.changed, dtype=np.int64, count=len(self.changed)))]
            again = sorted(p for p, held in self.changed.items() if lexemes <= held)
            found = np.union1d(found, np.array(again, dtype=np.int64))
        return found


_NONE = np.empty(0, dtype=np.int64)
_PLAIN = re.compile(r"[A-Za-z0-9]+")
POSTED = 1000  # SQLite: terms held by at least this many claims have their claims' rowids in memory
FTS_COLUMNS = "quote, supplier, financier"  # the claims' full-text columns (SQLite: claims_fts)
_LEXEME = re.compile(r"'((?:[^']|'')*)'")
POSTINGS = ("SELECT lexeme, string_agg(place::text, ',') FROM (SELECT fts, row_number() OVER (ORDER BY id COLLATE \"C\")"
            " - 1 AS place FROM claims) AS r, unnest(tsvector_to_array(fts)) AS lexeme GROUP BY lexeme")


def query_lexemes(conn: Connection, words: str) -> frozenset[str] | None:
    """The lexemes of ``plainto_tsquery('english', words)``, or None when that query is more than lexemes joined
    by & (then SQL answers)."""
    query, vector = conn.execute(text("SELECT plainto_tsquery('english', :m)::text, "
                                      "tsvector_to_array(to_tsvector('english', :m))"), {"m": words}).one()
    lexemes = frozenset(m.replace("''", "'") for m in _LEXEME.findall(query))
    if _LEXEME.sub("", query).replace("&", "").strip() or "\\" in query or lexemes != frozenset(vector):
        return None
    return lexemes


class _Keys:
    """How a dialect names a claim's place: the SQLite rowid, or the rank of the id (PostgreSQL)."""

    def __init__(self, conn: Connection, dialect: str, ids: np.ndarray | None = None) -> None:
        self.conn, self.sqlite, self.ids = conn, dialect == "sqlite", ids

    @property
    def key(self) -> str:
        return "rowid" if self.sqlite else "id"

    def agg(self, expr: str, order: str = "") -> str:
        """The values of ``expr`` joined by commas (PostgreSQL: in ``order``; SQLite: in the order of its scan)."""
        return f"group_concat({expr})" if self.sqlite else f"string_agg({expr}, ','{order})"

    def parse(self, joined: str | None) -> np.ndarray:
        """The places of a comma-joined list of keys."""
        if not joined:
            return np.empty(0, dtype=np.int64)
        if self.sqlite:
            return np.asarray(np.fromstring(joined, dtype=np.int64, sep=","))
        assert self.ids is not None
        found = np.array(joined.encode().split(b","), dtype=self.ids.dtype)
        places: np.ndarray = np.searchsorted(self.ids, found)
        known: np.ndarray = places[self.ids[np.minimum(places, len(self.ids) - 1)] == found]  # not past the end
        return known


def _load(store: Store, version: tuple[int, int]) -> Snapshot:
    with store.engine.connect() as conn:
        if store.dialect == "postgresql":  # one state of the data for the ids and the places of the lexemes
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        ids = None
        if store.dialect == "sqlite":
            size = int(conn.execute(text("SELECT coalesce(max(rowid), 0) + 1 FROM claims")).scalar_one())
        else:
            joined = conn.execute(text("SELECT string_agg(id, ',') FROM claims")).scalar_one()
            ids = np.sort(np.array(joined.encode().split(b","), dtype=bytes) if joined else np.empty(0, dtype="S1"))
            size = len(ids)
        keys = _Keys(conn, store.dialect, ids)
        codes: dict[str, np.ndarray] = {}
        names: dict[str, list[str]] = {}
        for col in CATEGORICAL:
            codes[col], names[col] = np.full(size, -1, dtype=np.int32), []
            for value, joined in conn.execute(text(f"SELECT {col}, {keys.agg(keys.key)} FROM claims GROUP BY {col}")):
                if value is not None:
                    codes[col][keys.parse(joined)] = len(names[col])
                    names[col].append(value)
            codes[col] = codes[col].astype(code_type(len(names[col])))
        year = np.full(size, NO_YEAR, dtype=np.int32)
        for value, joined in conn.execute(text(f"SELECT year, {keys.agg(keys.key)} FROM claims "
                                               "WHERE year IS NOT NULL GROUP BY year")):
            year[keys.parse(joined)] = value

        def flag(where: str) -> np.ndarray:
            out = np.zeros(size, dtype=bool)
            out[keys.parse(conn.execute(text(f"SELECT {keys.agg(keys.key)} FROM claims WHERE {where}"))
                           .scalar_one())] = True
            return out

        confidence = np.full(size, -np.inf)
        conf = "ifnull(confidence, '-inf')" if keys.sqlite else "coalesce(confidence::text, '-inf')"
        where, joined_conf = conn.execute(text(f"SELECT {keys.agg(keys.key, ' ORDER BY id')}, "
                                               f"{keys.agg(conf, ' ORDER BY id')} FROM claims")).one()
        if where:
            confidence[keys.parse(where)] = np.fromstring(joined_conf, sep=",")
        if keys.sqlite:
            rank = np.zeros(size, dtype=np.int64)
            rows = conn.connection.driver_connection.execute(  # type: ignore[union-attr]
                "SELECT rowid FROM claims ORDER BY id").fetchall()  # 1M rows: 0.4 s; through SQLAlchemy 1.3 s
            order = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int64, count=len(rows))
            rank[order] = np.arange(len(order))
            present = np.zeros(size, dtype=bool)
            present[order] = True
        else:
            rank, present = np.arange(size), np.ones(size, dtype=bool)
        if keys.sqlite:
            postings = _sqlite_postings(conn)
        else:
            places = {lexeme: np.sort(np.fromstring(joined, dtype=np.int64, sep=","))
                      for lexeme, joined in conn.execute(text(POSTINGS))}
            postings = Postings(places, {})
        return Snapshot(version, codes, names, _index(names), year, confidence, flag("negated"),
                        flag("superseded_by IS NOT NULL"), present, rank, ids, postings)


def _changed(store: Store, snap: Snapshot, version: tuple[int, int]) -> Snapshot | None:
    """The snapshot with the claims the audit log names since ``snap`` read again; None when too many changed."""
    cols = ", ".join((*CATEGORICAL, "year", "confidence", "negated", "superseded_by"))
    with store.engine.connect() as conn:
        named = conn.execute(text("SELECT DISTINCT object_id FROM audit_log WHERE id > :a AND id <= :b"),
                             {"a": snap.version[0], "b": version[0]}).scalars().all()
        if len(named) > FULL_RELOAD:
            return None
        keys = _Keys(conn, store.dialect, snap.ids)
        lexemes = "" if snap.postings is None else ", " + (FTS_COLUMNS if keys.sqlite else "tsvector_to_array(fts)")
        read = text(f"SELECT {keys.key}, {cols}{lexemes} FROM claims WHERE id IN :ids").bindparams(
            bindparam("ids", expanding=True))
        rows = [r for i in range(0, len(named), 500) for r in conn.execute(read, {"ids": named[i:i + 500]})]
        places = keys.parse(",".join(str(r[0]) for r in rows))
        held: dict[int, frozenset[str]] = {}
        if snap.postings is not None:  # the columns read after the key, the categorical ones and four more
            extra = len(CATEGORICAL) + 5
            held = _sqlite_words(conn, [(int(p), *r[extra:]) for p, r in zip(places, rows)]) if keys.sqlite else \
                {int(p): frozenset(r[extra]) for p, r in zip(places, rows)}
    if not rows:
        return replace(snap, version=version)
    if len(places) != len(rows):
        return None
    codes, names, index = dict(snap.codes), {k: list(v) for k, v in snap.names.items()}, _index(snap.names)
    year, confidence = snap.year.copy(), snap.confidence.copy()
    negated, superseded = snap.negated.copy(), snap.superseded.copy()
    for j, col in enumerate(CATEGORICAL, start=1):
        for r in rows:
            if r[j] is not None and r[j] not in index[col]:
                index[col][r[j]] = len(names[col])
                names[col].append(r[j])
        codes[col] = codes[col].astype(code_type(len(names[col])))  # a copy, wider when the new names need it
        for place, r in zip(places, rows):
            codes[col][place] = -1 if r[j] is None else index[col][r[j]]
    n = len(CATEGORICAL) + 1
    for place, r in zip(places, rows):
        year[place] = NO_YEAR if r[n] is None else r[n]
        confidence[place] = -np.inf if r[n + 1] is None else r[n + 1]
        negated[place], superseded[place] = bool(r[n + 2]), r[n + 3] is not None
    postings = snap.postings
    if postings is not None:
        postings = Postings(postings.places, {**postings.changed, **held})
    return replace(snap, version=version, codes=codes, names=names, index=index, year=year, confidence=confidence,
                   negated=negated, superseded=superseded, postings=postings)


def code_type(names: int) -> type[np.signedinteger[Any]]:
    """The narrowest integer type holding the codes of ``names`` values, -1 and the largest code + 1 (facets
    count ``code + 1``): gathering a word's claims' codes from a million is about twice as fast in int16 as in
    int32."""
    for kind in (np.int8, np.int16):
        if names <= np.iinfo(kind).max:
            return kind
    return np.int32


def _index(names: dict[str, list[Any]]) -> dict[str, dict[Any, int]]:
    return {col: {v: i for i, v in enumerate(values)} for col, values in names.items()}


@dataclass(frozen=True)
class Found:
    """A query's number of claims, facets and first claims in review order (their keys)."""

    total: int
    facets: dict[str, list[tuple[Any, int]]]
    head: list[Any]  # SQLite rowids or PostgreSQL claim ids, in review order


class ClaimColumns:
    """The columns of one store, kept current by data version (thread-safe: readers share immutable snapshots,
    one thread at a time brings them up to date)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._snap: Snapshot | None = None
        self._lock = threading.Lock()
        self._loading: threading.Thread | None = None

    def at(self, version: tuple[int, int], wait: bool = True) -> Snapshot | None:
        """The snapshot of ``version`` (a ``search.data_version``): the claims reviewed since the last one read
        again, or every claim read when claims were added (1-2 s per million claims; with ``wait`` False that
        runs in the background and None is returned until it is done)."""
        snap = self._snap
        if snap is not None and snap.version == version:
            return snap
        if snap is not None and snap.version[1] == version[1] and snap.version[0] <= version[0]:
            with self._lock:
                if self._snap is snap:
                    self._snap = _changed(self.store, snap, version)
            if self._snap is not None and self._snap.version == version:
                return self._snap
        if wait:
            with self._lock:
                self._snap = _load(self.store, version)
                return self._snap
        with self._lock:
            if self._loading is None or not self._loading.is_alive():
                self._loading = threading.Thread(target=self.at, args=(version,), daemon=True,
                                                 name="survindex-columns")
                self._loading.start()
        return None

    def summary(self, version: tuple[int, int], query: Any, shown: tuple[str, ...] | None,
                columns: tuple[str, ...], limit: int = 30, head: int = 0) -> Found | None:
        """``search.summary`` of a ``search.ClaimQuery`` for visitors shown the statuses ``shown`` (None: all);
        None when the columns cannot answer it (a filter on a column they do not hold: document, AIGS category,
        stage; no full-text index on this dialect; still being read after claims were added)."""
        f = query.filter
        if (f.doc_id, f.aigs_category, f.stage) != (None, None, None) or self.store.dialect not in ("sqlite",
                                                                                                   "postgresql"):
            return None
        snap = self.at(version, wait=False)
        if snap is None:
            return None
        if query.q:
            places = self._matches(snap, query.q)
            places = places[_mask(snap, query, shown, places)]
        else:
            places = np.flatnonzero(_mask(snap, query, shown, None))
        facets = {}
        for col in columns:
            counts = np.bincount(snap.codes[col][places] + 1, minlength=len(snap.names[col]) + 1)[1:]
            found = np.flatnonzero(counts)
            if len(found) > limit:  # only the values as frequent as the limit-th are sorted by name
                found = found[counts[found] >= np.partition(counts[found], len(found) - limit)[len(found) - limit]]
            pairs = sorted(((snap.names[col][i], int(counts[i])) for i in found), key=lambda kv: (-kv[1], str(kv[0])))
            facets[col] = pairs[:limit]
        return Found(len(places), facets, _head(snap, places, head))

    def _matches(self, snap: Snapshot, q: str) -> np.ndarray:
        from survindex.store.search import fts_words

        words = fts_words(q)
        if not words:
            return np.flatnonzero(snap.present)
        sqlite = self.store.dialect == "sqlite"
        if sqlite and snap.postings is not None and (terms := plain_terms(words)) is not None \
                and terms <= snap.postings.places.keys():  # else a rare word, or one FTS5 may cut or fold
            return snap.postings.matches(terms)
        with self.store.read() as conn:
            keys = _Keys(conn, self.store.dialect, snap.ids)
            lexemes = query_lexemes(conn, " ".join(words)) if snap.postings is not None and not sqlite else None
            if lexemes is not None and snap.postings is not None:
                return snap.postings.matches(lexemes) if lexemes else _NONE
            if keys.sqlite:
                places = fts_rowids(conn, "claims", q)
            else:
                sql = "SELECT string_agg(id, ',') FROM claims WHERE fts @@ plainto_tsquery('english', :m)"
                places = keys.parse(conn.execute(text(sql), {"m": " ".join(words)}).scalar_one())
        return places[(places < len(snap.present))]


def plain_terms(words: list[str]) -> frozenset[str] | None:
    """The terms SQLite's full-text index makes of query words made only of ASCII letters and digits (each a
    term, lower case, as FTS5's ``unicode61`` tokenizer makes it); None when a word has any other character."""
    if all(_PLAIN.fullmatch(w) for w in words):
        return frozenset(w.lower() for w in words)
    return None


def _sqlite_postings(conn: Connection) -> Postings:
    """The rowids of the claims holding each term that at least ``POSTED`` claims hold, each listed by the
    full-text index itself (``MATCH`` the term): at 1M claims FTS5 took 1-12 ms to list a common supplier's
    claims on every new search. Rarer terms are left to FTS5 (a few hundred rowids: well under a millisecond)."""
    driver: Any = conn.connection.driver_connection
    only = driver.execute("PRAGMA query_only").fetchone()[0]
    if only:  # a read-only store refuses any write, even to the temporary schema; its file is opened mode=ro
        driver.execute("PRAGMA query_only=OFF")
    try:
        driver.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.claims_fts_terms "
                       "USING fts5vocab(main, claims_fts, row)")
    finally:
        if only:
            driver.execute("PRAGMA query_only=ON")
    terms = [r[0] for r in driver.execute("SELECT term FROM temp.claims_fts_terms WHERE doc >= ?", (POSTED,))]
    from survindex.store.search import fts_phrase

    places = {}
    for term in terms:
        joined = driver.execute("SELECT group_concat(rowid) FROM claims_fts WHERE claims_fts MATCH ?",
                                (fts_phrase(term),)).fetchone()[0]
        places[term] = np.fromstring(joined, dtype=np.int32, sep=",") if joined else _NONE
    return Postings(places, {})


def _sqlite_words(conn: Connection, rows: list[tuple[Any, ...]]) -> dict[int, frozenset[str]]:
    """The terms FTS5 makes of each of these claims' (rowid, *``FTS_COLUMNS``): the claims written to a full-text
    table in memory made with the store's own tokenizer, and its terms listed."""
    import sqlite3

    made = conn.execute(text("SELECT sql FROM sqlite_master WHERE name = 'claims_fts'")).scalar_one()
    tokenizer = re.search(r"tokenize\s*=\s*'((?:[^']|'')*)'", made)
    memory = sqlite3.connect(":memory:")
    try:
        memory.execute(f"CREATE VIRTUAL TABLE t USING fts5({FTS_COLUMNS}"
                       + (f", tokenize='{tokenizer.group(1)}')" if tokenizer else ")"))
        memory.executemany(f"INSERT INTO t(rowid, {FTS_COLUMNS}) VALUES (?, ?, ?, ?)", rows)
        memory.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, instance)")
        words: dict[int, set[str]] = {int(r[0]): set() for r in rows}
        for term, doc in memory.execute("SELECT term, doc FROM v"):
            words[doc].add(term)
    finally:
        memory.close()
    return {place: frozenset(held) for place, held in words.items()}


def fts_rowids(conn: Connection, table: str, q: str) -> np.ndarray:
    """The rowids of the rows of ``table`` whose SQLite full-text index (``<table>_fts``) holds every word of ``q``,
    listed by the database and read by the driver (SQLAlchemy's statement and result were a tenth of a new word's
    count)."""
    from survindex.store.search import _sqlite_match

    driver: Any = conn.connection.driver_connection
    joined = driver.execute(f"SELECT group_concat(rowid) FROM {table}_fts WHERE {table}_fts MATCH ?",
                            (_sqlite_match(q),)).fetchone()[0]
    return np.fromstring(joined, dtype=np.int64, sep=",") if joined else np.empty(0, dtype=np.int64)


def _mask(snap: Snapshot, query: Any, shown: tuple[str, ...] | None, places: np.ndarray | None) -> np.ndarray:
    """Which of ``places`` (None: every claim's place) the query's filters keep (``store.Store._where`` and
    ``search.conditions``). A value filter looks each code up in a table of the wanted codes (``np.isin`` sorted
    a million codes: 14 ms)."""
    f = query.filter

    def col(a: np.ndarray) -> np.ndarray:
        return a if places is None else a[places]

    keep: np.ndarray = col(snap.present).copy()

    def wanted(name: str, values: Any) -> np.ndarray:
        """The column's values are among ``values`` (a NULL never is)."""
        table = np.zeros(len(snap.names[name]) + 1, dtype=bool)  # at code + 1: NULL (-1) at 0
        for v in (values,) if isinstance(values, str) else values:
            if (code := snap.code(name, v)) >= 0:
                table[code + 1] = True
        found: np.ndarray = table[col(snap.codes[name]) + 1]
        return found

    for name in ("status", "kind"):
        if getattr(f, name):
            keep &= wanted(name, getattr(f, name))
    for name in ("country", "supplier", "supplier_country", "technology", "financier"):
        if getattr(f, name) is not None:
            keep &= wanted(name, (getattr(f, name),))
    if f.year_from is not None or f.year_to is not None:
        year = col(snap.year)
        if f.year_from is not None:
            keep &= (year != NO_YEAR) & (year >= f.year_from)
        if f.year_to is not None:
            keep &= (year != NO_YEAR) & (year <= f.year_to)
    if f.min_confidence is not None:
        keep &= col(snap.confidence) >= f.min_confidence
    if not f.include_negated:
        keep &= ~col(snap.negated)
    if not f.include_superseded:
        keep &= ~col(snap.superseded)
    if shown is not None:
        keep &= wanted("status", shown)
    if query.countries is not None:
        keep &= wanted("country", query.countries)
    if query.exclude_countries is not None:
        keep &= ~wanted("country", query.exclude_countries)
    return keep


def _head(snap: Snapshot, places: np.ndarray, n: int) -> list[Any]:
    """The keys of the first ``n`` claims in review order: unreviewed first, then most confident, then newest id
    (sorting only the claims at or above the n-th highest confidence of each part)."""
    if not n or not len(places):
        return []
    unreviewed = snap.codes["status"][places] == snap.code("status", "unreviewed")
    first = _top(snap, places[unreviewed], n)
    if len(first) < n:
        first = np.concatenate((first, _top(snap, places[~unreviewed], n - len(first))))
    return [snap.ids[p].decode() for p in first] if snap.ids is not None else [int(p) for p in first]


def _top(snap: Snapshot, places: np.ndarray, n: int) -> np.ndarray:
    if len(places) > n:
        conf = snap.confidence[places]
        places = places[conf >= np.partition(conf, len(conf) - n)[len(conf) - n]]
    top: np.ndarray = places[np.lexsort((snap.rank[places], snap.confidence[places]))[::-1][:n]]
    return top
