"""Hostile inputs for the fault suite: hypothesis-generated files for every reader and importer.

A crash is any exception other than the named ones (IngestError for readers; FileFormatError, MappingError and
ImportFailed for importers). Rows lost: a CSV written with N non-blank data rows (stray quotes injected at cell starts,
no line breaks inside cells) that reads back with another number of rows.
"""

from __future__ import annotations

import csv
import io
import resource
import zipfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

NAMES = ("x.txt", "x.md", "x.html", "x.pdf", "x.docx", "x.jsonl", "x.rss", "noext", "x.xml")
CELL = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x0b\x0c\x1c\x1d\x1e"
                                      "\x85\u2028\u2029") | st.sampled_from(['"', ",", ";", "\t", "'", "=", "\x00"]),
               max_size=12)


def _seeds() -> dict[str, bytes]:
    from tests.fixtures.ingest.make import make_docx, make_pdf

    fix = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "ingest"
    return {"x.html": (fix / "article.html").read_bytes(), "x.rss": (fix / "feed.rss").read_bytes(),
            "x.jsonl": (fix / "docs.jsonl").read_bytes(), "x.md": (fix / "notes.md").read_bytes(),
            "x.pdf": make_pdf(["Hikvision cameras in Quito.", "Second line."], title="T"),
            "x.docx": make_docx(["Huawei cameras in Belgrade."], title="D"),
            "x.xlsx": _xlsx([["Country", "Cameras"], ["Kenya", "x"], ["Peru", "1"]])}


def _xlsx(rows: list[list[str]]) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _bomb(kind: str) -> bytes:
    """A zip that unpacks to 300 MB from about 300 KB."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml" if kind == "docx" else "xl/worksheets/sheet1.xml", "w") as fh:
            chunk = b" " * (1 << 20)
            for _ in range(300):  # written a megabyte at a time: the suite's own memory stays small
                fh.write(chunk)
    return buf.getvalue()


@st.composite
def mutated(draw: Any, seeds: dict[str, bytes]) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(seeds)))
    data = bytearray(seeds[name])
    for _ in range(draw(st.integers(0, 12))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return name, bytes(data)


@st.composite
def table(draw: Any) -> tuple[bytes, int, str]:
    """A CSV (bytes, non-blank data rows, encoding) with stray quotes injected at cell starts."""
    width = draw(st.integers(2, 5))
    rows = draw(st.lists(st.lists(CELL, min_size=width, max_size=width), max_size=25))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["Country", "Cameras", *[f"c{i}" for i in range(width - 2)]])
    lines = [buf.getvalue()]
    for row in rows:
        buf.seek(0)
        buf.truncate()
        writer.writerow(row)
        line = buf.getvalue()
        if draw(st.integers(0, 4)) == 0 and row[0][:1].isalnum() and not line.startswith('"'):
            # a stray quote before plain text: the row must still be read, and the next ones. (Before a cell that
            # is quoted already it can make two lines one valid CSV record: no reader can tell, so not tested.)
            line = '"' + line
        lines.append(line)
    expected = sum(1 for r in rows if any(v.strip() for v in r))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252"]))
    text = "".join(lines)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data, encoding = text.encode("utf-8"), "utf-8"
    return data, expected, encoding


class Tally:
    def __init__(self) -> None:
        self.inputs = self.crashes = self.rows_lost = 0
        self.notes: list[str] = []

    def crash(self, what: str, exc: BaseException) -> None:
        self.crashes += 1
        if len(self.notes) < 20:
            self.notes.append(f"hostile {what}: {type(exc).__name__}: {str(exc)[:200]}")


def readers(n: int, tally: Tally, seeds: dict[str, bytes]) -> None:
    from survindex.ingest import IngestError, read_bytes

    inputs = st.one_of(st.tuples(st.sampled_from(NAMES), st.binary(max_size=6000)), mutated(seeds))

    @settings(max_examples=n, database=None, deadline=None, suppress_health_check=list(HealthCheck),
              derandomize=True)
    @given(item=inputs)
    def check(item: tuple[str, bytes]) -> None:
        name, data = item
        tally.inputs += 1
        try:
            for doc in read_bytes(data, name):
                doc.text.encode("utf-8")
        except IngestError:
            pass
        except Exception as exc:  # noqa: BLE001 - counted, not raised: the suite reports every crash
            tally.crash(f"reader {name}", exc)

    check()


def importers(n: int, tally: Tally, folder: Path) -> None:
    from survindex.ingest.datasets import FileFormatError, ImportFailed, MappingError, TableMapping, import_table
    from survindex.ingest.datasets.reader import read_table
    from survindex.store import open_store

    folder.mkdir(parents=True, exist_ok=True)
    store = open_store(str(folder / "import.db"))
    mapping = TableMapping(country_column="Country", columns={"Cameras": "video_surveillance"}, status="unreviewed")
    xlsx = _seeds()["x.xlsx"]
    inputs = st.one_of(table(), mutated({"x.xlsx": xlsx}).map(lambda m: (m[1], -1, "xlsx")))

    @settings(max_examples=n, database=None, deadline=None, suppress_health_check=list(HealthCheck),
              derandomize=True)
    @given(item=inputs)
    def check(item: tuple[bytes, int, str]) -> None:
        data, expected, encoding = item
        tally.inputs += 1
        path = folder / ("t.xlsx" if encoding == "xlsx" else "t.csv")
        path.write_bytes(data)
        try:
            read = len(read_table(path).sheet().rows)
            if expected >= 0 and read != expected:
                tally.rows_lost += abs(expected - read)
                tally.notes.append(f"hostile CSV ({encoding}): wrote {expected} rows, read {read}: {data[:200]!r}")
            import_table(store, path, mapping)
        except (FileFormatError, MappingError, ImportFailed):
            pass
        except Exception as exc:  # noqa: BLE001
            tally.crash(f"importer {encoding}", exc)

    try:
        check()
    finally:
        store.close()


def bombs(tally: Tally, folder: Path) -> None:
    from survindex.ingest import IngestError, read_bytes
    from survindex.ingest.datasets import FileFormatError
    from survindex.ingest.datasets.reader import read_table

    for kind in ("docx", "xlsx"):
        tally.inputs += 1
        data = _bomb(kind)
        try:
            if kind == "docx":
                read_bytes(data, "bomb.docx")
            else:
                (folder / "bomb.xlsx").write_bytes(data)
                read_table(folder / "bomb.xlsx")
            tally.crash(f"{kind} bomb", RuntimeError("a 300 MB zip bomb was accepted"))
        except (IngestError, FileFormatError):
            pass


def hostile_inputs(n: int, seed: int, folder: Path) -> Any:
    from benchmarks.faults import Figures

    folder.mkdir(parents=True, exist_ok=True)
    tally = Tally()
    readers(n * 3 // 4, tally, _seeds())
    importers(n - n * 3 // 4, tally, folder)
    bombs(tally, folder)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return Figures(inputs=tally.inputs, crashes=tally.crashes, rows_lost=tally.rows_lost, peak_mb=peak,
                   notes=tally.notes)
