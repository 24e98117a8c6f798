"""The gazetteer's disk cache: keyed by content, shared by installs of the same code, never trusted blindly."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from survindex.extract import cache


@pytest.fixture()
def cache_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(cache.ENV, str(tmp_path))
    return tmp_path


def test_built_once_then_loaded(cache_in: Path) -> None:
    calls: list[int] = []

    def build() -> dict[str, int]:
        calls.append(1)
        return {"x": 1}

    assert cache.cached("thing", build) == {"x": 1}
    assert cache.cached("thing", build) == {"x": 1}
    assert len(calls) == 1
    assert len(list(cache_in.glob("thing-*.pickle"))) == 1


def test_a_damaged_or_foreign_writable_file_is_rebuilt(cache_in: Path) -> None:
    cache.cached("thing", lambda: [1])
    path = next(cache_in.glob("thing-*.pickle"))
    path.write_bytes(b"not a pickle")
    assert cache.cached("thing", lambda: [2]) == [2]
    path.write_bytes(pickle.dumps([3]))
    os.chmod(path, 0o666)  # writable by others: never loaded
    assert cache.cached("thing", lambda: [4]) == [4]


def test_the_fingerprint_follows_contents_not_paths(cache_in: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    base = cache.fingerprint()
    a, b = tmp_path / "a", tmp_path / "b"
    for d in (a, b):
        d.mkdir()
        (d / "extra.yaml").write_text("k: v\n", encoding="utf-8")
    monkeypatch.setenv("SURVINDEX_REFERENCE_DIR", str(a))
    in_a = cache.fingerprint()
    monkeypatch.setenv("SURVINDEX_REFERENCE_DIR", str(b))
    assert cache.fingerprint() == in_a != base  # the same tables elsewhere: the same cache file
    (b / "extra.yaml").write_text("k: changed\n", encoding="utf-8")
    assert cache.fingerprint() != in_a


def test_a_few_versions_live_side_by_side(cache_in: Path) -> None:
    for n in range(cache.KEEP + 2):
        (cache_in / f"thing-old{n}.pickle").write_bytes(pickle.dumps(n))
        os.utime(cache_in / f"thing-old{n}.pickle", (1_000_000 + n, 1_000_000 + n))
    cache.cached("thing", lambda: "new")
    kept = sorted(p.name for p in cache_in.glob("thing-*.pickle"))
    assert len(kept) == cache.KEEP and f"thing-old{cache.KEEP + 1}.pickle" in kept
