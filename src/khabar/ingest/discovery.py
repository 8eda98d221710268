"""Find a site's feeds: ``<link rel="alternate">`` first, then the usual paths.

:func:`discover_feeds` only lists candidates (no network); :func:`probe` fetches
them and keeps those that parse as feeds; :func:`discover` does both for a URL
that may itself be a feed (what ``khabar source add URL`` needs).
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from khabar.ingest.feeds import FeedError, parse_feed
from khabar.ingest.fetcher import Fetcher, FetchError

FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/feed+json",
        "application/json",  # JSON Feed 1.0 pages often declare plain JSON
        "text/xml",
        "application/xml",
    }
)
# Where CMSs put feeds and sitemaps (WordPress, Blogger, Ghost, Hugo, Drupal, news sitemaps).
COMMON_PATHS = (
    "/feed",
    "/feed/",
    "/rss",
    "/rss.xml",
    "/feed.xml",
    "/atom.xml",
    "/index.xml",
    "/feed.json",
    "/rss/",
    "/?feed=rss2",
    "/feeds/posts/default",
    "/news-sitemap.xml",
    "/sitemap_news.xml",
    "/sitemap.xml",
    "/sitemap_index.xml",
)


class _LinkCollector(HTMLParser):
    """Collects ``<base href>`` and feed-typed ``<link rel=alternate>`` hrefs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base: str | None = None
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "").strip() for k, v in attrs}
        if tag == "base" and a.get("href") and self.base is None:
            self.base = a["href"]
        elif tag == "link" and a.get("href"):
            rels = a.get("rel", "").lower().split()
            kind = a.get("type", "").lower().split(";")[0].strip()
            if "alternate" in rels and kind in FEED_TYPES:
                self.hrefs.append(a["href"])


def discover_feeds(page_html: str, page_url: str) -> list[str]:
    """Candidate feed URLs for a page: its declared alternates, then the common paths of its site."""
    collector = _LinkCollector()
    collector.feed(page_html)
    collector.close()
    base = urljoin(page_url, collector.base) if collector.base else page_url
    declared = [urldefrag(urljoin(base, href)).url for href in collector.hrefs]
    parts = urlsplit(page_url)
    root = f"{parts.scheme}://{parts.netloc}"
    guessed = [root + path for path in COMMON_PATHS]
    return list(dict.fromkeys(u for u in declared + guessed if urlsplit(u).scheme in ("http", "https")))


async def probe(fetcher: Fetcher, candidates: list[str]) -> list[str]:
    """The candidates that fetch and parse as feeds (as final URLs after redirects), in order.

    Candidates are tried one by one: they are usually on one host, whose rate
    limit would serialize them anyway."""
    found: list[str] = []
    for url in candidates:
        try:
            result = await fetcher.get(url)
            parse_feed(result.body, result.final_url, result.content_type)
        except (FetchError, FeedError):
            continue  # a missing or non-feed candidate is the normal case
        if result.final_url not in found:
            found.append(result.final_url)
    return found


async def discover(fetcher: Fetcher, url: str) -> list[str]:
    """Feeds for ``url``: itself if it is a feed, else what its page declares or the usual paths hold."""
    result = await fetcher.get(url)  # errors here are the caller's to report
    try:
        parse_feed(result.body, result.final_url, result.content_type)
        return [result.final_url]
    except FeedError:
        pass
    return await probe(fetcher, discover_feeds(result.text, result.final_url))
