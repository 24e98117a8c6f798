"""The ingest run: read every input, drop exact duplicates, link near ones, store in batches of ~500."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from survindex.ingest.dedupe import Deduper
from survindex.ingest.documents import with_language
from survindex.ingest.errors import IngestError
from survindex.ingest.fetch import MAX_BYTES, Fetcher
from survindex.ingest.sources import Item, Unit, parse_bytes, plan, read_unit, to_items
from survindex.model import Document
from survindex.store.safety import StorageError

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from survindex.store import Store

BATCH = 500  # documents per transaction
BATCH_BYTES = 64 * 1024 * 1024  # ... or fewer, when their texts and raw bytes add up to this
Sink = Callable[[Document], None]


@dataclass
class IngestReport:
    """What a run did. ``read`` counts documents read, duplicates included."""

    run: str = ""
    read: int = 0
    new: int = 0
    duplicates: int = 0
    near_duplicates: int = 0
    skipped: int = 0  # files in directories that are neither a known type nor text
    errors: list[tuple[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def read_bytes(data: bytes, name: str, content_type: str | None = None,
               errors: list[IngestError] | None = None) -> list[Document]:
    """Documents in ``data`` (named ``name``: a file name or URL). Raises IngestError when no document
    could be read; otherwise item errors (a bad JSONL line, an empty feed entry) go to ``errors`` if given."""
    url = name if name.lower().startswith(("http://", "https://")) else None
    docs: list[Document] = []
    problems: list[IngestError] = []
    for item in to_items(lambda: parse_bytes(data, name, content_type, url=url), name, data, url=url):
        if isinstance(item, IngestError):
            problems.append(item)
        else:
            docs.append(with_language(item[0]))
    if not docs and problems:
        raise problems[0]
    if errors is not None:
        errors.extend(problems)
    return docs


def iter_documents(inputs: Iterable[str], *, allow_private: bool = False, max_bytes: int = MAX_BYTES,
                   rate: float = 1.0, follow_links: bool = False,
                   fetcher: Fetcher | None = None) -> Iterator[Document | IngestError]:
    """Stream the documents of files, directories, URLs and ``-`` (stdin), with an IngestError for each
    failure; no store, no deduplication."""
    for item in _items(inputs, allow_private, max_bytes, rate, follow_links, fetcher, None):
        yield item if isinstance(item, IngestError) else with_language(item[0])


def _items(inputs: Iterable[str], allow_private: bool, max_bytes: int, rate: float, follow_links: bool,
           fetcher: Fetcher | None, on_unit: Callable[[Unit], None] | None,
           units: list[Unit] | None = None) -> Iterator[Item | IngestError]:
    with ExitStack() as stack:
        made: list[Fetcher] = [fetcher] if fetcher is not None else []

        def get_fetcher() -> Fetcher:
            if not made:
                made.append(stack.enter_context(Fetcher(allow_private=allow_private, max_bytes=max_bytes,
                                                        rate=rate)))
            return made[0]

        if units is None:
            p = plan(inputs)
            yield from p.errors
            units = p.units
        for unit in units:
            yield from read_unit(unit, get_fetcher, max_bytes, follow_links)
            if on_unit is not None:
                on_unit(unit)


class _Writer:
    """Stores documents in transactions of ``BATCH``, with the errors met since the last one in the same
    transaction (so none is lost however the run ends). A batch the database refuses is retried one document at a
    time so one bad row costs only itself; a StorageError (full disk, read-only database) ends the run."""

    def __init__(self, store: Store | None, sink: Sink | None, report: IngestReport, dedupe: Deduper,
                 archive_raw: bool) -> None:
        self.store, self.sink, self.report, self.dedupe = store, sink, report, dedupe
        self.archive_raw = archive_raw
        self.batch: list[Item] = []
        self.batch_bytes = 0
        self.errors: list[IngestError] = []

    def add(self, item: Item | IngestError) -> None:
        if isinstance(item, IngestError):
            self.report.errors.append((_where(item), item.reason))
            self.errors.append(item)
        else:
            self.report.read += 1
            verdict, doc = self.dedupe.check(item[0])
            if verdict == "exact":
                self.report.duplicates += 1
                return
            self.batch.append((with_language(doc), item[1]))
            self.batch_bytes += len(doc.text) + len(item[1])
        if len(self.batch) >= BATCH or len(self.errors) >= BATCH or self.batch_bytes >= BATCH_BYTES:
            self.flush()

    def flush(self) -> None:
        batch, self.batch, self.batch_bytes = self.batch, [], 0
        if self.store is None:
            for doc, _raw in batch:
                self._count(doc, True)
            return
        errors = self.errors
        stored: list[bool | None]
        try:
            with self.store.transaction() as conn:
                stored = [self.store.put_document(doc, raw if self.archive_raw else None, conn=conn)
                          for doc, raw in batch]
                self._record_errors(errors, conn)
        except StorageError:
            raise
        except Exception:  # noqa: BLE001 - find the bad row(s) one by one
            stored = [self._put_one(*item) for item in batch]
            self._record_errors(errors, None)
        self.errors = self.errors[len(errors):]
        for (doc, _raw), new in zip(batch, stored):
            if new is not None:
                self._count(doc, new)

    def _put_one(self, doc: Document, raw: bytes) -> bool | None:
        """True when stored as new, False when already stored (by another run), None when refused."""
        try:
            assert self.store is not None
            return self.store.put_document(doc, raw if self.archive_raw else None)
        except StorageError:
            raise
        except Exception as exc:  # noqa: BLE001 - the database refused this document
            self.dedupe.forget(doc.id)
            err = IngestError(doc.source or doc.id, f"cannot store the document ({type(exc).__name__})",
                              doc.meta.get("location"))
            self.report.errors.append((_where(err), err.reason))
            self.errors.append(err)
            return None

    def _count(self, doc: Document, new: bool) -> None:
        if not new:
            self.report.duplicates += 1  # a concurrent run stored it between our check and our write
            return
        if doc.duplicate_of:
            self.report.near_duplicates += 1
        else:
            self.report.new += 1
        if self.sink is not None:
            self.sink(doc)

    def _record_errors(self, errors: list[IngestError], conn: Connection | None) -> None:
        assert self.store is not None
        for err in errors:
            self.store.record_error(err.source, err.reason, err.location, run=self.report.run, conn=conn)


def _where(err: IngestError) -> str:
    return f"{err.source} ({err.location})" if err.location else err.source


def new_run_id() -> str:
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return f"ingest-{stamp}-{uuid.uuid4().hex[:8]}"


def ingest_paths(store: Store | None, inputs: list[str], *, allow_private: bool = False,
                 max_bytes: int = MAX_BYTES, progress: bool = True, run: str | None = None, rate: float = 1.0,
                 follow_links: bool = False, sink: Sink | None = None,
                 fetcher: Fetcher | None = None) -> IngestReport:
    """Read files, directories and URLs into the store (and/or ``sink``); returns what happened.
    Failures are recorded per file/line/entry and the run goes on."""
    from survindex import settings

    report = IngestReport(run=run or new_run_id())
    dedupe = Deduper()
    if store is not None:
        store.start_run(report.run, "ingest " + " ".join(inputs)[:1000])
        dedupe.load(store.document_keys(), lambda doc_id: store.get_document(doc_id).text)
    writer = _Writer(store, sink, report, dedupe, settings.load().archive_raw)
    status = "interrupted"
    try:
        _run(writer, inputs, allow_private, max_bytes, rate, follow_links, fetcher, progress)
        status = "failed" if report.errors and not report.read else "ok"
    except StorageError:
        status = "failed"
        raise
    finally:
        if store is not None:
            _finish(store, report, status, writer)
    return report


def _finish(store: Store, report: IngestReport, status: str, writer: _Writer) -> None:
    """Record the run's end, and errors met after the last batch if the run stopped early; when the database
    cannot be written any more (the reason the run stopped) there is nothing more to record."""
    try:
        if writer.errors:
            writer.flush()
        stats = {k: v for k, v in report.to_dict().items() if k != "errors"} | {"errors": len(report.errors)}
        store.finish_run(report.run, status, stats)
    except StorageError:
        if status != "failed":
            raise


def _run(writer: _Writer, inputs: list[str], allow_private: bool, max_bytes: int, rate: float,
         follow_links: bool, fetcher: Fetcher | None, progress: bool) -> None:
    p = plan(inputs)
    writer.report.skipped = p.skipped
    for err in p.errors:
        writer.add(err)
    with _progress(progress, len(p.units)) as advance:
        for item in _items(inputs, allow_private, max_bytes, rate, follow_links, fetcher, advance, p.units):
            writer.add(item)
        writer.flush()


@contextmanager
def _progress(enabled: bool, total: int) -> Iterator[Callable[[Unit], None]]:
    """A rich progress bar on stderr (files and URLs done), or nothing."""
    if not enabled or total < 2:
        yield lambda _unit: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  TextColumn("{task.description}"), console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("", total=total)
        yield lambda unit: bar.update(task, advance=1, description=unit.target[-60:])
