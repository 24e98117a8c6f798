"""Synthetic databases for the scale benchmark: ``n`` claims with a realistic spread (Zipf-like countries and
suppliers, every technology, years 2008-2025, statuses, several documents per case), written by bulk insert
(executemany in large transactions) and cached under ``build/bench/``.

The rows are what the app writes itself: ``Claim`` objects (so the ids are the content ids), review decisions
for the reviewed ones, then the cases rebuilt by ``store.refresh_cases``."""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

GENERATOR = "scale-3"  # bump when the data changes: cached databases are rebuilt
STAGES = ("announced", "contracted", "installed", "operational", "operational", "unknown")
VERBS = ("supplied", "installed", "delivered", "is operating", "signed a contract for")
STATUS_WEIGHTS = (("accepted", 45), ("unreviewed", 42), ("rejected", 13))
PER_DOC = 40


def _registry() -> tuple[list[Any], list[Any], list[str], list[str]]:
    from survindex import reference
    from survindex.model import TECHNOLOGY_KEYS

    countries = [c for c in reference.countries() if c.iso3]
    return countries, reference.companies(), [f.canonical for f in reference.financiers()], list(TECHNOLOGY_KEYS)


def _cases(rng: random.Random, n: int) -> list[dict[str, Any]]:
    """Deployments: country, supplier, technology, year, deployer; each is reported by 1-7 sources."""
    countries, companies, financiers, techs = _registry()
    wc = [1 / (i + 1) ** 0.8 for i in range(len(countries))]
    ws = [1 / (i + 1) ** 0.9 for i in range(len(companies))]
    out, made = [], 0
    while made < n:
        country = rng.choices(countries, wc)[0]
        company = rng.choices(companies, ws)[0]
        k = min(n - made, rng.choice((1, 2, 3, 3, 4, 5, 7)))
        place = rng.choice(country.places) if country.places else country.name
        out.append({"country": country, "company": company, "tech": rng.choice(techs),
                    "year": rng.randint(2008, 2025), "place": place, "claims": k,
                    "financier": rng.choice(financiers) if rng.random() < 0.06 else None})
        made += k
    return out


def _claim_specs(rng: random.Random, n: int) -> list[tuple[dict[str, Any], str]]:
    specs = []
    for case in _cases(rng, n):
        for _ in range(case["claims"]):
            kind = "financing" if case["financier"] and rng.random() < 0.5 else "deployment"
            specs.append((case, kind))
    rng.shuffle(specs)  # the claims of one case land in different documents
    return specs


def _document(rng: random.Random, d: int, chunk: list[tuple[dict[str, Any], str]]) -> tuple[Any, list[Any]]:
    from survindex.model import Claim, Document

    sentences = []
    for case, kind in chunk:
        co, tech = case["company"], case["tech"].replace("_", " ")
        if kind == "financing":
            sentences.append(f"{case['financier']} lent money in {case['year']} for {tech} in {case['place']}, "
                             f"{case['country'].name}, supplied by {co.canonical}.")
        else:
            sentences.append(f"In {case['year']} {co.canonical} {rng.choice(VERBS)} {tech} systems for the police "
                             f"in {case['place']}, {case['country'].name}.")
    text = " ".join(sentences)
    doc = Document.from_text(text, title=f"Surveillance procurement report {d}", url=f"https://example.org/r/{d}",
                             published=f"{rng.randint(2010, 2025)}-01-01", publisher=f"Monitor {d % 97}")
    claims, pos = [], 0
    for (case, kind), sentence in zip(chunk, sentences):
        start = text.index(sentence, pos)
        pos = start + len(sentence)
        status = rng.choices([s for s, _ in STATUS_WEIGHTS], [w for _, w in STATUS_WEIGHTS])[0]
        fin = kind == "financing"
        claims.append(Claim(
            doc_id=doc.id, kind=kind, quote=sentence, start=start, end=pos, country=case["country"].iso3,
            supplier=case["company"].canonical, supplier_country=case["company"].hq_country,
            technology=case["tech"], year=case["year"], stage=rng.choice(STAGES), extractor="bench",
            extractor_version="1", confidence=round(rng.random(), 2), status=status,
            negated=rng.random() < 0.03, deployer=f"Police of {case['place']}",
            financier=case["financier"] if fin else None, flow_type="loan" if fin else None,
            amount=float(rng.randint(1, 500)) * 1e6 if fin else None, currency="USD" if fin else None,
            amount_usd=float(rng.randint(1, 500)) * 1e6 if fin else None))
    return doc, claims


def _reach_claims(doc_id: str, quote: str) -> list[Any]:
    """A few published figures, as the seed article states them."""
    from survindex.model import Claim

    return [Claim(doc_id=doc_id, kind="supplier_reach", quote=quote, extractor="bench", extractor_version="1",
                  supplier=s, subject="supplier", count=n, year=2019, qualifier="at least", status="accepted",
                  start=0, end=10)
            for s, n in (("Huawei", 50), ("Hikvision", 60), ("NEC", 14), ("IBM", 11))]


def _doc_row(doc: Any, now: str) -> dict[str, Any]:
    return {"id": doc.id, "title": doc.title, "url": doc.url, "published": doc.published, "source": "bench",
            "publisher": doc.publisher, "language": "en", "mime": "text/plain", "raw_sha256": None,
            "duplicate_of": None, "meta": {}, "text": doc.text, "ingested_at": now}


def _claim_rows(claims: list[Any], now: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    from survindex.store.core import _claim_row

    rows, decisions = [], []
    for c in claims:
        r = _claim_row(c)
        r.update(created_at=now, version=1, review_reason=None)
        rows.append(r)
        if c.status != "unreviewed":
            decisions.append({"claim_id": c.id, "status": c.status, "changes": {}, "reason": None,
                              "actor": "bench", "at": now, "decisions": 1})
    return rows, decisions


def write(url: str, n: int, seed: int = 7) -> dict[str, Any]:
    """Fill the (empty) database at ``url`` with ``n`` claims; returns what was written and how long it took."""
    from sqlalchemy import insert

    from survindex.store import open_store
    from survindex.store import schema as s
    from survindex.store.core import utcnow

    rng = random.Random(seed)
    store = open_store(url)
    now = utcnow()
    t0 = time.perf_counter()
    specs = _claim_specs(rng, n)
    docs = claims = 0
    with store.transaction() as conn:
        for d, i in enumerate(range(0, len(specs), PER_DOC)):
            doc, cl = _document(rng, d, specs[i:i + PER_DOC])
            if d == 0:
                cl += _reach_claims(doc.id, doc.text[:10])
            rows, decisions = _claim_rows(cl, now)
            conn.execute(insert(s.documents), [_doc_row(doc, now)])
            conn.execute(insert(s.claims), rows)
            if decisions:
                conn.execute(insert(s.reviews), decisions)
            docs, claims = docs + 1, claims + len(rows)
    inserted = time.perf_counter() - t0
    store.refresh_cases(everything=True)
    cased = time.perf_counter() - t0 - inserted
    with store.transaction() as conn:
        conn.exec_driver_sql("ANALYZE")
        store._upsert(conn, s.meta, [{"key": "bench_generator", "value": f"{GENERATOR}:{n}:{seed}"}], ["key"],
                      ["value"])
    store.close()
    return {"claims": claims, "documents": docs, "insert_s": round(inserted, 1), "cases_s": round(cased, 1)}


def generator_mark(url: str) -> str | None:
    """The generator stamp of a database (None when absent or not a bench database)."""
    from sqlalchemy import create_engine, text

    from survindex.store.core import database_url

    eng = create_engine(database_url(url))
    try:
        with eng.connect() as c:
            row = c.execute(text("SELECT value FROM meta WHERE key = 'bench_generator'")).first()
            return str(row[0]) if row else None
    except Exception:  # noqa: BLE001 - no such table: not built yet
        return None
    finally:
        eng.dispose()


def sqlite_db(root: Path, n: int, seed: int = 7) -> tuple[str, dict[str, Any] | None]:
    """The cached SQLite database of ``n`` claims under ``root`` (built when missing or stale)."""
    root.mkdir(parents=True, exist_ok=True)
    path = root / f"claims-{n}.db"
    if path.exists() and generator_mark(str(path)) == f"{GENERATOR}:{n}:{seed}":
        return str(path), None
    for p in root.glob(f"claims-{n}.db*"):
        p.unlink()
    return str(path), write(str(path), n, seed)


def pg_db(base_url: str, n: int, seed: int = 7) -> tuple[str, dict[str, Any] | None]:
    """A PostgreSQL schema ``bench_<n>`` of ``n`` claims (kept between runs like the SQLite files)."""
    import sqlalchemy as sa

    from survindex.store.core import database_url

    schema = f"bench_{n}"
    sep = "&" if "?" in base_url else "?"
    url = f"{base_url}{sep}options=-csearch_path%3D{schema}"
    if generator_mark(url) == f"{GENERATOR}:{n}:{seed}":
        return url, None
    eng = sa.create_engine(database_url(base_url))
    with eng.begin() as c:
        c.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        c.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    eng.dispose()
    return url, write(url, n, seed)
