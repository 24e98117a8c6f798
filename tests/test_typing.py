"""The library type-checks under ``mypy --strict`` (STYLE habit 12), with the settings in pyproject.toml."""

from __future__ import annotations

from pathlib import Path

import pytest

api = pytest.importorskip("mypy.api")
ROOT = Path(__file__).resolve().parents[1]


def test_library_is_mypy_strict_clean() -> None:
    stdout, stderr, status = api.run([
        "--strict", "--config-file", str(ROOT / "pyproject.toml"),
        "--cache-dir", str(ROOT / ".mypy_cache"), "--no-error-summary",
        str(ROOT / "src" / "survindex"),
    ])
    errors = [line for line in stdout.splitlines() if ": error:" in line]
    assert status == 0 and not errors, "mypy --strict found:\n" + (stdout or stderr)
