"""The pure stages (extract, index, model, reference) import no web framework, CLI library or database driver,
nor the survindex packages that do (store, web, cli): read statically with ``ast``, then checked in a fresh
interpreter that imports every one of their modules."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "survindex"
PURE = ("extract", "index", "model", "reference", "cases")
FORBIDDEN = frozenset({"fastapi", "starlette", "click", "rich", "sqlalchemy", "psycopg", "psycopg2", "uvicorn",
                       "jinja2"})
FORBIDDEN_OWN = ("survindex.store", "survindex.web", "survindex.cli")


def _type_checking_only(tree: ast.AST) -> set[int]:
    """ids of the import nodes under ``if TYPE_CHECKING:`` (never run, so they pull nothing in)."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    return skipped


def _absolute(module: str | None, level: int, package: tuple[str, ...]) -> str:
    """The absolute name of ``from <level dots><module> import …`` in ``package``, e.g. ("survindex", "index")."""
    if level == 0:
        return module or ""
    base = package[: len(package) - (level - 1)]
    return ".".join([*base, module] if module else base)


def imports(path: Path, package: tuple[str, ...] | None = None) -> Iterator[tuple[int, str]]:
    """(line, absolute module name) of every import in the file, including those inside functions."""
    package = package or path.parent.relative_to(SRC.parent).parts
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_only(tree)
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            yield from ((node.lineno, a.name) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield node.lineno, _absolute(node.module, node.level, package)


def violations_in(names: list[str]) -> list[str]:
    own = tuple(f"{o}." for o in FORBIDDEN_OWN)
    return [n for n in names if n.split(".")[0] in FORBIDDEN or n in FORBIDDEN_OWN or n.startswith(own)]


def violations(path: Path) -> list[str]:
    where = path.relative_to(SRC.parent)
    return [f"{where}:{line} imports {name}" for line, name in imports(path) if violations_in([name])]


@pytest.mark.parametrize("package", PURE)
def test_pure_packages_import_no_framework_or_driver(package: str) -> None:
    files = sorted((SRC / package).rglob("*.py"))
    assert files, f"no modules found under {package}/"
    found = [v for f in files for v in violations(f)]
    assert found == [], "\n".join(found)


def test_the_check_sees_every_kind_of_import(tmp_path: Path) -> None:
    """The walker finds lazy, aliased, dotted and relative imports, and leaves TYPE_CHECKING-only ones alone."""
    text = ("from typing import TYPE_CHECKING\nimport sqlalchemy.orm as orm\nif TYPE_CHECKING:\n"
            "    from fastapi import Request\n"
            "def f() -> None:\n    import click\n    from ..store import Store\n    from . import compute\n")
    probe = tmp_path / "probe.py"
    probe.write_text(text, encoding="utf-8")
    names = [name for _, name in imports(probe, ("survindex", "index"))]
    assert names.count("sqlalchemy.orm") == 1 and "click" in names and "fastapi" not in names
    assert "survindex.store" in names and "survindex.index" in names
    assert violations_in(names) == ["sqlalchemy.orm", "click", "survindex.store"]


def test_importing_the_pure_packages_loads_no_framework_or_driver() -> None:
    """Transitive imports too: a fresh interpreter imports every module of the pure packages."""
    code = (
        "import importlib, json, pkgutil, sys\n"
        f"for name in {list(PURE)!r}:\n"
        "    pkg = importlib.import_module('survindex.' + name)\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(m.name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    loaded = json.loads(out.stdout)
    assert any(m.startswith("survindex.extract.") for m in loaded)
    assert violations_in(loaded) == []


def test_the_index_from_the_database_imports_no_numpy(tmp_path: Path) -> None:
    """`stats` computes the index from SQL and pure Python: numpy (0.1 s to import, a twentieth of `stats` at 1M
    claims) is for the web app's columns and search, not for it."""
    from survindex.store import open_store

    db = tmp_path / "s.db"
    open_store(str(db)).close()
    code = ("import sys\nfrom survindex.cli.index import compute_from_db\n"
            f"compute_from_db({str(db)!r}, 'accepted', None, None)\nprint('numpy' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == "False"
