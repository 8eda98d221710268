"""Fetch and parse feeds, turning every failure into a per-feed error.

One broken feed (404, timeout, bomb, robots, malformed XML …) must never stop
the others: :func:`poll_feeds` returns one :class:`FeedPoll` per feed, each
either a parsed feed, a 304, or a one-line error fit for ``feeds.last_error``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass

from khabar.ingest.feeds import FeedError, ParsedFeed, parse_feed
from khabar.ingest.fetcher import Fetcher, FetchError, FetchResult, HTTPStatusError


@dataclass
class FeedPoll:
    """The outcome of polling one feed."""

    url: str
    result: FetchResult | None = None
    feed: ParsedFeed | None = None
    error: str | None = None
    retry_after: float | None = None  # seconds the server asked us to wait (429/503)

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def not_modified(self) -> bool:
        return self.result is not None and self.result.not_modified


async def poll_feed(fetcher: Fetcher, url: str, etag: str | None = None, last_modified: str | None = None) -> FeedPoll:
    """Fetch (conditionally) and parse one feed; never raises for fetch or feed errors."""
    try:
        result = await fetcher.get(url, etag=etag, last_modified=last_modified)
    except HTTPStatusError as exc:
        return FeedPoll(url, error=f"{type(exc).__name__}: {exc}", retry_after=exc.retry_after)
    except FetchError as exc:
        return FeedPoll(url, error=f"{type(exc).__name__}: {exc}")
    if result.not_modified:
        return FeedPoll(url, result=result)
    try:
        feed = parse_feed(result.body, result.final_url, result.content_type)
    except FeedError as exc:
        return FeedPoll(url, result=result, error=f"FeedError: {exc}")
    return FeedPoll(url, result=result, feed=feed)


async def poll_feeds(fetcher: Fetcher, feeds: Iterable[str | tuple[str, str | None, str | None]]) -> list[FeedPoll]:
    """Poll many feeds concurrently (the fetcher keeps per-host limits); results in input order.

    Each item is a URL or ``(url, etag, last_modified)``."""
    jobs = [poll_feed(fetcher, f) if isinstance(f, str) else poll_feed(fetcher, *f) for f in feeds]
    return list(await asyncio.gather(*jobs))
