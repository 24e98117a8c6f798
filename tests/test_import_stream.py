"""The dataset importers stream their CSV files (issue 12): ``stream_table`` gives exactly the rows, spans, notes and
text that ``read_table`` gives when it reads a file whole, and an import through the stream writes the same claims
and the same report as an import of the file read whole. A bad row in the middle is reported by its row number and
the rows after it are imported."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from click.testing import CliRunner

from survindex.cli import cli
from survindex.ingest.datasets import TableMapping, import_atlas, import_spyware_inventory, import_table
from survindex.ingest.datasets import pipeline, table
from survindex.ingest.datasets.reader import FileFormatError, read_table
from survindex.ingest.datasets.stream import TableStream, stream_table
from survindex.store import open_store

FIXTURES = Path(__file__).parent / "fixtures" / "import"
BORDER = "data/eff-aos-border-campus/aos-bordercounties_-_01.10.2020.csv"


def whole_table(path: str | Path, sheet: str | None = None) -> TableStream:
    """The importers' input as it was before streaming: the file read whole by ``read_table``."""
    whole = read_table(path)
    chosen = whole.sheet(sheet)
    return TableStream(path=Path(path), mime=whole.mime, encoding=whole.encoding, columns=chosen.columns,
                       name=chosen.name, warnings=list(whole.warnings), problems=list(whole.problems), whole=whole,
                       _sheet=chosen)


def read_both(path: Path) -> tuple[Any, Any]:
    """What read_table and stream_table make of a file: rows, notes, text, encoding, columns; or the error."""
    out: list[Any] = []
    for opener in (whole_table, stream_table):
        try:
            t = opener(path)
            rows = list(t.rows())
            out.append((rows, t.notes(), t.text(), t.encoding, t.columns, t.never_read([])))
        except FileFormatError as exc:
            out.append(str(exc))
    return out[0], out[1]


def imported(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str, streamed: bool,
             run: Any) -> tuple[dict[str, Any], list[Any], list[Any]]:
    """Report (without its run id), claims and documents of one import on a fresh SQLite file."""
    opener = stream_table if streamed else whole_table
    monkeypatch.setattr(pipeline, "stream_table", opener)
    monkeypatch.setattr(table, "stream_table", opener)
    store = open_store(str(tmp_path / f"{name}-{streamed}.db"))
    try:
        report = run(store).to_dict()
        claims = sorted((dataclasses.asdict(c) for c in store.claims()), key=lambda c: json.dumps(c, default=str))
        docs = sorted((d.id, d.text, json.dumps(d.meta, sort_keys=True)) for d in store.documents())
    finally:
        store.close()
    report.pop("run_id")
    return report, claims, docs


def test_shared_atlas_file_streams_to_the_same_claims_and_report(shared: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def run(store: Any) -> Any:
        return import_atlas(store, shared / BORDER)

    before = imported(monkeypatch, tmp_path, "atlas", False, run)
    after = imported(monkeypatch, tmp_path, "atlas", True, run)
    assert before[0]["rows_read"] == 207 and len(before[1]) > 207
    assert after == before


@pytest.mark.parametrize("name", ["country_table.csv", "country_table_cp1252.csv", "truncated_table.csv"])
def test_table_fixtures_stream_to_the_same_claims_and_report(name: str, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path = FIXTURES / name
    country = next(c for c in read_table(path).sheet().columns if c.casefold() in ("country", "name"))
    flags = [c for c in read_table(path).sheet().columns if c not in (country,)][:3]
    mapping = TableMapping(country_column=country, columns={c: "facial_recognition" for c in flags[:1]})

    def run(store: Any) -> Any:
        return import_table(store, path, mapping)

    assert imported(monkeypatch, tmp_path, name, True, run) == imported(monkeypatch, tmp_path, name, False, run)


def test_spyware_fixture_streams_to_the_same_claims_and_report(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    def run(store: Any) -> Any:
        return import_spyware_inventory(store, FIXTURES / "spyware-inventory.csv")

    before = imported(monkeypatch, tmp_path, "spyware", False, run)
    assert imported(monkeypatch, tmp_path, "spyware", True, run) == before


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.csv")))
def test_fixtures_read_the_same_streamed(name: str) -> None:
    whole, streamed = read_both(FIXTURES / name)
    assert streamed == whole


CELL = st.text(alphabet=st.sampled_from(list('ab ,;\t"\n\ré€\u00a0\ufeff')), max_size=8)
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32", "cp1252", "latin-1"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(CELL, min_size=1, max_size=4), max_size=6), encoding=st.sampled_from(ENCODINGS),
       terminator=st.sampled_from(["\n", "\r\n", "\r"]), stray=st.lists(st.integers(0, 200), max_size=2),
       delimiter=st.sampled_from([",", ";"]))
def test_any_csv_reads_the_same_streamed(tmp_path: Path, rows: list[list[str]], encoding: str, terminator: str,
                                         stray: list[int], delimiter: str) -> None:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator=terminator).writerows(rows)
    text = buf.getvalue()
    for at in stray:  # stray quotes anywhere
        text = text[:at] + '"' + text[at:]
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode(encoding, errors="replace"))
    whole, streamed = read_both(path)
    assert streamed == whole


ATLAS_HEADER = ["RefNo", "Agency", "City", "County", "State", "TechnologyType", "Vendor", "Summary", "PrimaryLink",
                "DocumentDate"]


def _atlas_row(i: int, summary: str | None = None, technology: str = "Drones") -> list[str]:
    return [f"R{i}", f"Agency {i}", f"City {i}", "Pima County", "AZ", technology, "DJI",
            summary if summary is not None else f"Agency {i} bought drones in 2019.", f"https://example.org/{i}",
            "2019-05-01"]


def test_a_bad_row_in_the_middle_is_reported_and_the_rows_after_it_imported(tmp_path: Path, db_path: str) -> None:
    rows = [ATLAS_HEADER] + [_atlas_row(i) for i in range(1, 41)]
    rows[20] = _atlas_row(20, summary="", technology="")  # spreadsheet row 21: nothing to claim
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    lines = buf.getvalue().splitlines(keepends=True)
    lines[30] = lines[30].replace("Agency 30,", 'Agency "30,', 1)  # row 31: a quote that never closes
    path = tmp_path / "atlas.csv"
    path.write_text("".join(lines), encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", "atlas", str(path), "--json", "--db", db_path],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["rows_read"] == 40 and report["rows_rejected"] == 1
    assert report["rejected"][0]["row"] == 21 and "no technology and no summary" in report["rejected"][0]["reason"]
    assert report["rejected"][0]["location"] == "file=atlas.csv;row=21"
    assert any(w.startswith("row 31: unbalanced or misplaced quote") for w in report["warnings"])
    assert "row 21: no technology and no summary" in result.stderr
    store = open_store(db_path)
    try:
        agencies = {c.original["agency"] for c in store.claims()}
    finally:
        store.close()
    assert {f"Agency {i}" for i in range(21, 41) if i != 30} <= agencies and "Agency 20" not in agencies
    assert any(a.startswith('Agency "30') for a in agencies) and len(agencies) == 39


def test_the_streamed_file_is_archived_whole(tmp_path: Path, db_path: str) -> None:
    rows = [ATLAS_HEADER] + [_atlas_row(i) for i in range(1, 4)]
    path = tmp_path / "atlas.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    store = open_store(db_path)
    try:
        import_atlas(store, path)
        docs = list(store.documents())
        archived = [store.raw_bytes(d.id) for d in docs]
        shas = {d.meta["file_sha256"] for d in docs}
    finally:
        store.close()
    assert shas == {hashlib.sha256(path.read_bytes()).hexdigest()}
    assert archived.count(path.read_bytes()) == 1  # the first document carries the file's bytes


def test_a_sheet_named_for_a_csv_file_is_the_same_error() -> None:
    with pytest.raises(FileFormatError, match=r"no sheet 'Data' \(sheets: None\)"):
        stream_table(FIXTURES / "country_table.csv", "Data")
    with pytest.raises(FileFormatError, match=r"no sheet 'Data' \(sheets: None\)"):
        read_table(FIXTURES / "country_table.csv").sheet("Data")


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig", "utf-16"])
def test_a_large_file_reads_the_same_across_chunk_boundaries(tmp_path: Path, encoding: str) -> None:
    """Chunks of 1 MB: a bad UTF-8 byte past the first chunk is reported at the same offset, and a CRLF or a
    multi-byte character cut by a chunk boundary reads the same."""
    lines = ["id,name,note"] + [f'{i},"Agency {"é" if i > 40_000 else "e"} {i}","line\r\none {i % 7}"'
                              for i in range(60_000)]
    path = tmp_path / "big.csv"
    path.write_bytes("\r\n".join(lines).encode(encoding))
    whole, streamed = read_both(path)
    assert not isinstance(whole, str) and len(whole[0]) == 60_000
    assert streamed == whole
