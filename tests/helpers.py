"""Helpers shared by several test modules: a real HTTP server on 127.0.0.1 and the Debian chromium settings."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@contextmanager
def http_server(handler: Callable[..., BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve ``handler`` on a free port of 127.0.0.1 in a thread; yields the base URL, stops the server after."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def launch_chromium(playwright: Any) -> Any:
    """Headless Debian chromium through a started Playwright (never a downloaded browser)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@contextmanager
def survindex_serve(db: str, secret: str = "browser-secret", tries: int = 150) -> Iterator[str]:
    """Run ``survindex serve`` on a free port of 127.0.0.1 for ``db``; yields the base URL once it answers, stops
    the server after (fails the test with the server's error output if it never answers)."""
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    import pytest

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    exe = Path(sys.executable).parent / "survindex"
    proc = subprocess.Popen([str(exe), "serve", "--db", db, "--port", str(port)],
                            env={**os.environ, "SURVINDEX_SECRET": secret},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(tries):
            try:
                urllib.request.urlopen(base + "/api/stats", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            proc.kill()
            pytest.fail("the server did not start: " + (proc.stderr.read() if proc.stderr else b"").decode()[-2000:])
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)
