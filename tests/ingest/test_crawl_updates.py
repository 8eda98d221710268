"""A stored article whose feed entry says it was updated is fetched again (loopback feeds of real articles).

An outlet corrects a report (new headline, a paragraph added): its Atom
``<updated>``, JSON Feed ``date_modified`` or sitemap ``<lastmod>`` moves past
the time Khabar fetched the page. The next poll fetches that page again, the
store replaces the text, and the linker moves the article to the right story;
an entry not updated since its fetch is never fetched twice.
"""

from __future__ import annotations

import random
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

import loopback_feeds as lf
import pytest
from crawl_site import Page, page_html, real_records
from loopback import Loopback, loopback_server, policy, run  # noqa: F401 (the server fixture)

from khabar.enrich.linker import Linker
from khabar.ingest.crawler import Crawler, CrawlSummary
from khabar.ingest.fetcher import Fetcher
from khabar.storage.sqlite import SQLiteStore

FORMATS = {"atom": lf.atom, "jsonfeed": lf.json_feed, "news-sitemap": lambda items: lf.sitemap(items, news=True)}


class UpdatingSite:
    """One feed of three real articles; :meth:`correct` rewrites the first page and marks its entry updated."""

    def __init__(self, srv: Loopback, kind: str, records: list[dict]) -> None:
        self.srv, self.build, self.root = srv, FORMATS[kind], f"/upd/{kind}"  # one site per format on the server
        self.pages = [self._page(k, r) for k, r in enumerate(records[:3])]
        self.spare = records[3]  # the text the correction adds
        self.feed = srv.url(f"{self.root}/feed.xml")
        srv.routes[f"{self.root}/feed.xml"] = lambda h: h.send(
            200, self.build([p.item for p in self.pages]), "application/xml")

    def _page(self, k: int, record: dict) -> Page:
        path = f"{self.root}/a/{k}.html"
        paragraphs = tuple(p.strip() for p in record["text"].split("\n") if p.strip())
        when = parsedate_to_datetime(record["time"])
        item = lf.Item(self.srv.url(path), record["title"].strip(), when, "", paragraphs[0][:300])
        page = Page(item.url, item.title, paragraphs, item)
        self.srv.routes[path] = lambda h: h.send(200, page_html(self.pages[k]), "text/html; charset=utf-8")
        return page

    def correct(self, at: datetime) -> Page:
        """The outlet's correction of page 0: another headline and one more paragraph."""
        old = self.pages[0]
        extra = next(p.strip() for p in self.spare["text"].split("\n") if len(p.strip()) > 80)
        title = self.spare["title"].strip()
        item = replace(old.item, title=title, updated=at)
        self.pages[0] = Page(old.url, title, (*old.paragraphs, extra), item)
        return self.pages[0]


def crawl(store: SQLiteStore, at: datetime, linker: Linker) -> CrawlSummary:
    async def go() -> CrawlSummary:
        async with Fetcher(policy(per_host_interval=0.0)) as fetcher:
            crawler = Crawler(store, fetcher, clock=lambda: at, rng=random.Random(3), after_store=linker.link)
            return await crawler.run_once()

    return run(go())


def wait_past(fetched: datetime) -> datetime:
    """A correction time after the stored fetch (stores keep whole seconds), and the wall clock past it,
    so that the next fetch comes after the correction as it would in life."""
    at = fetched + timedelta(seconds=1)
    while datetime.now(UTC) <= at:
        time.sleep(0.05)
    return at


def page_hits(srv: Loopback, url: str) -> int:
    path = url.split(str(srv.server_address[1]), 1)[1]
    return sum(p == path for p, _ in srv.hits)


@pytest.mark.parametrize("kind", FORMATS)
def test_updated_entry_is_fetched_again_and_relinked(server: Loopback, tmp_path: Path, kind: str) -> None:
    site = UpdatingSite(server, kind, real_records(4))
    store = SQLiteStore(str(tmp_path / "k.db"))
    store.add_feed(site.feed, source="outlet")
    linker = Linker(store)
    now = datetime.now(UTC)
    first = crawl(store, now, linker)
    assert (first.new_articles, first.updated_articles, first.pages_fetched) == (3, 0, 3)

    again = crawl(store, now + timedelta(days=1), linker)  # due again, nothing updated: no page fetched
    assert (again.feeds_polled, again.pages_fetched) == (1, 0)

    fixed = site.correct(wait_past(store.last_fetched([site.pages[0].url])[site.pages[0].url]))
    third = crawl(store, now + timedelta(days=2), linker)
    assert (third.new_articles, third.updated_articles, third.pages_fetched) == (0, 1, 1)
    stored = store.get_article(fixed.url)
    assert stored is not None and stored.article.title == fixed.expected_title
    assert len(stored.article.paragraphs) == len(fixed.paragraphs)
    assert page_hits(server, fixed.url) == 2 and all(page_hits(server, p.url) == 1 for p in site.pages[1:])

    fourth = crawl(store, now + timedelta(days=3), linker)  # fetched after its update: not fetched again
    assert (fourth.pages_fetched, page_hits(server, fixed.url)) == (0, 2)
    assert_stories_consistent(store)
    store.close()


def assert_stories_consistent(store: SQLiteStore) -> None:
    """Every article in one story, and each story's count is its members' count."""
    rows = list(store.iter_texts())
    assert rows and all(r.story_id is not None for r in rows)
    assert sum(s.article_count for s in store.all_stories()) == len(rows)
