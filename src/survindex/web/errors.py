"""One error shape for every JSON response: ``{"ok": false, "error", "errors", "status"}``; HTML pages
get the same message in a page."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from survindex.store import ConflictError, NotFound


class WebError(Exception):
    """An error with an HTTP status, a message and optional details."""

    def __init__(self, status: int, error: str, errors: list[Any] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(error)
        self.status = status
        self.error = error
        self.errors = errors or []
        self.headers = headers or {}


def wants_json(request: Request) -> bool:
    path = request.url.path
    if path.startswith("/api/") or path.endswith(".json") or path.endswith(".csv"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def error_body(status: int, error: str, errors: list[Any] | None = None) -> dict[str, Any]:
    return {"ok": False, "error": error, "errors": errors or [], "status": status}


def _clean_validation(errors: list[Any]) -> list[dict[str, Any]]:
    """Validation details without echoing the submitted input back."""
    return [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
            for e in errors]


def respond_error(request: Request, exc: WebError) -> Response:
    from survindex.web.render import json_response, render_html

    body = error_body(exc.status, exc.error, exc.errors)
    if wants_json(request):
        resp = json_response(body, status=exc.status)
    else:
        template = "conflict.html" if exc.status == 409 else "error.html"
        resp = render_html(request, template, {**body, "title": f"Error {exc.status}"}, status=exc.status)
    for k, v in exc.headers.items():
        resp.headers[k] = v
    return resp


async def _web_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, WebError)
    return respond_error(request, exc)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    return respond_error(request, WebError(exc.status_code, str(exc.detail), headers=dict(exc.headers or {})))


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    return respond_error(request, WebError(400, "invalid request", _clean_validation(list(exc.errors()))))


async def _not_found(request: Request, exc: Exception) -> Response:
    return respond_error(request, WebError(404, str(exc)))


async def _conflict(request: Request, exc: Exception) -> Response:
    return respond_error(request, WebError(409, str(exc)))


HANDLERS = {
    WebError: _web_error,
    StarletteHTTPException: _http_error,
    RequestValidationError: _validation_error,
    NotFound: _not_found,
    ConflictError: _conflict,
}
