"""A real HTTP server on 127.0.0.1 with one route per fetch outcome (import its fixtures).

Test modules do ``from loopback import loopback_server  # noqa: F401`` and
take ``server`` as a fixture. Feeds come from real ANT articles (loopback_feeds);
pages from ../shared/data/html_pages_ar. Big and slow bodies are generated
on the fly, never stored.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import threading
import time
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import loopback_feeds as lf
import pytest

from khabar.ingest.fetcher import FetchPolicy
from realdata import DATA

LEGACY = DATA / "html_pages_ar" / "legacy_encoding"
CP1256_PAGE = (LEGACY / "chardet__chromium_windows-1256_with_no_encoding_specified.html").read_bytes()
ISO6_PAGE = (LEGACY / "chardet__chromium_ISO-8859-6_with_no_encoding_specified.html").read_bytes()
UTF8_PAGE = (DATA / "html_pages_ar" / "youm7.com__magichtml_4571254b.html").read_bytes()
ROBOTS = b"User-agent: *\nDisallow: /private/\n"
MB = 1024 * 1024
Route = Callable[["Handler"], None]


class Handler(BaseHTTPRequestHandler):
    server: Loopback

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        path = urlsplit(self.path).path
        with self.server.lock:
            self.server.hits.append((path, dict(self.headers)))
        route = self.server.routes.get(path) or self.server.prefix_route(path)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up: expected
            (route or (lambda h: h.send(404, b"not found")))(self)

    def send(self, status: int, body: bytes = b"", ctype: str = "text/plain", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k.replace("_", "-"), v)
        self.end_headers()
        self.wfile.write(body)

    def query(self, name: str) -> str:
        return parse_qs(urlsplit(self.path).query).get(name, [""])[0]

    def log_message(self, *args: Any) -> None:
        pass


class Loopback(ThreadingHTTPServer):
    """The server; ``routes`` maps exact paths (or prefixes ending in '/') to handlers."""

    daemon_threads = True

    def __init__(self, robots: bytes | int = ROBOTS) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.lock = threading.Lock()
        self.hits: list[tuple[str, dict[str, str]]] = []
        self.counts: dict[str, int] = {}
        self.in_flight = self.max_in_flight = 0
        self.routes: dict[str, Route] = standard_routes(self)
        self.routes["/robots.txt"] = (
            (lambda h: h.send(robots, b"")) if isinstance(robots, int) else (lambda h: h.send(200, robots))
        )
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def prefix_route(self, path: str) -> Route | None:
        keys = [k for k in self.routes if k.endswith("/") and path.startswith(k)]
        return self.routes[max(keys, key=len)] if keys else None

    def count(self, key: str) -> int:
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + 1
            return self.counts[key]

    def paths(self) -> list[str]:
        return [p for p, _ in self.hits]


def _xml(body: bytes, ctype: str = "application/xml") -> Route:
    return lambda h: h.send(200, body, ctype)


def _trickle(h: Handler) -> None:
    """Headers at once, then one byte every 0.2 s (up to 10 s)."""
    h.send_response(200)
    h.send_header("Content-Type", "application/rss+xml")
    h.send_header("Content-Length", "50")
    h.end_headers()
    for _ in range(50):
        h.wfile.write(b" ")
        h.wfile.flush()
        time.sleep(0.2)


def _huge(chunked: bool) -> Route:
    """A generated 50 MB body, with or without a Content-Length."""

    def route(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/rss+xml")
        if not chunked:
            h.send_header("Content-Length", str(50 * MB))
        h.end_headers()
        block = b"<!-- " + b"x" * (64 * 1024 - 9) + b" -->"
        for _ in range(50 * MB // len(block)):
            h.wfile.write(block)

    return route


def _etag(feed: bytes) -> Route:
    stamp = "Sun, 18 Feb 2018 21:35:43 GMT"

    def route(h: Handler) -> None:
        if h.headers.get("If-None-Match") == '"v1"' or h.headers.get("If-Modified-Since") == stamp:
            h.send_response(304)
            h.send_header("ETag", '"v1"')
            h.end_headers()
        else:
            h.send(200, feed, "application/rss+xml", ETag='"v1"', Last_Modified=stamp)

    return route


def _retry(status: int, after: Callable[[], str], failures: int = 1) -> Route:
    """``status`` with Retry-After for the first ``failures`` hits of each path, then a feed."""

    def route(h: Handler) -> None:
        if h.server.count(h.path) <= failures:
            h.send(status, b"busy", **({"Retry_After": after()} if after() else {}))
        else:
            h.send(200, lf.rss20(lf.ant_items(3)), "application/rss+xml")

    return route


def _concurrent(h: Handler) -> None:
    """Sleeps 0.15 s while counting how many requests are in flight at once."""
    srv = h.server
    with srv.lock:
        srv.in_flight += 1
        srv.max_in_flight = max(srv.max_in_flight, srv.in_flight)
    time.sleep(0.15)
    with srv.lock:
        srv.in_flight -= 1
    h.send(200, b"ok")


def _redirect(status: int = 302) -> Route:
    def route(h: Handler) -> None:
        path = urlsplit(h.path).path
        if path.startswith("/chain/"):
            n = int(path.rsplit("/", 1)[1])
            target = f"/chain/{n - 1}" if n > 0 else "/feeds/rss.xml"
        elif path.startswith("/loop/"):
            target = "/loop/b" if path.endswith("/a") else "/loop/a"
        else:
            target = h.query("to")
        h.send(status, b"", Location=target)

    return route


def standard_routes(srv: Loopback) -> dict[str, Route]:
    """Feeds in every format from 20 real ANT articles, then the failure routes."""
    items = lf.ant_items(20)
    rss = lf.rss20(items)
    bomb = gzip.compress(b"\0" * 20 * MB, compresslevel=1)  # ~90 KB on the wire, 20 MB decoded
    return {
        "/feeds/rss.xml": _xml(rss, "application/rss+xml; charset=utf-8"),
        "/feeds/atom.xml": _xml(lf.atom(items), "application/atom+xml"),
        "/feeds/rdf.xml": _xml(lf.rdf(items), "application/rdf+xml"),
        "/feeds/feed.json": _xml(lf.json_feed(items), "application/feed+json"),
        "/feeds/sitemap.xml": _xml(lf.sitemap(items)),
        "/feeds/news-sitemap.xml": _xml(lf.sitemap(items, news=True)),
        "/feeds/sitemap-index.xml": _xml(
            lf.sitemap_index([srv.url("/feeds/sitemap.xml"), srv.url("/feeds/news-sitemap.xml")])
        ),
        "/feeds/malformed.xml": _xml(lf.MALFORMED),
        "/feeds/bomb.xml": _xml(lf.billion_laughs()),
        "/gzip/rss.xml": lambda h: h.send(200, gzip.compress(rss), "application/rss+xml", Content_Encoding="gzip"),
        "/gzip/bomb": lambda h: h.send(200, bomb, "text/plain", Content_Encoding="gzip"),
        "/etag/rss.xml": _etag(rss),
        **failure_routes(),
    }


def failure_routes() -> dict[str, Route]:
    """One route per way a fetch can go wrong (or be refused), plus retry and concurrency probes."""
    http_date = lambda: format_datetime(datetime.now(UTC) + timedelta(seconds=1), usegmt=True)  # noqa: E731
    return {
        "/status/404": lambda h: h.send(404, b"gone"),
        "/status/500": lambda h: h.send(500, b"boom"),
        "/slow": lambda h: (time.sleep(3), h.send(200, b"late")),
        "/trickle": _trickle,
        "/huge": _huge(chunked=False),
        "/huge-chunked": _huge(chunked=True),
        "/legacy/1256-declared-utf8": lambda h: h.send(200, CP1256_PAGE, "text/html; charset=utf-8"),
        "/legacy/1256": lambda h: h.send(200, CP1256_PAGE, "text/html"),
        "/legacy/8859-6": lambda h: h.send(200, ISO6_PAGE, "text/html"),
        "/legacy/utf8-declared-1256": lambda h: h.send(200, UTF8_PAGE, "text/html; charset=windows-1256"),
        "/chain/": _redirect(),
        "/loop/": _redirect(301),
        "/redirect": _redirect(),
        "/private/": lambda h: h.send(200, b"secret"),
        "/retry/429/": _retry(429, lambda: "1"),
        "/retry/503-date/": _retry(503, http_date),
        "/retry/503-backoff/": _retry(503, lambda: "", failures=2),
        "/retry/429-long": _retry(429, lambda: "3600", failures=10**6),
        "/concurrent/": _concurrent,
    }


@pytest.fixture(scope="module", name="server")
def loopback_server() -> Any:
    """A started :class:`Loopback` (robots.txt disallows /private/)."""
    srv = Loopback()
    srv.thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def policy(**overrides: Any) -> FetchPolicy:
    """A fast test policy that allows 127.0.0.1 only."""
    base: dict[str, Any] = dict(
        user_agent="KhabarTest/1.0",
        connect_timeout=5.0,  # loopback connects at once; a loaded machine must not fail the tests
        read_timeout=0.5,
        total_timeout=3.0,
        per_host_interval=0.0,
        per_host_concurrency=4,
        retries=2,
        backoff_base=0.01,
        robots_ttl=60.0,
        allowed_hosts=frozenset({"127.0.0.1"}),
    )
    return FetchPolicy(**{**base, **overrides})


def run(coro: Coroutine[Any, Any, Any]) -> Any:
    """Run a coroutine to completion (tests are plain functions; no async plugin needed)."""
    return asyncio.run(coro)
