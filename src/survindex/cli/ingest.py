"""``survindex ingest``: files, directories, URLs and feeds into the store and/or JSONL."""

from __future__ import annotations

import json
import sys
from contextlib import ExitStack
from typing import IO, TYPE_CHECKING

import click

from survindex.cli.common import db_option, fail

if TYPE_CHECKING:
    from survindex.ingest.pipeline import IngestReport
    from survindex.model import Document

MAX_SHOWN_ERRORS = 20


def document_line(doc: Document) -> str:
    """One document as a JSONL line in the input format of ``survindex extract -i``."""
    meta = {k: v for k, v in doc.meta.items() if k != "minhash"}
    if doc.source:
        meta.setdefault("source", doc.source)
    if doc.duplicate_of:
        meta["duplicate_of"] = doc.duplicate_of
    return json.dumps({"id": doc.id, "text": doc.text, "title": doc.title, "url": doc.url,
                       "published": doc.published, "language": doc.language, "meta": meta},
                      ensure_ascii=False)


def _summary(report: IngestReport, stored: bool) -> None:
    err = sys.stderr
    where = "stored" if stored else "written"
    click.echo(f"ingest: {report.read} documents read, {report.new} new {where}, {report.near_duplicates} near "
               f"duplicates linked, {report.duplicates} exact duplicates skipped, {report.skipped} files "
               f"skipped, {len(report.errors)} errors (run {report.run})", file=err)
    for source, reason in report.errors[:MAX_SHOWN_ERRORS]:
        click.echo(f"  error: {source}: {reason}", file=err)
    if len(report.errors) > MAX_SHOWN_ERRORS:
        click.echo(f"  … and {len(report.errors) - MAX_SHOWN_ERRORS} more"
                   + (" (all are in the store's errors table)" if stored else ""), file=err)


def _check(inputs: tuple[str, ...], max_bytes: int, rate: float, store: bool, jsonl: str | None) -> None:
    if not inputs:
        raise fail("ingest", "no input given", "Name at least one file, directory, http(s) URL or - for stdin.")
    if max_bytes <= 0:
        raise fail("--max-bytes", f"{max_bytes} is not a positive number of bytes", "Use e.g. --max-bytes 20000000.")
    if rate < 0:
        raise fail("--rate", f"{rate} is negative", "Give the minimum seconds between requests to one host, e.g. 1.")
    if not store and jsonl is None:
        raise fail("ingest", "--no-store without --jsonl would keep nothing", "Add --jsonl OUT.jsonl or --jsonl -.")


@click.command("ingest")
@click.argument("inputs", nargs=-1)
@db_option
@click.option("--allow-private", is_flag=True, help="Allow fetching from private, loopback and link-local addresses.")
@click.option("--max-bytes", type=int, default=20 * 1024 * 1024, show_default=True,
              help="Largest file or HTTP response read, in bytes (JSONL files are streamed and exempt).")
@click.option("--rate", type=float, default=1.0, show_default=True,
              help="Minimum seconds between two requests to the same host.")
@click.option("--follow-links", is_flag=True, help="For feeds, fetch each entry's link and read that page.")
@click.option("--jsonl", "jsonl", metavar="OUT|-", help="Also write the documents as JSONL (- for stdout).")
@click.option("--store/--no-store", default=True, show_default=True, help="Store the documents in the database.")
@click.option("--no-progress", is_flag=True, help="No progress bar (it is off anyway when stderr is no terminal).")
def ingest_command(inputs: tuple[str, ...], db: str, allow_private: bool, max_bytes: int, rate: float,
                   follow_links: bool, jsonl: str | None, store: bool, no_progress: bool) -> None:
    """Read files, directories (recursively), http(s) URLs, RSS/Atom feeds and - (stdin) into documents.

    Text, Markdown, HTML, PDF, DOCX, JSONL ({"id","text",…} a line) and feeds are recognised by extension,
    Content-Type or content. Documents are content-addressed (doc-<sha256>), raw bytes are archived, exact
    duplicates are skipped and near duplicates linked. Problems are reported per file and the run goes on;
    the exit status is 1 only when nothing could be read.
    """
    from survindex.ingest import ingest_paths

    _check(inputs, max_bytes, rate, store, jsonl)
    with ExitStack() as stack:
        out: IO[str] | None = None
        if jsonl is not None:
            out = sys.stdout if jsonl == "-" else stack.enter_context(open(jsonl, "w", encoding="utf-8"))
        db_store = None
        if store:
            from survindex.store import open_store

            db_store = open_store(db)
            stack.callback(db_store.close)
        sink = (lambda doc: print(document_line(doc), file=out)) if out is not None else None
        progress = not no_progress and sys.stderr.isatty()
        report = ingest_paths(db_store, list(inputs), allow_private=allow_private, max_bytes=max_bytes,
                              progress=progress, rate=rate, follow_links=follow_links, sink=sink)
    _summary(report, store)
    if report.read == 0:
        first = f"first: {report.errors[0][0]}: {report.errors[0][1]}" if report.errors else "none were found"
        raise fail("ingest", f"no document could be read ({first})",
                   "Check the paths and URLs; --allow-private is needed for local servers.")


def register(group: click.Group) -> None:
    group.add_command(ingest_command)
