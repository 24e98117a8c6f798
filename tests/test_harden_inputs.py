"""Issue 11 item 2: one bad item never stops or corrupts a run (each test failed before the fix)."""

from __future__ import annotations

import io
import os
import random
import resource
import signal
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from survindex.cli import cli
from survindex.ingest.datasets import FileFormatError
from survindex.ingest.datasets.reader import read_table
from survindex.store import open_store

SURVINDEX = [sys.executable, "-c", "from survindex.cli import main; main()"]
CSV_ARGS = ["--country-column", "Country", "--column", "Cameras=facial_recognition"]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_non_utf8_file_name_costs_nothing(tmp_path: Path, db_path: str) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    bad = os.fsdecode(bytes(tree) + b"/bad\xffname.txt")
    Path(bad).write_text("Huawei supplied cameras to Kenya in 2019, the ministry said.", encoding="utf-8")
    (tree / "ok.txt").write_text("Hikvision cameras were installed in Kampala by the police.", encoding="utf-8")
    (tree / "z.txt").write_bytes(b"")  # an error in the last batch
    code, out = run("ingest", str(tree), "--db", db_path, "--no-progress")
    assert code == 0, out
    with sqlite3.connect(db_path) as c:
        sources = sorted(r[0] for r in c.execute("select source from documents"))
        errors = [r[0] for r in c.execute("select source from errors")]
    assert sources[0].endswith("bad\\xffname.txt") and sources[1].endswith("ok.txt")
    assert errors and errors[-1].endswith("z.txt")  # the last batch's error is recorded


def test_binary_txt_is_refused_and_symlink_out_of_tree_too(tmp_path: Path, db_path: str) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "bin.txt").write_bytes(random.Random(1).randbytes(5000))
    outside = tmp_path / "secret.txt"
    outside.write_text("root:x:0:0:root:/root:/bin/bash and other secrets of the system", encoding="utf-8")
    (tree / "link.txt").symlink_to(outside)
    (tree / "inner.txt").write_text("Dahua cameras in Nairobi were supplied in 2020 to police.", encoding="utf-8")
    (tree / "inside-link.txt").symlink_to(tree / "inner.txt")
    code, out = run("ingest", str(tree), "--db", db_path, "--no-progress")
    assert code == 0, out
    assert "binary data in a text file" in out and "symbolic link out of the ingested directory" in out
    with sqlite3.connect(db_path) as c:
        texts = [r[0] for r in c.execute("select text from documents")]
    assert len(texts) == 1 and "Dahua" in texts[0]  # the inside link is the same document, stored once


def test_stray_quote_swallows_no_rows(tmp_path: Path, db_path: str) -> None:
    f = tmp_path / "t.csv"
    f.write_text('Country,Cameras\n"Kenya,x\nUganda,x\nChad,x\n', encoding="utf-8")
    table = read_table(f)
    assert [r.number for r in table.sheet().rows] == [2, 3, 4]
    assert table.problems == [(2, table.problems[0][1])] and "quote" in table.problems[0][1]
    code, out = run("import", "table", str(f), "--db", db_path, *CSV_ARGS)
    assert code == 0 and "rows read: 3" in out and "row 2: unbalanced" in out


def test_quoted_multiline_fields_still_read(tmp_path: Path) -> None:
    f = tmp_path / "t.csv"
    f.write_text('Country,Notes\nKenya,"two\nlines, with ""quotes"""\nUganda,plain\n', encoding="utf-8")
    table = read_table(f)
    assert [r.cells["Notes"] for r in table.sheet().rows] == ['two\nlines, with "quotes"', "plain"]
    assert table.problems == []


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_csv_is_read(tmp_path: Path, db_path: str, encoding: str) -> None:
    f = tmp_path / "t.csv"
    f.write_bytes("Country,Cameras\nKenya,x\nCôte d'Ivoire,x\n".encode(encoding))
    table = read_table(f)
    assert [r.cells["Country"] for r in table.sheet().rows] == ["Kenya", "Côte d'Ivoire"]
    code, out = run("import", "table", str(f), "--db", db_path, *CSV_ARGS)
    assert code == 0 and "countries: 2" in out, out


def _xlsx() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Country", "Cameras"])
    for name in ("Kenya", "Uganda", "Chad", "Peru"):
        ws.append([name, "x"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _mutations(good: bytes, n: int) -> list[bytes]:
    rng = random.Random(11)
    out = [good[: len(good) // 2], good[:100], b"PK\x03\x04" + b"garbage" * 50]
    with zipfile.ZipFile(io.BytesIO(good)) as z:
        members = {i.filename: z.read(i.filename) for i in z.infolist()}
    while len(out) < n:
        data = bytearray(good)
        if rng.random() < 0.5:
            for _ in range(rng.randint(1, 20)):
                data[rng.randrange(len(data))] = rng.randrange(256)
            out.append(bytes(data))
            continue
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for name, body in members.items():
                if rng.random() < 0.3:
                    body = bytearray(body)
                    for _ in range(rng.randint(1, 10)):
                        body[rng.randrange(len(body))] = rng.choice(b"<>&\"'/ax\x00")
                    body = bytes(body)
                if rng.random() > 0.05:
                    z.writestr(name, body)
        out.append(buf.getvalue())
    return out


def test_corrupt_xlsx_never_crashes_the_import(tmp_path: Path, db_path: str) -> None:
    crashes = []
    for i, data in enumerate(_mutations(_xlsx(), 80)):
        f = tmp_path / f"m{i}.xlsx"
        f.write_bytes(data)
        result = CliRunner().invoke(cli, ["import", "table", str(f), "--db", db_path, *CSV_ARGS])
        if result.exit_code not in (0, 1) or (result.exception and not isinstance(result.exception, SystemExit)):
            crashes.append((i, repr(result.exception)))
    assert crashes == []


def test_xlsx_bomb_is_refused_by_actual_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A member whose header declares less than it unpacks to is caught while streaming."""
    monkeypatch.setenv("SURVINDEX_MAX_UNPACKED", "2000000")
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_xlsx())) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/media/pad.bin", b"\0" * 5_000_000)
    f = tmp_path / "bomb.xlsx"
    f.write_bytes(buf.getvalue())
    with pytest.raises(FileFormatError, match="zip bomb"):
        read_table(f)
    # a lying header: patch the declared size of the big member down in the central directory and local header
    data = bytearray(buf.getvalue())
    five = (5_000_000).to_bytes(4, "little")
    assert data.count(five) == 2
    f.write_bytes(bytes(data).replace(five, (1000).to_bytes(4, "little")))
    with pytest.raises(FileFormatError, match="zip bomb|damaged|not a readable"):
        read_table(f)


def test_parse_deadline_cuts_a_slow_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from survindex.ingest.datasets import reader

    monkeypatch.setenv("SURVINDEX_PARSE_SECONDS", "0.3")
    monkeypatch.setattr(reader, "read_records", lambda *a: time.sleep(5))
    f = tmp_path / "t.csv"
    f.write_text("Country,Cameras\nKenya,x\n", encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(FileFormatError, match="longer than 0.3 s"):
        read_table(f)
    assert time.monotonic() - started < 2


def _limited(limit: int) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_full_disk_ends_ingest_with_a_clear_error_and_an_intact_database(tmp_path: Path) -> None:
    """RLIMIT_FSIZE makes every write past 3 MB fail with EFBIG, as a full disk does (no privileges needed)."""
    tree = tmp_path / "big"
    tree.mkdir()
    for i in range(300):  # digits only: no language model is loaded (it needs a temporary file)
        r = random.Random(i)
        (tree / f"d{i:03d}.txt").write_text("\n".join(" ".join(str(r.randrange(10**9)) for _ in range(10))
                                                      for _ in range(300)))
    db = str(tmp_path / "t.db")
    env = {**os.environ, "SURVINDEX_CACHE_DIR": "off"}
    r = subprocess.run([*SURVINDEX, "ingest", str(tree), "--db", db, "--no-progress"], preexec_fn=lambda: _limited(3_000_000),
                       capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "Error: cannot write" in r.stderr and "run the command again" in r.stderr
    with sqlite3.connect(db) as c:
        assert c.execute("pragma integrity_check").fetchone() == ("ok",)
    r = subprocess.run([*SURVINDEX, "ingest", str(tree), "--db", db, "--no-progress"], capture_output=True,
                       text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    store = open_store(db)
    assert store.table_counts()["documents"] == 300
    store.close()


def test_full_disk_ends_extract_with_a_clear_error(tmp_path: Path) -> None:
    from benchmarks.faults import make_corpus

    db = str(tmp_path / "t.db")
    env = {**os.environ, "SURVINDEX_CACHE_DIR": "off"}
    r = subprocess.run([*SURVINDEX, "ingest", str(make_corpus(tmp_path / "c", 300, 3)), "--db", db,
                        "--no-progress"], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    limit = os.path.getsize(db) + 50_000
    r = subprocess.run([*SURVINDEX, "extract", "--db", db], preexec_fn=lambda: _limited(limit),
                       capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 1 and "Traceback" not in r.stderr and "Error: cannot write" in r.stderr
    with sqlite3.connect(db) as c:
        assert c.execute("pragma integrity_check").fetchone() == ("ok",)
    r = subprocess.run([*SURVINDEX, "extract", "--db", db], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
