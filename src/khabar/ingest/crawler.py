"""Crawl due feeds and their new article pages into the store.

One pass (:meth:`Crawler.run_once`) polls every due feed concurrently (the
fetcher keeps each host polite), fetches the entries whose URLs the store does
not know, and again those whose feed says they were updated after the stored
copy was fetched (a corrected casualty figure, a new headline), extracts and
stores each page as soon as it arrives (one article per commit), and records
the feed's state only after its pages are done. So a killed crawl loses at most
the pages in flight: the restart re-polls the feeds left unrecorded and
``known_urls`` skips what was already stored.

Store calls and extraction run on one worker thread: writes never overlap, and
the event loop (with the fetch deadlines measured on it) never stalls behind a
page's analysis or the first write loading the Arabic lexicon.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import random
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from khabar.ingest.extraction import Extraction
from khabar.ingest.extractor import extract_html
from khabar.ingest.feedpoll import FeedPoll, poll_feed
from khabar.ingest.feeds import FeedEntry, ParsedFeed
from khabar.ingest.fetcher import Fetcher, FetchError, FetchResult
from khabar.ingest.schedule import adaptive_interval, error_delay, next_due
from khabar.model import Article, FeedRow
from khabar.storage.base import IMPORTED, UPDATED, Store

log = logging.getLogger(__name__)
Extractor = Callable[..., Extraction]
Progress = Callable[[str, int], None]  # (event, count): feeds/pages queued, feed/page done
_TAG = re.compile(r"<[^>]+>")
_NOT_PAGES = ("image/", "audio/", "video/", "application/pdf", "application/zip", "application/octet-stream")


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class CrawlSummary:
    """What one pass did; errors are keyed by feed or page URL."""

    feeds_polled: int = 0
    not_modified: int = 0
    feed_errors: dict[str, str] = field(default_factory=dict)
    new_articles: int = 0
    updated_articles: int = 0
    pages_fetched: int = 0
    page_errors: dict[str, str] = field(default_factory=dict)

    @property
    def failed(self) -> int:
        return len(self.feed_errors)

    @property
    def pages_failed(self) -> int:
        return len(self.page_errors)

    def as_dict(self) -> dict[str, int]:
        keys = ("feeds_polled", "not_modified", "failed", "new_articles", "updated_articles", "pages_fetched",
                "pages_failed")
        return {k: getattr(self, k) for k in keys}


def summary_text(text: str) -> list[str]:
    """A feed entry's summary (often HTML) as plain paragraphs."""
    plain = html.unescape(_TAG.sub("\n", text))
    return [" ".join(p.split()) for p in plain.split("\n") if p.strip()]


def build_article(ex: Extraction | None, entry: FeedEntry, source: str, fetched_at: datetime) -> Article | None:
    """The stored article: the extraction, with the feed entry filling what it lacks.

    Identity is the entry URL (what the next poll will ask ``known_urls`` about)."""
    art = ex.to_article(url=entry.url, fetched_at=fetched_at) if ex else Article(url=entry.url, fetched_at=fetched_at)
    paragraphs = art.paragraphs or summary_text(entry.summary)
    title = art.title or entry.title
    if not paragraphs and not title:
        return None
    return replace(
        art,
        title=title,
        title_inferred=art.title_inferred and bool(art.title),
        paragraphs=paragraphs,
        published_at=art.published_at or entry.published_at,
        author=art.author or entry.author,
        source=source,
    ).cleaned()


class Crawler:
    """Crawls feeds from ``store`` with ``fetcher``; see the module docstring."""

    def __init__(
        self,
        store: Store,
        fetcher: Fetcher,
        extractor: Extractor = extract_html,
        clock: Callable[[], datetime] = utcnow,
        enrich: Callable[[Article], Article] | None = None,
        *,
        max_pages_per_feed: int = 100,
        rng: random.Random | None = None,
        progress: Progress | None = None,
        after_store: Callable[[list[int]], None] | None = None,
    ) -> None:
        self.store, self.fetcher, self.extractor = store, fetcher, extractor
        self.after_store = after_store  # gets the ids of each stored article (copy/story linking)
        self.clock, self.enrich = clock, enrich
        self.max_pages_per_feed = max_pages_per_feed
        self.rng = rng or random.Random()
        self.progress = progress or (lambda event, n: None)
        self._claimed: set[str] = set()  # page URLs taken by a feed in this pass (feeds share articles)
        self._worker: ThreadPoolExecutor | None = None

    async def _call(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run a store call or an extraction on the pass's worker thread."""
        return await asyncio.get_running_loop().run_in_executor(self._worker, fn, *args)

    async def run_once(self, limit: int | None = None) -> CrawlSummary:
        """One pass over the feeds due now."""
        feeds = self.store.due_feeds(self.clock(), limit)
        summary = CrawlSummary()
        self._claimed = set()
        self.progress("feeds", len(feeds))
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="khabar-crawl") as self._worker:
            await asyncio.gather(*(self._crawl_feed(f, summary) for f in feeds))
        return summary

    async def watch(self, stop: asyncio.Event | None = None, limit: int | None = None, **kw: Any) -> None:
        """Pass after pass, sleeping until the earliest next_due, until ``stop`` is set.

        ``on_pass`` (a keyword) receives each pass's summary; ``max_sleep`` caps a wait."""
        stop = stop or asyncio.Event()
        on_pass: Callable[[CrawlSummary], None] = kw.get("on_pass") or (lambda s: None)
        while not stop.is_set():
            on_pass(await self.run_once(limit))
            with contextlib.suppress(TimeoutError):  # the wait ended because a feed fell due
                await asyncio.wait_for(stop.wait(), self.seconds_until_due(kw.get("max_sleep", 3600.0)))

    def seconds_until_due(self, cap: float = 3600.0, floor: float = 1.0) -> float:
        """Seconds until the earliest feed is due (``floor`` keeps a failing setup from spinning)."""
        dues = [f.next_due for f in self.store.list_feeds()]
        if not dues:
            return cap
        if any(d is None for d in dues):
            return floor
        wait = (min(d for d in dues if d is not None) - self.clock()).total_seconds()
        return min(cap, max(floor, wait))

    async def _crawl_feed(self, feed: FeedRow, summary: CrawlSummary) -> None:
        poll = await poll_feed(self.fetcher, feed.url, feed.etag, feed.last_modified)
        summary.feeds_polled += 1
        if poll.error is not None:
            await self._feed_failed(feed, poll, summary)
        elif poll.not_modified:
            now = self.clock()
            due = next_due(now, feed.interval_s, self.rng)
            await self._call(self.store.record_feed_not_modified, feed.url, now, due)
            summary.not_modified += 1
        elif poll.feed is not None and poll.result is not None:
            await self._feed_ok(feed, poll.feed, poll.result, summary)
        self.progress("feed", 1)

    async def _feed_failed(self, feed: FeedRow, poll: FeedPoll, summary: CrawlSummary) -> None:
        now, error = self.clock(), poll.error or "unknown error"
        delay = error_delay(feed.interval_s, feed.error_count, poll.retry_after)
        due = next_due(now, delay, self.rng, floor=poll.retry_after or 0)
        await self._call(self.store.record_feed_error, feed.url, error, now, due)
        summary.feed_errors[feed.url] = error

    async def _feed_ok(self, feed: FeedRow, parsed: ParsedFeed, result: FetchResult, summary: CrawlSummary) -> None:
        """Store the feed's new pages, then its state (validators only when nothing was left out)."""
        outlet = feed.source or parsed.title or urlsplit(feed.url).hostname or feed.url
        if not feed.source:
            await self._call(self.store.add_feed, feed.url, outlet, parsed.title)
        if parsed.kind == "sitemapindex":  # its entries are sitemaps: crawl them as feeds of the outlet
            for child in parsed.entries:
                await self._call(self.store.add_feed, child.url, outlet)
            new, complete = [], True
        else:
            new, complete = await self._new_entries(parsed.entries)
        self.progress("pages", len(new))
        await asyncio.gather(*(self._page(feed.url, e, outlet, summary) for e in new))
        now = self.clock()
        interval = adaptive_interval((e.published_at for e in parsed.entries), now, feed.interval_s)
        etag, modified = (result.etag, result.last_modified) if complete else (None, None)
        due = next_due(now, interval, self.rng)
        await self._call(self.store.record_feed_success, feed.url, now, etag, modified, parsed.title, due, interval)

    async def _new_entries(self, entries: list[FeedEntry]) -> tuple[list[FeedEntry], bool]:
        """Entries to fetch (newest first, at most ``max_pages_per_feed``) and whether that is all of them."""
        unique = list({e.url: e for e in reversed(entries)}.values())[::-1]  # first occurrence of each URL
        known = await self._call(self.store.known_urls, [e.url for e in unique])
        known -= await self._updated_since_fetch(unique, known)
        fresh = [e for e in unique if e.url not in known and e.url not in self._claimed]
        fresh.sort(key=lambda e: e.published_at or datetime.min.replace(tzinfo=UTC), reverse=True)
        taken = fresh[: self.max_pages_per_feed]
        self._claimed.update(e.url for e in taken)
        return taken, len(taken) == len(fresh)

    async def _updated_since_fetch(self, entries: list[FeedEntry], known: set[str]) -> set[str]:
        """URLs of stored articles whose feed entry was updated after the article was fetched.

        A feed stamping every entry with one time (its render time, as some CMSs do) says nothing
        about any entry: trusting it would re-fetch the whole feed at every poll."""
        stamps = [e.updated_at for e in entries if e.updated_at]
        if len(stamps) == len(entries) > 2 and len(set(stamps)) == 1:
            return set()
        candidates = [e for e in entries if e.url in known and e.updated_at]
        fetched = await self._call(self.store.last_fetched, [e.url for e in candidates]) if candidates else {}
        # Stores keep whole seconds: an update in the second of the fetch is one the fetch saw.
        return {e.url for e in candidates if e.url in fetched and e.updated_at.replace(microsecond=0) > fetched[e.url]}

    async def _page(self, feed_url: str, entry: FeedEntry, outlet: str, summary: CrawlSummary) -> None:
        """Fetch, extract and store one article page (its own commit)."""
        try:
            result = await self.fetcher.get(entry.url)
        except FetchError as exc:
            return await self._page_failed(feed_url, entry.url, f"{type(exc).__name__}: {exc}", summary)
        article = await self._call(self._article, result, entry, outlet)
        if article is None:
            error = "no title or text in the page or the feed entry"
            return await self._page_failed(feed_url, entry.url, error, summary)
        statuses = await self._call(self.store.add_articles, [article], feed_url)
        if self.after_store:
            await self._call(self._after_store, article.url)
        summary.pages_fetched += 1
        summary.new_articles += statuses.count(IMPORTED)
        summary.updated_articles += statuses.count(UPDATED)
        self.progress("page", 1)

    def _after_store(self, url: str) -> None:
        """Runs in the store thread: hand the stored article's id to ``after_store``."""
        if self.after_store:
            self.after_store(list(self.store.ids_for_urls([url]).values()))

    def _article(self, result: FetchResult, entry: FeedEntry, outlet: str) -> Article | None:
        """Runs in the extraction thread: decode, extract, fall back on the entry, enrich."""
        extraction = None
        if not result.content_type.lower().startswith(_NOT_PAGES):
            try:
                extraction = self.extractor(result.text, url=result.final_url, fetched_at=result.fetched_at)
            except Exception:  # one odd page must not end the pass: the feed entry stands in
                log.warning("extraction failed for %s", result.final_url, exc_info=True)
        article = build_article(extraction, entry, outlet, result.fetched_at)
        return self.enrich(article) if article is not None and self.enrich else article

    async def _page_failed(self, feed_url: str, url: str, error: str, summary: CrawlSummary) -> None:
        await self._call(self.store.record_page_failure, url, feed_url, error, self.clock())
        summary.page_errors[url] = error
        self.progress("page", 1)
