"""Fetching URLs politely and safely: timeouts, retries with back-off, a per-host rate limit, robots.txt,
a size cap, and a guard against private, loopback and link-local addresses on every redirect hop."""

from __future__ import annotations

import email.utils
import ipaddress
import socket
import time
import urllib.robotparser
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpx

from survindex import __version__
from survindex.ingest.errors import IngestError

USER_AGENT = f"survindex/{__version__} (+https://github.com/survindex)"
MAX_BYTES = 20 * 1024 * 1024
MAX_REDIRECTS = 5
ROBOTS_MAX_BYTES = 512 * 1024
_REDIRECTS = (301, 302, 303, 307, 308)
_RETRY_STATUS = {429, 500, 502, 503, 504}
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Response:
    url: str  # the final URL, after redirects
    status: int
    content_type: str | None
    data: bytes
    location: str | None = None


def is_public(ip: IPAddress) -> bool:
    """False for private, loopback, link-local, multicast, reserved, unspecified and shared addresses
    (IPv4-mapped, 6to4 and Teredo IPv6 addresses are judged by the IPv4 address inside)."""
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if inner is not None:
            return is_public(inner)
    bad = (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved
           or ip.is_unspecified)
    return not bad and ip.is_global


def resolve(host: str, port: int) -> list[IPAddress]:
    """All addresses a host name resolves to."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise IngestError(host, f"cannot resolve the host name ({exc})") from None
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


def check_url(url: str, allow_private: bool,
              allowed: Sequence[IPNetwork] = ()) -> tuple[str, str, int, str | None]:
    """Scheme, host, port and the address to connect to, for an http(s) URL whose host resolves only to
    public addresses (or to addresses inside the explicitly ``allowed`` networks). The address is pinned
    for the request so a second DNS answer cannot swap in a private one; None when private is allowed."""
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
    except ValueError as exc:
        raise IngestError(url, f"not a valid URL ({exc})") from None
    if parts.scheme not in ("http", "https") or not hostname:
        raise IngestError(url, "only http:// and https:// URLs with a host name can be fetched")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise IngestError(url, "the port is not a number between 0 and 65535") from None
    if allow_private:
        return parts.scheme, hostname, port, None
    addresses = sorted(set(resolve(hostname, port)), key=lambda ip: ip.version)
    blocked = [ip for ip in addresses if not is_public(ip) and not any(ip in net for net in allowed)]
    if blocked or not addresses:
        where = blocked[0] if blocked else "no address"
        raise IngestError(url, f"refusing to fetch from a private or local address ({where}); "
                               "pass --allow-private to allow it")
    return parts.scheme, hostname, port, str(addresses[0])


def _pinned(url: str, address: str | None) -> tuple[str, dict[str, str], dict[str, str]]:
    """The URL to connect to (host replaced by the checked address), its Host header and TLS SNI name."""
    if address is None:
        return url, {}, {}
    parts = urlsplit(url)
    ip = f"[{address}]" if ":" in address else address
    netloc = ip + (f":{parts.port}" if parts.port else "")
    host_header = parts.netloc.rsplit("@", 1)[-1]
    return (parts._replace(netloc=netloc).geturl(), {"Host": host_header},
            {"sni_hostname": parts.hostname or ""})


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class Fetcher:
    """One HTTP client for a run: per-host politeness state and a robots.txt cache."""

    def __init__(self, *, allow_private: bool = False, max_bytes: int = MAX_BYTES, rate: float = 1.0,
                 timeout: float = 20.0, retries: int = 3, backoff: float = 0.5, max_wait: float | None = None,
                 user_agent: str = USER_AGENT, allowed_networks: Sequence[str] = (),
                 total_seconds: float | None = None) -> None:
        """``allowed_networks`` (CIDR strings) are exempt from the private-address guard, e.g. an intranet
        mirror, while everything else private stays refused. ``total_seconds`` (SURVINDEX_FETCH_SECONDS) bounds
        one URL, redirects, retries and every byte included; ``max_wait`` (SURVINDEX_RETRY_AFTER_MAX) the wait a
        ``Retry-After`` may impose: a longer one ends the retries."""
        from survindex import settings

        conf = settings.load()
        self.total_seconds = conf.fetch_seconds if total_seconds is None else total_seconds
        self.timeout = timeout
        self._deadline = float("inf")
        self.allow_private = allow_private
        self.allowed = [ipaddress.ip_network(n, strict=False) for n in allowed_networks]
        self.max_bytes = max_bytes
        self.rate = rate
        self.retries = retries
        self.backoff = backoff
        self.max_wait = conf.retry_after_max if max_wait is None else max_wait
        self.user_agent = user_agent
        self.client = httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False,
                                   headers={"User-Agent": user_agent})
        self._last: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()

    def get(self, url: str) -> Response:
        """GET a URL, following up to 5 redirects, each hop checked against the guard and robots.txt, all within
        the total deadline."""
        self._deadline = time.monotonic() + self.total_seconds if self.total_seconds > 0 else float("inf")
        try:
            resp = self._follow(url, robots=True, max_bytes=self.max_bytes)
        finally:
            self._deadline = float("inf")
        if resp.status >= 400:
            raise IngestError(url, f"the server answered HTTP {resp.status}")
        return resp

    def _left(self, url: str) -> float:
        """Seconds left before the deadline of the URL being fetched; IngestError when none are."""
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise IngestError(url, f"the download took longer than {self.total_seconds:g} s "
                                   "(SURVINDEX_FETCH_SECONDS)")
        return left

    def _follow(self, url: str, robots: bool, max_bytes: int) -> Response:
        first = url
        for _hop in range(MAX_REDIRECTS + 1):
            scheme, host, port, address = check_url(url, self.allow_private, self.allowed)
            if robots and not self._robots_allow(url, f"{scheme}://{host}:{port}"):
                raise IngestError(url, f"robots.txt of {host} disallows fetching it for {self.user_agent}")
            resp = self._request(url, max_bytes, address)
            if resp.status not in _REDIRECTS:
                return resp
            if not resp.location:
                raise IngestError(url, f"HTTP {resp.status} redirect without a Location header")
            url = urljoin(url, resp.location)
        raise IngestError(first, f"more than {MAX_REDIRECTS} redirects")

    def _robots_allow(self, url: str, origin: str) -> bool:
        parser = self._robots.get(origin)
        if parser is None:
            parser = self._load_robots(origin)
            self._robots[origin] = parser
        return parser.can_fetch(self.user_agent, url)

    def _load_robots(self, origin: str) -> urllib.robotparser.RobotFileParser:
        """robots.txt as RFC 9309 reads it: 4xx allows everything, 5xx disallows everything."""
        parser = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
        resp = self._follow(origin + "/robots.txt", robots=False, max_bytes=ROBOTS_MAX_BYTES)
        if resp.status >= 500:
            setattr(parser, "disallow_all", True)  # noqa: B010 - RobotFileParser's own flags
        elif resp.status >= 400:
            setattr(parser, "allow_all", True)  # noqa: B010
        else:
            parser.parse(resp.data.decode("utf-8", "replace").splitlines())
        return parser

    def _pause(self, host: str) -> None:
        wait = self._last.get(host, -1e9) + self.rate - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last[host] = time.monotonic()

    def _request(self, url: str, max_bytes: int, address: str | None) -> Response:
        """One GET with retries on connection errors, 429 and 5xx (honouring Retry-After)."""
        host = urlsplit(url).netloc
        for attempt in range(self.retries + 1):
            self._pause(host)
            try:
                resp = self._once(url, max_bytes, address)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                if attempt == self.retries:
                    raise IngestError(url, f"cannot connect ({exc or type(exc).__name__})") from None
                time.sleep(min(self.backoff * 2 ** attempt, self.max_wait, self._left(url)))
                continue
            if resp[0].status not in _RETRY_STATUS or attempt == self.retries:
                return resp[0]
            delay = resp[1] if resp[1] is not None else self.backoff * 2 ** attempt
            if delay > self.max_wait or delay >= self._left(url):
                return resp[0]  # a wait longer than allowed is not waited: the status stands
            time.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _once(self, url: str, max_bytes: int, address: str | None) -> tuple[Response, float | None]:
        target, headers, extensions = _pinned(url, address)
        timeout = min(self.timeout, self._left(url))
        try:
            with self.client.stream("GET", target, headers=headers, extensions=extensions, timeout=timeout) as r:
                ctype = r.headers.get("content-type")
                if r.status_code in _REDIRECTS or r.status_code in _RETRY_STATUS:
                    return (Response(url, r.status_code, ctype, b"", r.headers.get("location")),
                            _retry_after(r.headers.get("retry-after")))
                return Response(url, r.status_code, ctype, _read_capped(r, url, max_bytes, self._left)), None
        except (httpx.ConnectError, httpx.ConnectTimeout):
            raise
        except httpx.TimeoutException:
            raise IngestError(url, "timed out waiting for the server") from None
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise IngestError(url, f"HTTP failure ({type(exc).__name__}: {str(exc)[:200]})") from None


def _read_capped(r: httpx.Response, url: str, max_bytes: int, left: Callable[[str], float]) -> bytes:
    """The body, streamed, aborting as soon as it is larger than ``max_bytes`` or the deadline has passed
    (checked at every chunk, so a server sending a byte at a time cannot reset it)."""
    declared = r.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise IngestError(url, f"the response is {int(declared)} bytes, over the limit of {max_bytes} "
                               "(raise it with --max-bytes)")
    chunks: list[bytes] = []
    size = 0
    for chunk in r.iter_bytes():
        size += len(chunk)
        left(url)
        if size > max_bytes:
            raise IngestError(url, f"the response is over the limit of {max_bytes} bytes "
                                   "(raise it with --max-bytes)")
        chunks.append(chunk)
    return b"".join(chunks)
