"""What the public sees: one policy for anonymous web visitors (pages, JSON, CSV) and the static site.

``SURVINDEX_PUBLIC=reviewed`` (the default) shows only accepted claims, the quotes that support them but not the
full ingested texts, and no reviewer's user name; ``open`` shows everything a signed-in viewer sees. Signed-in users
always see everything. The web app sets the policy of each request (``survindex.web.auth``); the views, filters and
exports ask ``current()``; ``survindex build`` applies ``public()``. Nothing else decides what is public.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Policy:
    name: str
    statuses: tuple[str, ...] | None  # claim statuses shown; None: all
    full_texts: bool  # whole ingested documents, or only the quotes claims cite
    reviewer_names: bool  # who reviewed what (audit log, claim history, corrections)


EVERYTHING = Policy("everything", None, True, True)
REVIEWED = Policy("reviewed", ("accepted",), False, False)
POLICIES = {"reviewed": REVIEWED, "open": Policy("open", None, True, True)}
WITHHELD = "[withheld]"

_current: ContextVar[Policy] = ContextVar("survindex_policy", default=EVERYTHING)


def public() -> Policy:
    """The policy for anonymous visitors and the static site, from SURVINDEX_PUBLIC (read on every web request:
    one variable, not every setting)."""
    return _public(os.environ.get("SURVINDEX_PUBLIC"))


@lru_cache(maxsize=8)
def _public(value: str | None) -> Policy:
    from survindex import settings

    return POLICIES[settings.load({"SURVINDEX_PUBLIC": value} if value is not None else {}).public]


def current() -> Policy:
    """The policy of the request being served (EVERYTHING outside the web app, e.g. in the CLI)."""
    return _current.get()


@contextmanager
def applied(policy: Policy) -> Iterator[None]:
    token = _current.set(policy)
    try:
        yield
    finally:
        _current.reset(token)


def set_for_request(policy: Policy) -> None:
    """Set the policy for the rest of the current context (one web request: each runs in its own context)."""
    _current.set(policy)


def statuses(requested: str | tuple[str, ...] | None) -> str | tuple[str, ...] | None:
    """The statuses a query may select: those requested (None: all) that the policy shows."""
    allowed = current().statuses
    if allowed is None:
        return requested
    if requested is None:
        return allowed if len(allowed) > 1 else allowed[0]
    wanted = (requested,) if isinstance(requested, str) else requested
    kept = tuple(s for s in wanted if s in allowed)
    if not kept:
        return ("__none__",)  # a status no claim has: an empty result, not an error that reveals more
    return kept[0] if len(kept) == 1 else kept


def visible(status: str | None) -> bool:
    allowed = current().statuses
    return allowed is None or status in allowed


def reviewer(name: str | None) -> str | None:
    """A reviewer's user name, or WITHHELD for the public ("cli" and system actors stay)."""
    if name is None or current().reviewer_names or name in ("cli", "system", "import"):
        return name
    return WITHHELD


def document_text(text: str, spans: Iterable[tuple[int | None, int | None]]) -> str:
    """The whole text, or for the public only the cited passages (in order, joined by " … ")."""
    if current().full_texts:
        return text
    parts = sorted({(a, b) for a, b in spans if a is not None and b is not None and 0 <= a < b <= len(text)})
    return " … ".join(text[a:b] for a, b in parts)
