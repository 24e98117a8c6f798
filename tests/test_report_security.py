"""Untrusted URLs never become links in the static report."""

from __future__ import annotations

from survindex.report.site import http_url


def test_only_http_urls_become_links() -> None:
    assert http_url("https://example.org/a") == "https://example.org/a"
    assert http_url(" HTTP://x.org ") == "HTTP://x.org"
    for bad in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>", "//evil", "", None, 3):
        assert http_url(bad) is None
