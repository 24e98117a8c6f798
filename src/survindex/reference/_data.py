"""Where the reference tables live: the package data directory, or ``SURVINDEX_REFERENCE_DIR`` for refreshed tables."""

from __future__ import annotations

import os
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from survindex.model import yamlio

ENV_DIR = "SURVINDEX_REFERENCE_DIR"


def package_dir() -> Path:
    """The ``data/`` directory inside the installed package."""
    return Path(str(resources.files("survindex.reference").joinpath("data")))


def override_dir() -> Path | None:
    value = os.environ.get(ENV_DIR, "").strip()
    return Path(value) if value else None


def default_out_dir() -> Path:
    """Where ``refresh_*`` writes when no directory is given: the override dir if set, else the package data dir."""
    return override_dir() or package_dir()


@cache
def load_yaml(filename: str) -> Any:
    """A packaged YAML file (not overridable: these tables are written by hand, in review)."""
    with (package_dir() / filename).open(encoding="utf-8") as fh:
        return yamlio.load(fh)
