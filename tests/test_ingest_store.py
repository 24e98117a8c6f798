"""Ingest into a real store: directories, duplicates, errors, batches, idempotency, the CLI."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survindex.cli import cli
from survindex.ingest import ingest_paths
from survindex.ingest.dedupe import THRESHOLD
from survindex.ingest.documents import detect_language
from survindex.model import document_id
from survindex.store import open_store
from tests.fixtures.ingest.make import make_docx, make_pdf

FIX = Path(__file__).parent / "fixtures" / "ingest"
BASE = ("The interior ministry confirmed that Huawei installed about 1,000 high definition cameras across the "
        "capital in 2019, linked to a police command centre, under a contract financed by a concessional loan "
        "from the Export-Import Bank of China. Opposition lawmakers asked who can access the footage, how long "
        "recordings are kept and whether face recognition is switched on. The ministry said that the system "
        "reduced street crime by a third in its first year, a figure that independent researchers could not "
        "verify because the underlying police statistics have not been published.")


def corpus(root: Path) -> Path:
    """A small tree of every supported format, with hidden entries and a binary file to skip."""
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / ".hidden").mkdir()
    for name in ("article.html", "feed.rss", "docs.jsonl", "notes.md"):
        shutil.copy(FIX / name, root / "sub" / name)
    (root / "a.txt").write_text(BASE, encoding="utf-8")
    (root / "sub" / "deeper" / "report.pdf").write_bytes(make_pdf(["Yitu cameras are used in Kuala Lumpur."]))
    (root / "sub" / "deeper" / "memo.docx").write_bytes(make_docx(["CloudWalk signed a deal with Zimbabwe."]))
    (root / "sub" / "deeper" / "README").write_text("Alibaba cloud serves the city brain in Kuala Lumpur.")
    (root / ".hidden" / "x.txt").write_text("hidden directory, never read")
    (root / ".secret.txt").write_text("hidden file, never read")
    (root / "image.bin").write_bytes(bytes(range(256)) * 4)
    (root / "sub" / "tool.py").write_text("print('code is not a document')\n")
    (root / "sub" / "config.json").write_text('[{"not": "a document"}]')
    (root / "sub" / "atom.xml").write_text(
        "<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><title>Atom</title><entry>"
        "<title>Hikvision in Harare</title><link href='https://example.org/hh'/><id>urn:x</id>"
        "<updated>2021-02-03T00:00:00Z</updated><summary>Hikvision cameras watch Harare streets.</summary>"
        "</entry></feed>")
    return root


def dump(db_path: str) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(db_path) as c:
        return {t: sorted(c.execute(f"SELECT * FROM {t}").fetchall(), key=repr)  # noqa: S608 - fixed names
                for t in ("documents", "blobs")}


def test_directory_recursively_with_errors_recorded(tmp_path: Path, db_path: str) -> None:
    store = open_store(db_path)
    report = ingest_paths(store, [str(corpus(tmp_path / "in"))], progress=False)
    docs = list(store.documents())
    sources = {Path(d.source or "").name for d in docs}
    assert sources == {"a.txt", "article.html", "feed.rss", "docs.jsonl", "notes.md", "report.pdf", "memo.docx",
                       "README", "atom.xml"}
    assert report.read == report.new == len(docs) == 12  # 1+1+2 feed entries+3 JSONL lines+1+1+1+1+1 Atom
    assert report.skipped == 3  # image.bin, tool.py, config.json
    atom = next(d for d in docs if Path(d.source or "").name == "atom.xml")
    assert atom.title == "Hikvision in Harare" and atom.published == "2021-02-03"
    assert not any("hidden" in d.text for d in docs)
    locations = sorted((Path(e["source"]).name, e["location"]) for e in store.errors())
    assert locations == [("docs.jsonl", "line 3"), ("docs.jsonl", "line 4"), ("docs.jsonl", "line 5"),
                         ("feed.rss", "entry 3")]
    assert {e["run"] for e in store.errors()} == {report.run}
    for doc in docs:
        assert doc.id == document_id(doc.text)
        assert store.raw_bytes(doc.id)
    jsonl_doc = next(d for d in docs if d.meta.get("source_id") == "aid-1")
    assert store.raw_bytes(jsonl_doc.id) == (FIX / "docs.jsonl").read_bytes().splitlines()[0]
    assert all(d.language == "en" for d in docs if len(d.text.split()) > 8)


def test_ingesting_twice_leaves_identical_rows(tmp_path: Path, db_path: str) -> None:
    root = str(corpus(tmp_path / "in"))
    first = ingest_paths(open_store(db_path), [root], progress=False)
    before = dump(db_path)
    second = ingest_paths(open_store(db_path), [root], progress=False)
    assert dump(db_path) == before
    assert second.new == second.near_duplicates == 0
    assert second.duplicates == second.read == first.read


def test_near_duplicates_are_linked_across_runs(tmp_path: Path, db_path: str) -> None:
    (tmp_path / "one.txt").write_text(BASE)
    (tmp_path / "two.txt").write_text(BASE.replace("1,000", "1,200"))
    (tmp_path / "three.txt").write_text(BASE + " The ministry did not reply.")
    (tmp_path / "other.txt").write_text("Dahua sold thermal cameras to the Ugandan police for the elections "
                                        "in 2021, according to procurement records seen by reporters.")
    store = open_store(db_path)
    r1 = ingest_paths(store, [str(tmp_path / "one.txt"), str(tmp_path / "two.txt")], progress=False)
    assert (r1.new, r1.near_duplicates) == (1, 1)
    original = document_id(BASE)
    r2 = ingest_paths(open_store(db_path), [str(tmp_path / "three.txt"), str(tmp_path / "other.txt")],
                      progress=False)  # a new run rebuilds the index from the store
    assert (r2.new, r2.near_duplicates) == (1, 1)
    by_name = {Path(d.source or "").name: d for d in open_store(db_path).documents()}
    assert by_name["one.txt"].duplicate_of is None and by_name["other.txt"].duplicate_of is None
    assert by_name["two.txt"].duplicate_of == original == by_name["three.txt"].duplicate_of
    assert 0 < THRESHOLD < 1


def test_batches_of_many_documents_and_a_refused_row(tmp_path: Path, db_path: str) -> None:
    lines = [json.dumps({"id": f"r{i}", "text": f"Record {i}: camera purchase number {i} by the city police.",
                         "title": "refuse me" if i == 777 else f"Record {i}"}) for i in range(1300)]
    (tmp_path / "many.jsonl").write_text("\n".join(lines) + "\n")
    store = open_store(db_path)
    with sqlite3.connect(db_path) as c:  # a real database refusal for one row
        c.execute("CREATE TRIGGER refuse BEFORE INSERT ON documents WHEN NEW.title = 'refuse me' "
                  "BEGIN SELECT RAISE(ABORT, 'refused by trigger'); END")
    report = ingest_paths(store, [str(tmp_path / "many.jsonl")], progress=False)
    assert report.read == 1300 and report.new == 1299
    assert store.table_counts()["documents"] == 1299
    [err] = store.errors()
    assert err["location"] == "line 778" and "cannot store" in err["reason"]


def test_a_bad_file_damages_nothing_already_stored(tmp_path: Path, db_path: str) -> None:
    (tmp_path / "good.txt").write_text(BASE)
    ingest_paths(open_store(db_path), [str(tmp_path / "good.txt")], progress=False)
    before = dump(db_path)
    (tmp_path / "broken.pdf").write_bytes(make_pdf(["text"])[:200])
    (tmp_path / "empty.txt").write_bytes(b"")
    report = ingest_paths(open_store(db_path), [str(tmp_path)], progress=False)
    assert report.duplicates == 1 and report.new == 0
    assert sorted(Path(s).name for s, _ in report.errors) == ["broken.pdf", "empty.txt"]
    assert dump(db_path) == before


def test_ten_megabyte_document(tmp_path: Path, db_path: str) -> None:
    import threading

    import psutil

    sentence = "Police in the capital deployed {} new cameras supplied by a foreign vendor last year.\n"
    text = "".join(sentence.format(i) for i in range(125_000))
    assert len(text) > 10_000_000
    (tmp_path / "big.txt").write_text(text)
    proc, peak, done = psutil.Process(), [0], threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            peak[0] = max(peak[0], proc.memory_info().rss)

    store = open_store(db_path)
    detect_language("Load the language model before measuring: it is loaded once per process.")
    base = proc.memory_info().rss
    sampler = threading.Thread(target=sample)
    sampler.start()
    report = ingest_paths(store, [str(tmp_path / "big.txt")], progress=False)
    done.set()
    sampler.join()
    assert report.new == 1 and not report.errors
    assert peak[0] - base < 12 * len(text)  # a bounded multiple of the document (measured ~6x)
    [doc] = open_store(db_path).documents()
    assert len(doc.text) == len(text.strip()) and doc.language == "en"


def test_postgres_and_sqlite_store_the_same_documents(any_db: str, tmp_path: Path) -> None:
    root = str(corpus(tmp_path / "in"))
    (tmp_path / "in" / "ctl.txt").write_text("Control \x00 characters \x07 in a camera procurement note.\x1b")
    report = ingest_paths(open_store(any_db), [root], progress=False)
    assert report.new == 13 and len(report.errors) == 4
    again = ingest_paths(open_store(any_db), [root], progress=False)
    assert again.duplicates == 13 and again.new == 0
    texts = {d.text for d in open_store(any_db).documents()}
    assert "Control  characters  in a camera procurement note." in texts


def test_cli_jsonl_output_without_store(tmp_path: Path) -> None:
    root = corpus(tmp_path / "in")
    result = CliRunner().invoke(cli, ["ingest", str(root), "--no-store", "--jsonl", "-"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 12
    assert all(set(r) == {"id", "text", "title", "url", "published", "language", "meta"} for r in rows)
    assert all(r["id"] == document_id(r["text"]) and "minhash" not in r["meta"] for r in rows)
    assert "12 documents read" in result.stderr and "4 errors" in result.stderr
    assert not (tmp_path / "survindex.db").exists()


def test_cli_stores_and_writes_a_file(tmp_path: Path, db_path: str) -> None:
    out = tmp_path / "docs.jsonl"
    result = CliRunner().invoke(cli, ["ingest", str(FIX / "article.html"), "--db", db_path, "--jsonl", str(out)])
    assert result.exit_code == 0, result.output
    [row] = [json.loads(line) for line in out.read_text().splitlines()]
    assert open_store(db_path).get_document(row["id"]).title == row["title"]


@pytest.mark.parametrize(("args", "message"), [
    ([], "Error: ingest: no input given"),
    (["x.txt", "--max-bytes", "0"], "Error: --max-bytes: 0 is not a positive number of bytes"),
    (["x.txt", "--rate", "-1"], "Error: --rate: -1.0 is negative"),
    (["x.txt", "--no-store"], "Error: ingest: --no-store without --jsonl would keep nothing"),
    (["/no/such/path"], "Error: ingest: no document could be read (first: /no/such/path: no such file"),
])
def test_cli_errors(args: list[str], message: str, db_path: str) -> None:
    result = CliRunner().invoke(cli, ["ingest", *args, "--db", db_path])
    assert result.exit_code == 1
    assert message in result.output


def test_stdin_and_run_record(db_path: str) -> None:
    result = CliRunner().invoke(cli, ["ingest", "-", "--db", db_path], input=(FIX / "feed.rss").read_bytes())
    assert result.exit_code == 0, result.output
    store = open_store(db_path)
    assert {d.title for d in store.documents()} == {"Ecuador's ECU 911 system built with Chinese loans",
                                                    "Serbia expands Huawei camera network in Belgrade"}
    with sqlite3.connect(db_path) as c:
        [(command, status, stats)] = c.execute("SELECT command, status, stats FROM runs").fetchall()
    assert command == "ingest -" and status == "ok"
    assert json.loads(stats)["new"] == 2 and json.loads(stats)["errors"] == 1


def test_progress_bar_path_runs(tmp_path: Path, db_path: str) -> None:
    report = ingest_paths(open_store(db_path), [str(corpus(tmp_path / "in"))], progress=True)
    assert report.new == 12


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=st.dictionaries(
    st.from_regex(r"[a-z]{1,8}\.(txt|md|html|jsonl)", fullmatch=True),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=0, max_size=300), max_size=6))
def test_ingest_is_idempotent(tmp_path_factory: pytest.TempPathFactory, files: dict[str, str]) -> None:
    root = tmp_path_factory.mktemp("idem")
    for name, text in files.items():
        (root / "in" / name).parent.mkdir(exist_ok=True)
        (root / "in" / name).write_text(text, encoding="utf-8")
    (root / "in").mkdir(exist_ok=True)
    db = str(root / "s.db")
    first = ingest_paths(open_store(db), [str(root / "in")], progress=False)
    before = dump(db)
    second = ingest_paths(open_store(db), [str(root / "in")], progress=False)
    assert dump(db) == before
    assert second.new == second.near_duplicates == 0 and second.duplicates == second.read == first.read
    assert len(second.errors) == len(first.errors)


def test_seed_article(shared: Path, db_path: str) -> None:
    seed = shared / "seed"
    report = ingest_paths(open_store(db_path), [str(seed)], progress=False)
    assert report.new == len([p for p in seed.iterdir() if not p.name.startswith(".")]) and not report.errors
    doc = next(iter(open_store(db_path).documents()))
    assert doc.language == "en" and "Huawei" in doc.text and doc.id == document_id(doc.text)
    assert open_store(db_path).raw_bytes(doc.id) == next(seed.glob("*.txt")).read_bytes()


@pytest.mark.slow
def test_many_documents_stream_with_bounded_memory(tmp_path: Path) -> None:
    import psutil

    detect_language("Load the language model before measuring: it is loaded once per process.")
    words = BASE.split()
    path = tmp_path / "many.jsonl"
    with path.open("w") as fh:
        for i in range(20_000):  # 20k documents of ~2 KB: a 45 MB corpus
            text = " ".join(f"{words[(i * 13 + j) % len(words)]}{i % 997}-{j}" for j in range(240))
            fh.write(json.dumps({"id": i, "text": text}) + "\n")
    corpus_size = path.stat().st_size
    proc = psutil.Process()
    base = proc.memory_info().rss
    count = [0]
    report = ingest_paths(None, [str(path)], progress=False, sink=lambda doc: count.__setitem__(0, count[0] + 1))
    growth = proc.memory_info().rss - base
    assert report.new == count[0] == 20_000 and not report.errors
    print(f"corpus {corpus_size >> 20} MB, RSS growth {growth >> 20} MB")
    assert growth < corpus_size  # documents are streamed; only ~1 KB of index a document is kept


def test_jsonl_line_over_the_limit_is_skipped_alone(tmp_path: Path) -> None:
    from survindex.ingest import IngestError, iter_documents

    lines = [json.dumps({"id": "a", "text": "Short record about cameras bought by the Lagos police."}),
             json.dumps({"id": "b", "text": "x " * 50_000}),
             json.dumps({"id": "c", "text": "Another short record about a surveillance loan."})]
    (tmp_path / "mixed.jsonl").write_text("\n".join(lines))
    out = list(iter_documents([str(tmp_path / "mixed.jsonl")], max_bytes=10_000))
    assert [o.meta["source_id"] for o in out if not isinstance(o, IngestError)] == ["a", "c"]
    [err] = [o for o in out if isinstance(o, IngestError)]
    assert err.location == "line 2" and "longer than 10000 bytes" in err.reason


def test_jsonl_from_stdin_is_streamed(db_path: str) -> None:
    lines = "".join(json.dumps({"id": i, "text": f"Record {i} of a long stream about camera sales."}) + "\n"
                    for i in range(3000))  # longer than the sniffed head
    result = CliRunner().invoke(cli, ["ingest", "-", "--db", db_path, "--max-bytes", "1000"], input=lines)
    assert result.exit_code == 0, result.output
    assert "3000 documents read, 3000 new stored" in result.stderr


def test_control_characters_in_metadata_are_stored(any_db: str, tmp_path: Path) -> None:
    line = {"id": "n\u0000ul", "text": "A record with odd metadata about a police camera tender.",
            "title": "Ti\u0000tle\u0007 here", "url": "https://example.org/\u0000x", "published": "2020-13-45",
            "meta": {"note": "nul \u0000 inside, lone \ud800 surrogate", "nested": {"k": [1, 2.5, None]}}}
    (tmp_path / "odd.jsonl").write_text(json.dumps(line) + "\n")
    report = ingest_paths(open_store(any_db), [str(tmp_path / "odd.jsonl")], progress=False)
    assert report.new == 1 and not report.errors, report.errors
    [doc] = open_store(any_db).documents()
    assert doc.title == "Title here" and doc.published == "2020" and doc.meta["nested"] == {"k": [1, 2.5, None]}
    assert doc.meta["note"] == "nul  inside, lone \ufffd surrogate"
