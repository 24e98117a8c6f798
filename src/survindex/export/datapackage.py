"""``datapackage.json``: a Frictionless Data Package describing every exported file."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from survindex.export.schema import Schema

LICENCE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
           "title": "Creative Commons Attribution 4.0"}


@dataclass(frozen=True)
class Resource:
    path: Path
    schema: Schema
    format: str
    mediatype: str


def _describe(r: Resource, root: Path) -> dict[str, Any]:
    digest, size = hashlib.sha256(), 0
    with open(r.path, "rb") as f:  # in blocks: a download can be larger than memory should hold
        while block := f.read(1 << 20):
            digest.update(block)
            size += len(block)
    return {
        "name": f"{r.schema.name}-{r.format}",
        "path": r.path.relative_to(root).as_posix(),
        "profile": "tabular-data-resource" if r.format == "csv" else "data-resource",
        "title": f"{r.schema.title} ({r.format.upper()})",
        "description": r.schema.description,
        "format": r.format,
        "mediatype": r.mediatype,
        "encoding": "utf-8" if r.format in ("csv", "json", "geojson") else None,
        "bytes": size,
        "hash": "sha256:" + digest.hexdigest(),
        "schema": r.schema.to_dict(),
    }


def write(path: Path, resources: Sequence[Resource], *, title: str, sources: Sequence[dict[str, str]],
          created: str | None = None, description: str = "") -> Path:
    """Write the descriptor for ``resources`` (paths relative to ``path``'s folder)."""
    root = path.parent
    with ThreadPoolExecutor(2) as pool:  # hashing lets go of the GIL: two files at once (1.5 GB at 1M claims)
        described = list(pool.map(lambda r: _describe(r, root), resources))
    package = {
        "profile": "data-package",
        "name": "survindex",
        "title": title,
        "description": description,
        "licenses": [LICENCE],
        "sources": list(sources),
        "created": created,
        "resources": [{k: v for k, v in d.items() if v is not None} for d in described],
    }
    path.write_text(json.dumps({k: v for k, v in package.items() if v is not None}, indent=2,
                               ensure_ascii=False) + "\n", encoding="utf-8")
    return path
