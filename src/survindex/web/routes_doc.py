"""The route reference (``docs/web.md``): every route of the app, generated so it cannot drift."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI


def all_routes(routes: Any) -> list[Any]:
    """Every route, looking inside included routers."""
    out: list[Any] = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        out.extend(all_routes(inner.routes) if inner is not None else [route])
    return out


def routes_markdown(app: FastAPI) -> str:
    """A Markdown table of method, path and summary (the first docstring line)."""
    lines = ["# Web routes", "", "Generated from the app (`survindex.web.routes_doc`). Every page has a `.json` twin; "
             "the JSON API is described at `/api/openapi.json`.", "", "| Method | Path | What |", "|---|---|---|"]
    rows = set()
    for route in all_routes(app.routes):
        methods = sorted((getattr(route, "methods", None) or {"GET"}) - {"HEAD"})
        endpoint = getattr(route, "endpoint", None)
        doc = getattr(route, "summary", None) or ((endpoint.__doc__ or "").strip().splitlines() or [""])[0]
        if not doc and endpoint is not None:
            doc = endpoint.__name__.replace("_", " ")
        for m in methods:
            rows.add((route.path, m, doc))
    lines += [f"| {m} | `{p}` | {d} |" for p, m, d in sorted(rows)]
    return "\n".join(lines) + "\n"
