"""The optional compiled build (``SURVINDEX_COMPILE=1 pip install .``, mypyc) extracts exactly what pure Python does.

mypyc checks declared types at run time, so a type annotation that lies (``techs or [None]`` into a
``list[Tech]``) crashes the compiled build while pure Python runs on: this test compiles the modules setup.py
lists, as setup.py does, and compares the claims on real documents."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any

import pytest

from survindex.runner import run_extraction

ROOT = Path(__file__).resolve().parents[1]


def _compiled_modules() -> tuple[str, ...]:
    for node in ast.parse((ROOT / "setup.py").read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "COMPILED_MODULES" for t in node.targets):
            value: tuple[str, ...] = ast.literal_eval(node.value)
            return value
    raise AssertionError("setup.py has no COMPILED_MODULES")


def _corpus(shared: Path | None) -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = []
    if shared is not None:
        for name in ("eff-border.jsonl", "gcdf-titles.jsonl"):
            for line in (shared / "gold" / name).read_text(encoding="utf-8").splitlines():
                if line.strip():
                    d = json.loads(line)
                    docs.append({"id": d["id"], "text": d["text"]})
        docs += [{"id": p.stem, "text": p.read_text(encoding="utf-8")} for p in sorted((shared / "seed").glob("*.txt"))]
    docs += [{"id": "own-1", "text": "Police in Lahore use Huawei cameras; the company is banned in the US."},
             {"id": "own-2", "text": "China Eximbank provides US$150 million loan for Safe City Project in Nairobi",
              "title": "Safe City Nairobi"},
             {"id": "own-3", "text": "The sheriff did not buy drones. Deputies wear Axon body cameras."}]
    return docs


@pytest.mark.skipif(shutil.which("cc") is None, reason="no C compiler (scripts/system-deps.sh installs gcc)")
@pytest.mark.skipif(not Path(sysconfig.get_paths()["include"], "Python.h").exists(),
                    reason="no Python headers (scripts/system-deps.sh installs python3-dev)")
def test_compiled_build_extracts_exactly_what_pure_python_does(tmp_path: Path) -> None:
    shared = ROOT.parent / "shared"
    docs = _corpus(shared if (shared / "gold").is_dir() else None)
    src = tmp_path / "src"
    shutil.copytree(ROOT / "src", src, ignore=shutil.ignore_patterns("__pycache__", "*.so", "vendor"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    mypyc = Path(sys.executable).with_name("mypyc")
    files = [f"survindex/extract/{m}.py" for m in _compiled_modules()]
    build = subprocess.run([str(mypyc), "--config-file", "../pyproject.toml", *files], cwd=src,
                           capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    assert all(list((src / "survindex" / "extract").glob(f"{m}.*.so")) for m in _compiled_modules())

    (tmp_path / "docs.jsonl").write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(src), "SURVINDEX_CACHE_DIR": str(tmp_path / "cache")}
    script = ("import json, pickle, sys; import survindex.extract.facts as f; "
              "assert f.__file__.endswith('.so'), f.__file__; "
              "from survindex.extract.gazetteer import gazetteer; "  # the disk cache must load in a compiled build
              "assert pickle.loads(pickle.dumps(gazetteer())).find('Police in Kenya'); "
              "from survindex.runner import run_extraction; "
              "docs = [json.loads(x) for x in open(sys.argv[1], encoding='utf-8')]; "
              "print(json.dumps(list(run_extraction(docs))))")
    run = subprocess.run([sys.executable, "-c", script, str(tmp_path / "docs.jsonl")], env=env, capture_output=True,
                         text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    compiled = json.loads(run.stdout)
    pure = list(run_extraction(docs))
    assert len(pure) > len(docs) // 2
    assert compiled == json.loads(json.dumps(pure))
