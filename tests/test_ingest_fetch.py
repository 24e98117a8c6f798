"""URL fetching against a real HTTP server on 127.0.0.1 (never the outside network)."""

from __future__ import annotations

import ipaddress
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survindex.ingest import IngestError, ingest_paths, iter_documents
from survindex.ingest.fetch import USER_AGENT, Fetcher, is_public
from survindex.store import open_store
from tests.fixtures.ingest.make import make_pdf
from tests.helpers import http_server

FIX = Path(__file__).parent / "fixtures" / "ingest"
ARTICLE = (FIX / "article.html").read_bytes()
PDF = make_pdf(["Megvii face recognition cameras are used by police in Beijing."], title="Megvii note")


def _feed(base: str) -> bytes:
    items = "".join(
        f"<item><title>{t}</title><link>{base}{p}</link><description>{d}</description></item>"
        for t, p, d in [("Nairobi", "/article.html", "Summary of the Nairobi cameras story."),
                        ("Secret", "/private/secret.html", "Summary kept because the page is disallowed.")])
    return (f"<?xml version='1.0'?><rss version='2.0'><channel><title>Local feed</title>{items}"
            "</channel></rss>").encode()


class Handler(BaseHTTPRequestHandler):
    hits: Counter[str] = Counter()
    agents: list[str] = []
    hosts: list[str] = []

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def _send(self, status: int, body: bytes, ctype: str = "text/plain", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k.replace("_", "-"), v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.hits[self.path] += 1
        self.agents.append(self.headers.get("User-Agent", ""))
        self.hosts.append(self.headers.get("Host", ""))
        base = f"http://127.0.0.1:{self.server.server_address[1]}"  # type: ignore[index]
        routes = {
            "/robots.txt": lambda: self._send(200, b"User-agent: *\nDisallow: /private/\n"),
            "/article.html": lambda: self._send(200, ARTICLE, "text/html; charset=utf-8"),
            "/story": lambda: self._send(200, ARTICLE, "text/html"),
            "/report": lambda: self._send(200, PDF, "application/pdf"),
            "/feed": lambda: self._send(200, _feed(base), "application/rss+xml"),
            "/private/secret.html": lambda: self._send(200, b"<p>secret</p>", "text/html"),
            "/to-private": lambda: self._send(302, b"", Location="/private/secret.html"),
            "/to-metadata": lambda: self._send(302, b"", Location="http://169.254.169.254/latest/meta-data/"),
            "/to-article": lambda: self._send(301, b"", Location="/article.html"),
            "/loop": lambda: self._send(302, b"", Location="/loop"),
            "/missing": lambda: self._send(404, b"not here"),
            "/declared-big": lambda: self._send(200, b"x" * 300_000, "text/plain"),
        }
        if self.path in routes:
            routes[self.path]()
        elif self.path == "/slow":
            time.sleep(2)
            self._send(200, b"late")
        elif self.path == "/flaky":
            if self.hits["/flaky"] == 1:
                self._send(503, b"busy", Retry_After="0")
            else:
                self._send(200, b"Dahua cameras reached Kampala after the retry.", "text/plain")
        elif self.path == "/limited":
            if self.hits["/limited"] == 1:
                self._send(429, b"slow down", Retry_After="1")
            else:
                self._send(200, b"Served after honouring Retry-After.", "text/plain")
        elif self.path == "/streamed-big":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            for _ in range(100):
                self.wfile.write(b"y" * 10_000)
        else:
            self._send(404, b"no route")


@pytest.fixture
def server() -> Iterator[str]:
    Handler.hits = Counter()
    Handler.agents = []
    Handler.hosts = []
    with http_server(Handler) as base:
        yield base


def fetcher(**kw: object) -> Fetcher:
    opts: dict[str, object] = {"allow_private": True, "rate": 0.0, "backoff": 0.01, "timeout": 5.0}
    opts.update(kw)
    return Fetcher(**opts)  # type: ignore[arg-type]


def test_html_and_pdf_are_routed_by_content_type(server: str) -> None:
    with fetcher() as f:
        docs = list(iter_documents([f"{server}/story", f"{server}/report"], fetcher=f))
    html, pdf = docs
    assert not isinstance(html, IngestError) and not isinstance(pdf, IngestError)
    assert "Huawei supplied some 1,800" in html.text and html.url == f"{server}/story"
    assert html.mime == "text/html" and pdf.mime == "application/pdf"
    assert "Megvii face recognition cameras" in pdf.text and pdf.url == f"{server}/report"
    assert Handler.hits["/robots.txt"] == 1  # fetched once per host
    assert set(Handler.agents) == {USER_AGENT}


def test_loopback_is_refused_without_allow_private(server: str) -> None:
    with Fetcher(rate=0.0) as f:
        with pytest.raises(IngestError) as info:
            f.get(f"{server}/article.html")
    assert "private or local address" in info.value.reason and "--allow-private" in info.value.reason
    assert sum(Handler.hits.values()) == 0  # refused before connecting


def test_redirect_hops_are_checked_against_the_guard(server: str) -> None:
    with fetcher(allow_private=False, allowed_networks=["127.0.0.1/32"]) as f:
        assert "Huawei" in f.get(f"{server}/to-article").data.decode()
        with pytest.raises(IngestError) as info:
            f.get(f"{server}/to-metadata")
    assert "169.254.169.254" in info.value.reason


def test_checked_address_is_pinned_and_host_header_kept(server: str) -> None:
    port = server.rsplit(":", 1)[1]
    with fetcher(allow_private=False, allowed_networks=["127.0.0.0/8", "::1/128"]) as f:
        resp = f.get(f"http://localhost:{port}/story")
    assert resp.url == f"http://localhost:{port}/story" and b"Huawei" in resp.data
    assert set(Handler.hosts) == {f"localhost:{port}"}


def test_robots_txt_disallows_also_after_a_redirect(server: str) -> None:
    with fetcher() as f:
        for path in ("/private/secret.html", "/to-private"):
            with pytest.raises(IngestError) as info:
                f.get(server + path)
            assert "robots.txt" in info.value.reason
    assert Handler.hits["/private/secret.html"] == 0


def test_redirect_loop_and_http_errors(server: str) -> None:
    with fetcher() as f:
        with pytest.raises(IngestError, match="more than 5 redirects"):
            f.get(f"{server}/loop")
        with pytest.raises(IngestError, match="HTTP 404"):
            f.get(f"{server}/missing")
    assert Handler.hits["/loop"] == 6


def test_timeout(server: str) -> None:
    with fetcher(timeout=0.5) as f:
        start = time.monotonic()
        with pytest.raises(IngestError, match="timed out"):
            f.get(f"{server}/slow")
    assert time.monotonic() - start < 1.9


def test_retry_after_503(server: str) -> None:
    with fetcher() as f:
        resp = f.get(f"{server}/flaky")
    assert resp.status == 200 and b"after the retry" in resp.data
    assert Handler.hits["/flaky"] == 2


def test_429_honours_retry_after(server: str) -> None:
    with fetcher() as f:
        start = time.monotonic()
        resp = f.get(f"{server}/limited")
    assert time.monotonic() - start >= 0.95  # waited the server's 1 s, not the 0.01 s back-off
    assert resp.data == b"Served after honouring Retry-After." and Handler.hits["/limited"] == 2


def test_retry_after_values() -> None:
    import email.utils

    from survindex.ingest.fetch import _retry_after

    assert _retry_after("7") == 7.0 and _retry_after(None) is None and _retry_after("soon") is None
    later = email.utils.formatdate(time.time() + 30, usegmt=True)
    wait = _retry_after(later)
    assert wait is not None and 25 <= wait <= 31


def test_size_cap_declared_and_streamed(server: str) -> None:
    with fetcher(max_bytes=100_000) as f:
        with pytest.raises(IngestError, match="over the limit"):
            f.get(f"{server}/declared-big")
        with pytest.raises(IngestError, match="over the limit"):
            f.get(f"{server}/streamed-big")


def test_connection_refused_is_retried_then_reported() -> None:
    with fetcher(retries=2) as f:
        start = time.monotonic()
        with pytest.raises(IngestError, match="cannot connect"):
            f.get("http://127.0.0.1:9/x")  # discard port: nothing listens
    assert time.monotonic() - start >= 0.03  # 0.01 + 0.02 of back-off


def test_per_host_rate_limit(server: str) -> None:
    with fetcher(rate=0.3) as f:
        start = time.monotonic()
        f.get(f"{server}/article.html")
        f.get(f"{server}/story")
    assert time.monotonic() - start >= 0.55  # robots.txt, then two pages, 0.3 s apart


def test_feed_with_follow_links_into_store(server: str, db_path: str) -> None:
    store = open_store(db_path)
    with fetcher() as f:
        report = ingest_paths(store, [f"{server}/feed"], follow_links=True, fetcher=f, progress=False)
    docs = {d.title: d for d in store.documents()}
    article = next(d for d in docs.values() if d.url == f"{server}/article.html")
    assert "Huawei supplied some 1,800" in article.text and "feed_entry" in article.meta
    assert docs["Secret"].text == "Summary kept because the page is disallowed."
    assert report.new == 2 and any("robots.txt" in reason for _src, reason in report.errors)
    assert any("robots.txt" in e["reason"] for e in store.errors())
    assert store.raw_bytes(article.id) == ARTICLE


def test_cli_refuses_local_server_then_allows_it(server: str, db_path: str) -> None:
    from click.testing import CliRunner

    from survindex.cli import cli

    runner = CliRunner()
    refused = runner.invoke(cli, ["ingest", f"{server}/story", "--db", db_path, "--rate", "0"])
    assert refused.exit_code == 1
    assert "Error: ingest: no document could be read" in refused.output
    assert "--allow-private" in refused.output
    ok = runner.invoke(cli, ["ingest", f"{server}/story", f"{server}/missing", "--db", db_path, "--rate", "0",
                             "--allow-private"])
    assert ok.exit_code == 0, ok.output
    assert "1 new stored" in ok.output and "HTTP 404" in ok.output


@pytest.mark.parametrize(("address", "public"), [
    ("8.8.8.8", True), ("2606:4700:4700::1111", True),
    ("127.0.0.1", False), ("10.1.2.3", False), ("172.16.0.1", False), ("192.168.1.1", False),
    ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False), ("224.0.0.1", False),
    ("240.0.0.1", False), ("255.255.255.255", False), ("::1", False), ("::", False), ("fe80::1", False),
    ("fc00::1", False), ("ff02::1", False), ("::ffff:127.0.0.1", False), ("::ffff:8.8.8.8", True),
    ("2002:7f00:0001::", False), ("2002:0808:0808::", True),
])
def test_address_guard(address: str, public: bool) -> None:
    assert is_public(ipaddress.ip_address(address)) is public


@settings(max_examples=80, deadline=None)
@given(url=st.one_of(
    st.text(max_size=60).filter(lambda u: not u.lower().startswith(("http://", "https://"))),
    st.builds(lambda host, rest: f"http://{host}/{rest}",
              st.sampled_from(["127.0.0.1", "[::1]", "0x7f.1", "2130706433", "[::ffff:127.0.0.1]", "10.0.0.1",
                               "169.254.169.254", "0.0.0.0", "[fe80::1%25eth0]", "localhost", "127.1", "[::]",
                               "user@127.0.0.1", "127.0.0.1:99999", "[zz::1]", "[::ffff:10.0.0.1]"]),
              st.text(max_size=20))))
def test_any_url_is_fetched_or_refused_with_a_named_error(url: str) -> None:
    with Fetcher(rate=0.0, retries=0, timeout=1.0) as f:
        with pytest.raises(IngestError):
            f.get(url)  # IP literals and localhost only: no DNS query leaves the machine
