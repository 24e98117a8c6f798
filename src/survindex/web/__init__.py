"""HTTP: pages, their ``.json`` twins and the JSON API over the library (FastAPI + Jinja2)."""

from survindex.web.app import create_app

__all__ = ["create_app"]
