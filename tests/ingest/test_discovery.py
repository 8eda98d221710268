"""Feed discovery on a real WordPress page, and probing candidates over loopback."""

from __future__ import annotations

import loopback_feeds as lf
import pytest
from loopback import Loopback, policy, run

from khabar.ingest.discovery import COMMON_PATHS, discover, discover_feeds, probe
from khabar.ingest.fetcher import Fetcher
from realdata import DATA

BEIRUT = (DATA / "html_pages_ar" / "beirutobserver.com__htmldate_1764731404.html").read_text(encoding="utf-8")
BEIRUT_URL = "https://www.beirutobserver.com/2020/11/2338761/"


def test_real_page_alternates_come_first_then_common_paths():
    found = discover_feeds(BEIRUT, BEIRUT_URL)
    assert found[:2] == ["https://www.beirutobserver.com/feed/", "https://www.beirutobserver.com/comments/feed/"]
    assert not any("oembed" in u for u in found)  # json+oembed / xml+oembed alternates are not feeds
    assert found[2:] == [f"https://www.beirutobserver.com{p}" for p in COMMON_PATHS if p != "/feed/"]


def test_relative_hrefs_base_and_types():
    page = """<html><head><base href="/ar/">
      <link rel="alternate" type="application/atom+xml" href="atom.xml#top">
      <link rel="Alternate Home" type="application/feed+json; charset=utf-8" href="https://cdn.example/f.json">
      <link rel="alternate" hreflang="en" href="/en/">
      <link rel="stylesheet" type="application/rss+xml" href="/not-alternate.xml">
      <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
    </head></html>"""
    found = discover_feeds(page, "http://news.example/ar/story/1")
    assert found[:2] == ["http://news.example/ar/atom.xml", "https://cdn.example/f.json"]
    assert "http://news.example/feed" in found and not any("not-alternate" in u or "javascript" in u for u in found)


@pytest.fixture(scope="module")
def site():
    """A look-alike of the real site: its page, its two feeds, a sitemap, and noise."""
    srv = Loopback()
    page = BEIRUT.replace("https://www.beirutobserver.com", srv.url("")).encode("utf-8")
    items = lf.ant_items(20)
    srv.routes = {
        "/robots.txt": lambda h: h.send(200, b"User-agent: *\nDisallow: /feed.json\n"),
        "/2020/11/2338761/": lambda h: h.send(200, page, "text/html; charset=UTF-8"),
        "/feed/": lambda h: h.send(200, lf.rss20(items), "application/rss+xml"),
        "/comments/feed/": lambda h: h.send(200, lf.atom(items[:3]), "application/atom+xml"),
        "/rss.xml": lambda h: h.send(301, b"", Location="/feed/"),  # same feed: reported once
        "/feed.xml": lambda h: h.send(200, lf.MALFORMED, "application/xml"),
        "/atom.xml": lambda h: h.send(200, lf.billion_laughs(), "application/xml"),
        "/feed.json": lambda h: h.send(200, lf.json_feed(items), "application/feed+json"),  # robots says no
        "/rss/": lambda h: h.send(500, b"boom"),
        "/sitemap.xml": lambda h: h.send(200, lf.sitemap(items), "application/xml"),
    }
    srv.thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def test_discover_from_a_page_probes_and_keeps_real_feeds(site):
    async def go():
        async with Fetcher(policy()) as f:
            return await discover(f, site.url("/2020/11/2338761/"))

    assert run(go()) == [site.url("/feed/"), site.url("/comments/feed/"), site.url("/sitemap.xml")]


def test_discover_on_a_feed_url_returns_it(site):
    async def go():
        async with Fetcher(policy()) as f:
            return await discover(f, site.url("/comments/feed/"))

    assert run(go()) == [site.url("/comments/feed/")]


def test_probe_skips_failures_quietly(site):
    candidates = [site.url(p) for p in ("/nope", "/feed.xml", "/atom.xml", "/feed.json", "/rss/", "/feed/")]

    async def go():
        async with Fetcher(policy()) as f:
            return await probe(f, candidates)

    assert run(go()) == [site.url("/feed/")]
