"""``survindex extract`` (documents -> claims, JSONL or the store) and ``survindex evaluate`` (gold scoring)."""

from __future__ import annotations

import json
import sys
import uuid
from collections.abc import Iterator
from typing import IO, Any, Protocol

import click
import orjson

from survindex.cli.common import fail


def _open_in(path: str | None) -> IO[str]:
    if path in (None, "-"):
        return sys.stdin
    try:
        return open(path, encoding="utf-8")  # noqa: SIM115 - closed by the caller
    except OSError as exc:
        raise fail(f"cannot read {path}", exc.strerror or str(exc), "Check the path given to -i") from exc


def _loads(line: str) -> Any:
    """orjson (several times faster), with the standard library for what it refuses (lone surrogate escapes)."""
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError:
        return json.loads(line)


def _read_docs(fh: IO[str], errors: list[str]) -> Iterator[dict[str, Any]]:
    for n, line in enumerate(fh, 1):
        if not line.strip():
            continue
        try:
            doc = _loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"line {n}: not JSON ({exc.msg})")
            continue
        if not isinstance(doc, dict) or not isinstance(doc.get("text"), str):
            errors.append(f"line {n}: a document needs a \"text\" string")
            continue
        yield doc


def _store_docs(store: Any, redo_all: bool) -> Iterator[dict[str, Any]]:
    from survindex.extract import EXTRACTOR, EXTRACTOR_VERSION

    unread = None if redo_all else (EXTRACTOR, EXTRACTOR_VERSION)
    for doc in store.documents(skip_duplicates=True, unread_by=unread):
        yield {"id": doc.id, "text": doc.text, "title": doc.title, "language": doc.language,
               "published": doc.published}


def _to_store(docs: Iterator[dict[str, Any]], results_of: Any, store: Any, batch_size: int, run: str,
              errors: list[str]) -> tuple[int, int]:
    """Store each document's claims as one extraction (``store.extractions``); returns (documents, new claims).
    A document that failed is recorded as an error and left unread, so the next run tries it again."""
    from collections import deque

    from survindex.extract import EXTRACTOR, EXTRACTOR_VERSION
    from survindex.model import Claim
    from survindex.runner import ERROR_KEY
    from survindex.store.extractions import record

    fed: deque[str] = deque()  # ids of the documents handed to the workers, in order (results keep that order)
    done: list[tuple[str, list[Claim]]] = []
    totals = [0, 0]

    def feed() -> Iterator[dict[str, Any]]:
        for d in docs:
            fed.append(str(d["id"]))
            yield d

    def flush() -> None:
        with store.transaction() as conn:
            for doc_id, claims in done:
                totals[1] += record(store, conn, doc_id, EXTRACTOR, EXTRACTOR_VERSION, claims)
                for c in claims:
                    if c.supplier and not c.supplier_resolved:
                        store.propose_entity("company", c.supplier, c.supplier_country, c.doc_id, conn=conn)
        totals[0] += len(done)
        done.clear()

    current: str | None = None  # the document whose claims are arriving (results keep the input order)
    claims: list[Claim] = []
    for r in results_of(feed()):
        doc_id = str(r.get("doc_id"))
        if doc_id != current:
            if current is not None:
                done.append((current, claims))
                current, claims = None, []
            while fed and fed[0] != doc_id:  # documents before this one yielded no claim
                done.append((fed.popleft(), []))
            if fed:
                fed.popleft()
            if len(done) >= batch_size:
                flush()
            if ERROR_KEY in r:
                errors.append(f"document {doc_id}: {r[ERROR_KEY]}")
                store.record_error(doc_id, str(r[ERROR_KEY]), location=f"index={r.get('index')}", run=run)
                continue
            current = doc_id
        claims.append(Claim.from_dict({**r, "status": "unreviewed"}))
    if current is not None:
        done.append((current, claims))
    done.extend((doc_id, []) for doc_id in fed)
    flush()
    return totals[0], totals[1]


@click.command("extract")
@click.option("-i", "--input", "input_path", default=None, help="JSONL documents (id, text, title…); - for stdin.")
@click.option("-o", "--output", "output_path", default=None, help="JSONL claims out; - for stdout (default).")
@click.option("--workers", type=click.IntRange(1, 256), default=1, show_default=True, help="Local worker processes.")
@click.option("--scheduler", default=None, help="Dask scheduler address (tcp://host:8786) to run on a cluster.")
@click.option("--db", "db", default=None, help="Read documents from / write claims to this store (SQLite or URL).")
@click.option("--batch-size", type=click.IntRange(1, 100_000), default=200, show_default=True,
              help="Documents per task and per transaction.")
@click.option("--all", "redo_all", is_flag=True,
              help="With --db: read every document again, not only those this extractor version has not read.")
def extract_cmd(input_path: str | None, output_path: str | None, workers: int, scheduler: str | None,
                db: str | None, batch_size: int, redo_all: bool) -> None:
    """Extract cited claims from documents: one JSON document a line in, one claim a line out.

    With --db and no -i, reads the store's documents that this extractor version has not read yet (all of them
    with --all; duplicates skipped); with --db and no -o, stores the claims as unreviewed (one transaction per
    batch), supersedes the claims an older version made that this one no longer states (their review decisions
    move to the claim of the same fact), proposes unknown suppliers as registry entries and records failing
    documents as errors (they are read again next time). --scheduler runs the batches on a Dask cluster.
    """
    errors: list[str] = []
    store = None
    if db:
        from survindex.store import open_store

        store = open_store(db)
    fh = _open_in(input_path) if input_path or store is None else None
    docs = _read_docs(fh, errors) if fh is not None else _store_docs(store, redo_all)
    try:
        if store is not None and output_path is None:
            _to_store_run(docs, store, workers, scheduler, batch_size, errors)
        else:
            _to_output(docs, output_path, workers, scheduler, batch_size, errors)
    except (OSError, TimeoutError) as exc:
        if scheduler:
            raise fail(f"cannot run on scheduler {scheduler}", str(exc) or type(exc).__name__,
                       "Check the address (tcp://host:8786) and that the scheduler is running") from exc
        raise
    for e in errors[:50]:
        click.echo(f"warning: {e}", err=True)


def _to_store_run(docs: Iterator[dict[str, Any]], store: Any, workers: int, scheduler: str | None,
                  batch_size: int, errors: list[str]) -> None:
    from survindex.runner import run_extraction

    def results_of(feed: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        return run_extraction(feed, workers=workers, scheduler=scheduler, batch_size=batch_size)

    run = "run-" + uuid.uuid4().hex[:12]
    store.start_run(run, "extract")
    read, new = _to_store(docs, results_of, store, batch_size, run, errors)
    store.refresh_cases()
    store.finish_run(run, "done", {"documents": read, "new_claims": new, "errors": len(errors)})
    click.echo(f"{read} documents read, {new} new claims stored; {len(errors)} documents with errors", err=True)


def _to_output(docs: Iterator[dict[str, Any]], output_path: str | None, workers: int, scheduler: str | None,
               batch_size: int, errors: list[str]) -> None:
    """JSONL claims to stdout or a file: the batches arrive encoded, so this process only copies bytes."""
    from survindex.runner import ERROR_KEY, run_extraction_jsonl

    to_stdout = output_path in (None, "-")
    out: _Sink
    if to_stdout:
        sys.stdout.flush()
        out = getattr(sys.stdout, "buffer", None) or _TextSink(sys.stdout)
    else:
        out = open(str(output_path), "wb")  # noqa: SIM115 - closed below
    n = 0
    try:
        for batch in run_extraction_jsonl(docs, workers=workers, scheduler=scheduler, batch_size=batch_size):
            out.write(batch.data)
            n += batch.claims
            errors.extend(f"document {r.get('doc_id')}: {r[ERROR_KEY]}" for r in batch.errors)
        out.flush()
    finally:
        if not to_stdout:
            out.close()
    if not to_stdout:
        click.echo(f"{n} claims written to {output_path}", err=True)


class _Sink(Protocol):
    def write(self, data: bytes, /) -> int: ...
    def flush(self) -> None: ...
    def close(self) -> None: ...


class _TextSink:
    """Bytes to a text stream without a binary buffer (as some test harnesses give)."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def write(self, data: bytes) -> int:
        return self.stream.write(data.decode("utf-8"))

    def flush(self) -> None:
        self.stream.flush()

    def close(self) -> None:
        self.stream.close()


def _table(metrics: dict[str, Any]) -> str:
    rows = [f"{'metric':32} {'precision':>9} {'recall':>7} {'f1':>7} {'tp':>5} {'fp':>5} {'fn':>5}"]
    for name, v in metrics.items():
        if isinstance(v, dict) and "tp" not in v:
            rows.append(f"{name:32} {v['precision']:9.4f} {v['recall']:7.4f} {v['f1']:7.4f}")
        elif isinstance(v, dict):
            rows.append(f"{name:32} {v['precision']:9.4f} {v['recall']:7.4f} {v['f1']:7.4f} "
                        f"{v['tp']:5d} {v['fp']:5d} {v['fn']:5d}")
        else:
            rows.append(f"{name:32} {'' if v is None else v!s:>9}")
    return "\n".join(rows)


@click.command("evaluate")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print exactly the reference scorer's JSON.")
@click.option("--workers", type=click.IntRange(1, 256), default=1, show_default=True)
def evaluate_cmd(gold: str, as_json: bool, workers: int) -> None:
    """Score extraction on a gold file (documents' id and text only are fed to the extractor)."""
    from survindex.extract.evaluate import read_gold, render_json, score
    from survindex.extract.factscore import is_facts_gold, reliability
    from survindex.runner import ERROR_KEY, run_extraction

    with open(gold, encoding="utf-8") as fh:
        try:
            docs = read_gold(fh)
        except json.JSONDecodeError as exc:
            raise fail(f"cannot read {gold}", f"not JSON lines ({exc.msg})", "Give a gold .jsonl file") from exc
    feed = ({"id": d["id"], "text": d["text"]} for d in docs)
    claims = [c for c in run_extraction(feed, workers=workers) if ERROR_KEY not in c]
    metrics = score(docs, claims)
    if as_json:
        click.echo(render_json(metrics))
    else:
        click.echo(_table(metrics))
        if is_facts_gold(docs):
            click.echo("\nreliability of confidence (deployment claims)\n" + _reliability_table(reliability(docs, claims)))


def _reliability_table(rows: list[dict[str, Any]]) -> str:
    out = [f"{'confidence':>12} {'claims':>7} {'right':>6} {'accuracy':>9}"]
    for r in rows:
        acc = "" if r["accuracy"] is None else f"{r['accuracy']:.4f}"
        out.append(f"{r['low']:5.2f}-{r['high']:<6.2f} {r['claims']:7d} {r['right']:6d} {acc:>9}")
    return "\n".join(out)


def register(group: click.Group) -> None:
    group.add_command(extract_cmd)
    group.add_command(evaluate_cmd)
