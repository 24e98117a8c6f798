"""Where the reference tables live: the package data directory, or ``SURVINDEX_REFERENCE_DIR`` for refreshed tables."""

from __future__ import annotations

import os
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

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


class _StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader (libyaml when available) that refuses duplicate mapping keys (YAML would keep the last one)."""


def _no_duplicates(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        k = loader.construct_object(key_node, deep=deep)
        if k in seen:
            raise ValueError(f"duplicate key {k!r} at line {key_node.start_mark.line + 1} of {node.start_mark.name}")
        seen.add(k)
    mapping: dict[Any, Any] = loader.construct_mapping(node, deep=deep)
    return mapping


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


@cache
def load_yaml(filename: str) -> Any:
    """A packaged YAML file (not overridable: these tables are written by hand, in review)."""
    with (package_dir() / filename).open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
