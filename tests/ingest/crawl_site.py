"""A loopback web of 50 feeds for the crawl tests, built at test time from REAL ANT articles.

39 good feeds (RSS, Atom, JSON Feed, RDF and news sitemaps in turn; every other
one answers conditional GETs with 304) of 5 articles each, whose pages are HTML
made from the real article text; one feed and its pages lying about their
charset (UTF-8 declared windows-1256), which must still be read correctly; and
10 feeds broken in every other way the crawl must survive.
"""

from __future__ import annotations

import html
import sqlite3
import subprocess
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path

import loopback_feeds as lf
from loopback import Handler, Loopback, Route

from cli_run import khabar as run_khabar
from khabar.arabic.normalize import normalize_display
from realdata import ANT, iter_jsonl

GOOD_FEEDS = 39
PER_FEED = 5
BUILDERS = (lf.rss20, lf.atom, lf.json_feed, lf.rdf, lambda items: lf.sitemap(items, news=True))
LIE = "windows-1256"
CLI_ENV = {  # small caps so the broken feeds fail fast; no per-host pause. Connect and total timeouts
    # leave room for a loaded machine: a loopback SYN it drops is retried after 1 s (a CI run once failed two
    # good pages on a 1 s connect timeout), and /trickle (10 s) still times out.
    "KHABAR_FETCH_CONNECT_TIMEOUT": "4",
    "KHABAR_FETCH_READ_TIMEOUT": "0.5",
    "KHABAR_FETCH_TOTAL_TIMEOUT": "3",
    "KHABAR_FETCH_MAX_BYTES": str(2 * 1024 * 1024),
    "KHABAR_FETCH_PER_HOST_INTERVAL": "0.005",
    "KHABAR_FETCH_PER_HOST_CONCURRENCY": "4",
    "KHABAR_FETCH_BACKOFF_BASE": "0.01",
}
# Broken feed path -> what its recorded error must say.
BROKEN = {
    "/status/404": "HTTP 404",
    "/status/500": "HTTP 500",
    "/slow": "FetchTimeout",
    "/trickle": "FetchTimeout",
    "/huge-chunked": "BodyTooLarge",
    "/feeds/malformed.xml": "FeedError",
    "/feeds/bomb.xml": "entity-expansion",
    "/loop/a": "TooManyRedirects",
    "/private/feed.xml": "RobotsDisallowed",
    "/retry/429-long": "HTTP 429",
}


@dataclass(frozen=True)
class Page:
    """One real article as served at ``url``."""

    url: str
    title: str
    paragraphs: tuple[str, ...]
    item: lf.Item

    @property
    def expected_title(self) -> str:
        """The title as the store keeps it (display-normalized)."""
        return normalize_display(self.title).strip()


def real_records(n: int) -> list[dict]:
    """``n`` ANT records with distinct URLs and titles, a date and a body of several paragraphs."""
    out, seen = [], set()
    for r in iter_jsonl(ANT):
        paragraphs = [p for p in (r.get("text") or "").split("\n") if p.strip()]
        key = (r.get("url"), (r.get("title") or "").strip())
        if len(paragraphs) >= 3 and r.get("time") and key[1] and not seen & {key[0], key[1]}:
            seen.update(key)
            out.append(r)
            if len(out) == n:
                return out
    raise AssertionError("not enough real articles in the ANT corpus")


def page_html(page: Page) -> bytes:
    """A plain news page: title in <title>, og:title and <h1>, the text in <article><p>."""
    t = html.escape(page.title)
    body = "".join(f"<p>{html.escape(p)}</p>" for p in page.paragraphs)
    when = page.item.published.isoformat()
    return (
        '<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">'
        f'<title>{t}</title><meta property="og:title" content="{t}">'
        f'<meta property="article:published_time" content="{when}"></head>'
        f"<body><header><nav><a href='/'>الرئيسية</a></nav></header>"
        f"<main><h1>{t}</h1><article>{body}</article></main></body></html>"
    ).encode()


def _send(body: bytes, ctype: str) -> Route:
    return lambda h: h.send(200, body, ctype)


def _conditional(body: bytes, ctype: str, etag: str) -> Route:
    def route(h: Handler) -> None:
        if h.headers.get("If-None-Match") == etag:
            h.send_response(304)
            h.send_header("ETag", etag)
            h.end_headers()
        else:
            h.send(200, body, ctype, ETag=etag)

    return route


class CrawlLoopback(Loopback):
    """The loopback server with a real listen backlog: socketserver's default of 5 drops SYNs
    when a crawl opens connections in bursts, and a dropped SYN is only retried after 1 s."""

    request_queue_size = 128


class CrawlSite:
    """Routes added to a :class:`Loopback`; ``pages`` maps every good article URL to its Page."""

    def __init__(self, srv: Loopback) -> None:
        self.srv = srv
        records = real_records((GOOD_FEEDS + 1) * PER_FEED)
        self.pages: dict[str, Page] = {}
        self.good: dict[str, list[Page]] = {}
        for n in range(GOOD_FEEDS + 1):
            name = "charset" if n == GOOD_FEEDS else str(n)
            chunk = records[n * PER_FEED : (n + 1) * PER_FEED]
            self._add_feed(name, n, [self._add_page(name, k, r, lie=name == "charset") for k, r in enumerate(chunk)])
        self.broken = {srv.url(path): token for path, token in BROKEN.items()}
        self.charset_feed = srv.url("/site/charset/feed.xml")
        srv.routes["/site/home.html"] = _send(self._home(), "text/html; charset=utf-8")

    @property
    def feeds(self) -> list[str]:
        """All 50 feed URLs."""
        return [*self.good, *self.broken]

    def _add_page(self, site: str, k: int, record: dict, lie: bool) -> Page:
        path = f"/site/{site}/a/{k}.html"
        url = self.srv.url(path)
        paragraphs = tuple(p.strip() for p in record["text"].split("\n") if p.strip())
        when = parsedate_to_datetime(record["time"])
        item = lf.Item(url, record["title"].strip(), when, (record.get("author") or "").strip(), paragraphs[0][:300])
        page = Page(url, item.title, paragraphs, item)
        self.srv.routes[path] = _send(page_html(page), f"text/html; charset={LIE if lie else 'utf-8'}")
        self.pages[url] = page
        return page

    def _add_feed(self, site: str, n: int, pages: list[Page]) -> None:
        path = f"/site/{site}/feed.xml"
        body = BUILDERS[n % len(BUILDERS)]([p.item for p in pages])
        if site == "charset":  # UTF-8 bytes declared windows-1256 in the header and the XML declaration
            body = lf.rss20([p.item for p in pages]).replace(b"encoding='utf-8'", f"encoding='{LIE}'".encode())
            self.srv.routes[path] = _send(body, f"application/rss+xml; charset={LIE}")
        elif n % 2:
            self.srv.routes[path] = _conditional(body, "application/xml", f'"feed-{n}"')
        else:
            self.srv.routes[path] = _send(body, "application/xml")
        self.good[self.srv.url(path)] = pages

    def _home(self) -> bytes:
        """An outlet's home page declaring feed 0 (for ``khabar source add``)."""
        return (
            '<html><head><link rel="alternate" type="application/rss+xml" href="/site/0/feed.xml">'
            "</head><body><h1>خبر</h1></body></html>"
        ).encode()


def khabar(db: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the ``khabar`` CLI on ``db`` with the fast test fetch settings (``env`` adds to them)."""
    return run_khabar(db, *args, env={**CLI_ENV, **(env or {})})


def summary_line(out: str) -> dict[str, int]:
    """The ``key: value, …`` line ``khabar crawl`` ends with."""
    last = out.strip().splitlines()[-1]
    return {k: int(v) for k, v in (part.split(": ") for part in last.split(", "))}


def article_count(db: Path) -> int:
    """Committed articles as another process sees them (0 before the schema exists)."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:
        return 0
