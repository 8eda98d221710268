"""Crawled articles are linked to copies and stories as they are stored (the loopback crawl site)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from crawl_site import CrawlLoopback, CrawlSite
from loopback import policy, run

from khabar.enrich.linker import Linker
from khabar.ingest.crawler import Crawler
from khabar.ingest.fetcher import Fetcher
from khabar.storage.sqlite import SQLiteStore


@pytest.fixture(scope="module")
def site() -> Any:
    srv = CrawlLoopback()
    web = CrawlSite(srv)
    srv.thread.start()
    yield web
    srv.shutdown()
    srv.server_close()


def test_every_crawled_article_gets_a_story(site: CrawlSite, tmp_path: Path) -> None:
    store = SQLiteStore(str(tmp_path / "linked.db"))
    for url in site.feeds:
        store.add_feed(url)
    linker = Linker(store)

    async def go() -> None:
        async with Fetcher(policy(max_bytes=2 * 1024 * 1024, per_host_interval=0.0)) as fetcher:
            await Crawler(store, fetcher, rng=random.Random(7), after_store=linker.link).run_once()

    run(go())
    rows = list(store.iter_texts())
    assert rows and all(r.story_id is not None for r in rows)
    members = sum(s.article_count for s in store.all_stories())
    assert members == len(rows) == store.count_articles()
    store.close()
