"""A document's text with claim spans highlighted; every text segment is escaped, never trusted."""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape

Span = tuple[int, int, str, str]  # start, end, claim id, status


def highlight(text: str, spans: Iterable[Span]) -> Markup:
    """``text`` as HTML with ``<mark>`` around each claim's span (overlaps split into segments)."""
    valid = sorted((max(0, a), min(len(text), b), cid, st) for a, b, cid, st in spans
                   if a is not None and b is not None and 0 <= a < b and a < len(text))
    cuts = sorted({0, len(text), *(a for a, _, _, _ in valid), *(b for _, b, _, _ in valid)})
    out: list[str] = []
    for lo, hi in zip(cuts, cuts[1:]):
        piece = escape(text[lo:hi])
        active = [(cid, st) for a, b, cid, st in valid if a <= lo and hi <= b]
        if not active:
            out.append(str(piece))
            continue
        cid, status = active[0]
        ids = " ".join(escape(c) for c, _ in active)
        out.append(f'<mark class="claim {escape(status)}" data-claims="{ids}">'
                   f'<a href="/claim/{escape(cid)}">{piece}</a></mark>')
    return Markup("".join(out))  # noqa: S704 - every segment above is escaped
