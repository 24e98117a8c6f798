"""Source declarations (``sources.yaml``) and the Atlas technology table, loaded once from package data."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from survindex.model import TECHNOLOGY_KEYS, vocabulary


class UnknownSource(KeyError):
    """No dataset declared under that name."""


@dataclass(frozen=True)
class Source:
    """One importable dataset: who publishes it, how its columns map, what must hold after an import."""

    name: str
    importer: str
    title: str
    publisher: str
    url: str
    licence: str
    year: int | None = None
    mapping: Mapping[str, Any] = field(default_factory=dict)
    headers: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    assertions: Mapping[str, Any] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)


def _read_yaml(name: str) -> Any:
    text = resources.files("survindex.ingest.datasets").joinpath(name).read_text("utf-8")
    return yaml.safe_load(text)


_KNOWN = ("importer", "title", "publisher", "url", "licence", "year", "mapping", "headers", "assertions")


@cache
def sources() -> dict[str, Source]:
    """Every declared dataset by name."""
    out: dict[str, Source] = {}
    for name, d in _read_yaml("sources.yaml").items():
        out[name] = Source(name=name, importer=d["importer"], title=d["title"], publisher=d["publisher"],
                           url=d["url"], licence=d["licence"], year=d.get("year"), mapping=d.get("mapping") or {},
                           headers=d.get("headers") or {}, assertions=d.get("assertions") or {},
                           extra={k: v for k, v in d.items() if k not in _KNOWN})
        _check(out[name])
    return out


def _check(declared: Source) -> None:
    """Declarations name only vocabulary keys: technologies, stages, flow types."""
    vocab = vocabulary()
    checks = [(declared.mapping.get("columns") or {}, TECHNOLOGY_KEYS, "technology"),
              (declared.extra.get("categories") or {}, TECHNOLOGY_KEYS, "technology"),
              (declared.extra.get("regimes") or {}, tuple(vocab.regime_types), "regime type"),
              (declared.extra.get("stages") or {}, tuple(vocab.stages), "stage"),
              (declared.extra.get("flow_types") or {}, vocab.flow_types, "flow type")]
    for table, allowed, what in checks:
        for label, value in table.items():
            if value not in allowed:
                raise ValueError(f"sources.yaml: {declared.name} maps {label!r} to unknown {what} {value!r}")
    from survindex.ingest.datasets.checks import parse_checks

    parse_checks(f"{column}={check}" for column, check in (declared.mapping.get("checks") or {}).items())


def source(name: str) -> Source:
    try:
        return sources()[name]
    except KeyError:
        raise UnknownSource(f"no dataset declared as {name!r}; declared: {', '.join(sorted(sources()))}") from None


def _label_key(label: str) -> str:
    text = re.sub(r"[\s\-_]+", " ", label.casefold()).strip()
    text = re.sub(r"\s*/\s*", "/", text)
    return text[:-1] if text.endswith("s") else text


@cache
def atlas_technologies() -> dict[str, str]:
    """Atlas label key → technology key; validated against the vocabulary on load."""
    table: dict[str, str] = {}
    for label, key in _read_yaml("atlas_technologies.yaml").items():
        if key not in TECHNOLOGY_KEYS:
            raise ValueError(f"atlas_technologies.yaml maps {label!r} to unknown technology {key!r}")
        table[_label_key(str(label))] = key
    return table


def atlas_technology(label: str) -> tuple[list[str], bool]:
    """Technology keys for an Atlas label and whether the table knew it (else it is ``other``).
    ``ALPR/Camera Network`` gives both keys; an unlisted label gives ``["other"]``."""
    table = atlas_technologies()
    key = _label_key(label)
    if not key:
        return ["other"], False
    if key in table:
        return [table[key]], True
    parts = [_label_key(p) for p in label.split("/") if p.strip()]
    if len(parts) > 1 and all(p in table for p in parts):
        return list(dict.fromkeys(table[p] for p in parts)), True
    return ["other"], False


class UnknownHeader(ValueError):
    """A file whose header matches none of the header kinds its declaration knows."""


def detect_header(columns: list[str], declared: Source) -> tuple[str, Mapping[str, Any]]:
    """The header kind (e.g. ``border``) whose single-column fields are all present, and its spec."""
    present = set(columns)
    for kind, spec in declared.headers.items():
        needed = [v for v in spec.values() if isinstance(v, str)]
        if all(n in present for n in needed):
            return kind, spec
    kinds = "; ".join(f"{k}: {', '.join(v for v in s.values() if isinstance(v, str))}"
                      for k, s in declared.headers.items())
    raise UnknownHeader(f"the header matches no known {declared.title} layout (got: {', '.join(columns[:12])}"
                        f"{'…' if len(columns) > 12 else ''}); known layouts need {kinds}")
