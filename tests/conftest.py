"""Shared fixtures: real SQLite files in tmp_path, PostgreSQL when SURVINDEX_TEST_PG_URL is set,
and the real datasets in ../shared (tests that need them skip with a clear message when it is absent)."""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import CHROMIUM, launch_chromium

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SURVINDEX_SHARED", ROOT.parent / "shared"))
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "data").is_dir():
        pytest.skip(f"../shared is absent ({SHARED}): the real-data tests need it beside the checkout")
    return SHARED


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    return str(tmp_path / "survindex.db")


@pytest.fixture(scope="session")
def pg_url() -> str:
    url = os.environ.get("SURVINDEX_TEST_PG_URL")
    if not url:
        pytest.skip("SURVINDEX_TEST_PG_URL is not set (make test starts PostgreSQL and sets it)")
    return url


def _fresh_pg_schema(url: str) -> Iterator[str]:
    """A private schema per test in the test database, dropped afterwards."""
    import sqlalchemy as sa

    from survindex.store.core import database_url

    name = "t_" + uuid.uuid4().hex[:12]
    eng = sa.create_engine(database_url(url))
    with eng.begin() as c:
        c.execute(sa.text(f'CREATE SCHEMA "{name}"'))
    sep = "&" if "?" in url else "?"
    yield f"{url}{sep}options=-csearch_path%3D{name}"
    for thread in threading.enumerate():  # a web app's background read of the claims' columns ends first
        if thread.name == "survindex-columns":
            thread.join(60)
    with eng.begin() as c:
        c.execute(sa.text(f'DROP SCHEMA "{name}" CASCADE'))
    eng.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database URL or path: a SQLite file, then (when available) a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield str(tmp_path / "survindex.db")
    else:
        yield from _fresh_pg_schema(request.getfixturevalue("pg_url"))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Debian chromium via Playwright, one per test module (skips when chromium is not installed)."""
    if not shutil.which(CHROMIUM):
        pytest.skip("Debian chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


# Modules written before the public policy (issue 11) read unreviewed claims and full texts as anonymous visitors:
# they run with SURVINDEX_PUBLIC=open. The default policy ("reviewed") is tested in tests/test_harden_web.py.
OPEN_POLICY_MODULES = {"test_web", "test_api", "test_web_review", "test_security", "test_api_fuzz",
                       "test_security_xss", "test_web_highlight", "test_browser_web", "test_review_cases", "test_build",
                       "test_report_browser", "test_pipeline", "test_web_cases", "test_export_stream",
                       "test_web_cache"}


@pytest.fixture(autouse=True, scope="module")
def _open_public_policy(request: pytest.FixtureRequest) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:  # module scope: module-wide fixtures (a built site) see it too
        if request.module.__name__.rsplit(".", 1)[-1] in OPEN_POLICY_MODULES:
            mp.setenv("SURVINDEX_PUBLIC", "open")
        yield
