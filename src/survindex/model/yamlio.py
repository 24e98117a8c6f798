"""One YAML loader for every hand-written table: safe, libyaml-fast when available, and strict about duplicate
mapping keys (plain YAML would silently keep the last one)."""

from __future__ import annotations

from typing import IO, Any

import yaml


class StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader (libyaml when available) that refuses duplicate mapping keys."""


def _no_duplicates(loader: StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        k = loader.construct_object(key_node, deep=deep)
        if k in seen:
            raise ValueError(f"duplicate key {k!r} at line {key_node.start_mark.line + 1} of {node.start_mark.name}")
        seen.add(k)
    mapping: dict[Any, Any] = loader.construct_mapping(node, deep=deep)
    return mapping


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


def load(source: str | IO[str]) -> Any:
    """Parse YAML text or a text stream with ``StrictLoader``."""
    return yaml.load(source, Loader=StrictLoader)  # noqa: S506 - a SafeLoader subclass
