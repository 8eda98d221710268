"""Crawling 50 loopback feeds of real articles, 10 of them broken, through the API and the CLI.

Every good article is stored once, every broken feed shows its own error, a
second pass adds nothing, and a crawl killed with SIGKILL and restarted ends
with the same store as an uninterrupted one.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import sqlite3
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from crawl_site import CLI_ENV, GOOD_FEEDS, PER_FEED, CrawlLoopback, CrawlSite, article_count, khabar, summary_line
from loopback import policy, run

from cli_run import KHABAR_BIN
from khabar.arabic.normalize import normalize_display
from khabar.ingest.crawler import Crawler, CrawlSummary, build_article
from khabar.ingest.feeds import FeedEntry
from khabar.ingest.fetcher import Fetcher
from khabar.ingest.opml import FeedRef, read_opml, write_opml
from khabar.ingest.schedule import MAX_INTERVAL, MIN_INTERVAL, adaptive_interval, error_delay, next_due
from khabar.storage.sqlite import SQLiteStore

N_ARTICLES = (GOOD_FEEDS + 1) * PER_FEED  # the charset-lying feed's articles are good too


@pytest.fixture(scope="module")
def site() -> Any:
    srv = CrawlLoopback()
    web = CrawlSite(srv)
    srv.thread.start()
    yield web
    srv.shutdown()
    srv.server_close()


def crawl_once(store: SQLiteStore, clock: Any = None) -> CrawlSummary:
    async def go() -> CrawlSummary:
        async with Fetcher(policy(max_bytes=2 * 1024 * 1024, per_host_interval=0.0)) as fetcher:
            crawler = Crawler(store, fetcher, rng=random.Random(7), **({"clock": clock} if clock else {}))
            return await crawler.run_once()

    return run(go())


def assert_good_articles_stored_once(store: SQLiteStore, site: CrawlSite) -> None:
    stored = {s.article.url: s.article for s in store.latest(limit=10 * N_ARTICLES)}
    assert len(stored) == store.count_articles() == N_ARTICLES == len(site.pages)
    assert set(stored) == set(site.pages)  # every good article, nothing from a broken feed
    for url, page in site.pages.items():
        art = stored[url]
        assert art.title == page.expected_title, url  # the charset-lying pages too: no mojibake
        assert len(art.paragraphs) >= 2 and art.paragraphs[0] in normalize_display("\n".join(page.paragraphs))


def test_crawl_50_feeds_api(site: CrawlSite, tmp_path: Path) -> None:
    store = SQLiteStore(str(tmp_path / "api.db"))
    for url in site.feeds:
        store.add_feed(url)
    start = datetime.now(UTC)
    t0 = time.monotonic()
    summary = crawl_once(store)
    elapsed = time.monotonic() - t0
    print(f"\n50 feeds: {elapsed:.1f}s, {summary.as_dict()}")
    assert (summary.feeds_polled, summary.new_articles, summary.pages_failed) == (50, N_ARTICLES, 0)
    assert set(summary.feed_errors) == set(site.broken)
    assert_good_articles_stored_once(store, site)
    feeds = {f.url: f for f in store.list_feeds()}
    for url in site.good:
        f = feeds[url]
        assert (f.last_error, f.error_count, f.articles) == (None, 0, PER_FEED), url
        assert f.last_success is not None and f.next_due > start + timedelta(minutes=4)
    for url, token in site.broken.items():
        f = feeds[url]
        assert token in (f.last_error or ""), (url, f.last_error)
        assert (f.last_success, f.error_count, f.articles) == (None, 1, 0)
    limited = feeds[next(u for u in site.broken if "429" in u)]
    assert limited.next_due >= start.replace(microsecond=0) + timedelta(hours=1)  # the store keeps whole seconds
    _second_passes_add_nothing(store, site)


def _second_passes_add_nothing(store: SQLiteStore, site: CrawlSite) -> None:
    """Nothing is due right away; two days later every feed is polled again and nothing new is stored."""
    assert crawl_once(store).feeds_polled == 0
    later = datetime.now(UTC) + timedelta(days=2)
    again = crawl_once(store, clock=lambda: later)
    assert (again.feeds_polled, again.new_articles, again.pages_fetched) == (50, 0, 0)
    assert again.not_modified == sum(1 for url in site.good if int(url.split("/")[-2].replace("charset", "0")) % 2)
    assert store.count_articles() == N_ARTICLES
    errors = {f.url: f.error_count for f in store.list_feeds() if f.error_count}
    assert errors == dict.fromkeys(site.broken, 2)


@pytest.fixture(scope="module")
def reference(site: CrawlSite, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store filled by one uninterrupted ``khabar crawl`` (feeds added by ``opml import``)."""
    folder = tmp_path_factory.mktemp("crawl")
    opml = folder / "feeds.opml"
    opml.write_text(write_opml([FeedRef(u, f"outlet {i}") for i, u in enumerate(site.feeds)]), encoding="utf-8")
    db = folder / "reference.db"
    assert khabar(db, "opml", "import", str(opml)).returncode == 0
    done = khabar(db, "crawl", "--allow-host", "127.0.0.1", "--quiet")
    assert done.returncode == 0, done.stderr
    assert "page failed" not in done.stderr, done.stderr
    assert summary_line(done.stdout) == {
        "feeds_polled": 50,
        "not_modified": 0,
        "failed": len(site.broken),
        "new_articles": N_ARTICLES,
        "updated_articles": 0,
        "pages_fetched": N_ARTICLES,
        "pages_failed": 0,
    }
    return db


def feeds_json(db: Path) -> dict[str, dict[str, Any]]:
    out = khabar(db, "feeds", "--json")
    assert out.returncode == 0, out.stderr
    return {f["url"]: f for f in json.loads(out.stdout)}


def test_cli_crawl_shows_every_broken_feed_error(site: CrawlSite, reference: Path) -> None:
    with SQLiteStore(str(reference)) as store:
        assert_good_articles_stored_once(store, site)
    feeds = feeds_json(reference)
    assert set(feeds) == set(site.feeds)
    for url, token in site.broken.items():
        assert token in feeds[url]["last_error"] and feeds[url]["last_success"] is None, url
    for url in site.good:
        assert (feeds[url]["last_error"], feeds[url]["articles"]) == (None, PER_FEED), url
        assert feeds[url]["last_success"] and feeds[url]["etag"] == (None if "charset" in url else feeds[url]["etag"])
    table = khabar(reference, "feeds", env={**os.environ, "COLUMNS": "400"})  # room for whole messages
    assert table.returncode == 0 and "RobotsDisallowed" in table.stdout and "outlet 0" in table.stdout
    rerun = khabar(reference, "crawl", "--allow-host", "127.0.0.1", "--quiet")
    assert summary_line(rerun.stdout)["feeds_polled"] == 0  # nothing due yet


def _state(db: Path) -> tuple[set[tuple[str, str, str]], dict[str, tuple[bool, str | None, int]]]:
    with sqlite3.connect(db) as conn:
        rows = set(conn.execute("SELECT url, title, content_hash FROM articles"))
    with SQLiteStore(str(db)) as store:
        feeds = {f.url: (f.last_success is not None, f.last_error, f.articles) for f in store.list_feeds()}
    return rows, feeds


def test_kill_9_mid_crawl_then_restart_equals_uninterrupted(site: CrawlSite, reference: Path, tmp_path: Path) -> None:
    db = tmp_path / "killed.db"
    opml = tmp_path / "feeds.opml"
    opml.write_text(write_opml([FeedRef(u, f"outlet {i}") for i, u in enumerate(site.feeds)]), encoding="utf-8")
    assert khabar(db, "opml", "import", str(opml)).returncode == 0
    cmd = [str(KHABAR_BIN), "--db", str(db), "crawl", "--allow-host", "127.0.0.1", "--quiet"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **CLI_ENV})
    deadline = time.monotonic() + 60
    while article_count(db) < N_ARTICLES // 4:
        assert proc.poll() is None, "the crawl finished before it could be killed"
        assert time.monotonic() < deadline, "the crawl made no progress"
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()
    left = article_count(db)
    assert 0 < left < N_ARTICLES
    rerun = khabar(db, "crawl", "--allow-host", "127.0.0.1", "--quiet")
    assert rerun.returncode == 0, rerun.stderr
    assert summary_line(rerun.stdout)["new_articles"] == N_ARTICLES - left  # nothing stored twice
    assert _state(db) == _state(reference)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_source_add_discovers_feeds(site: CrawlSite, tmp_path: Path) -> None:
    db = tmp_path / "src.db"
    home = site.srv.url("/site/home.html")
    out = khabar(db, "source", "add", home, "--name", "خبر", "--allow-host", "127.0.0.1")
    assert out.returncode == 0, out.stderr
    assert site.srv.url("/site/0/feed.xml") in out.stdout
    assert [(f["url"], f["source"]) for f in feeds_json(db).values()] == [(site.srv.url("/site/0/feed.xml"), "خبر")]
    none = khabar(db, "source", "add", site.srv.url("/status/404"), "--allow-host", "127.0.0.1")
    assert none.returncode == 1 and "HTTP 404" in none.stderr


def test_opml_round_trip_through_the_store(tmp_path: Path) -> None:
    refs = [
        FeedRef("https://www.alquds.co.uk/feed/", "القدس العربي"),
        FeedRef("https://www.youm7.com/rss", "اليوم السابع"),
    ]
    src = tmp_path / "in.opml"
    src.write_text(write_opml(refs), encoding="utf-8")
    db = tmp_path / "opml.db"
    assert khabar(db, "opml", "import", str(src)).returncode == 0
    assert khabar(db, "opml", "import", str(src)).returncode == 0  # idempotent
    with SQLiteStore(str(db)) as store:
        assert {(f.url, f.source) for f in store.list_feeds()} == {(r.url, r.title) for r in refs}
    exported = khabar(db, "opml", "export")
    assert {(r.url, r.title) for r in read_opml(exported.stdout)} == {(r.url, r.title) for r in refs}


# -- scheduling ---------------------------------------------------------------
NOW = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def test_interval_is_half_the_median_gap_clamped() -> None:
    hourly = [NOW - timedelta(hours=h) for h in range(10)]
    assert adaptive_interval(hourly, NOW) == 1800
    busy = [NOW - timedelta(minutes=m) for m in range(10)]
    assert adaptive_interval(busy, NOW) == MIN_INTERVAL
    weekly = [NOW - timedelta(weeks=w) for w in range(1, 5)]
    assert adaptive_interval(weekly, NOW) == MAX_INTERVAL
    assert adaptive_interval([NOW, None], NOW, current=7200) == 7200  # one date says nothing
    went_quiet = [NOW - timedelta(days=30) - timedelta(minutes=m) for m in range(3)]
    assert adaptive_interval(went_quiet, NOW) > adaptive_interval(busy, NOW)


def test_error_backoff_doubles_and_honours_retry_after() -> None:
    assert [error_delay(600, n) for n in range(4)] == [600, 1200, 2400, 4800]
    assert error_delay(3600, 10) == MAX_INTERVAL
    assert error_delay(600, 0, retry_after=7200) == 7200


def test_jitter_stays_within_ten_percent_and_spreads() -> None:
    rng = random.Random(1)
    dues = [(next_due(NOW, 3600, rng) - NOW).total_seconds() for _ in range(200)]
    assert all(3240 <= d <= 3960 for d in dues) and len(set(dues)) > 100
    assert (next_due(NOW, 60, rng, floor=3600) - NOW).total_seconds() == 3600


def test_entry_fills_what_extraction_lacks() -> None:
    entry = FeedEntry("http://x.example/a", "عنوان من الخلاصة", NOW, "<p>ملخص <b>الخبر</b></p>", "كاتب")
    art = build_article(None, entry, "خبر", NOW)
    assert art is not None and (art.title, art.paragraphs, art.source) == ("عنوان من الخلاصة", ["ملخص", "الخبر"], "خبر")
    assert build_article(None, FeedEntry("http://x.example/b"), "خبر", NOW) is None


# -- watch mode ---------------------------------------------------------------
def test_watch_runs_passes_until_stopped(site: CrawlSite, tmp_path: Path) -> None:
    store = SQLiteStore(str(tmp_path / "watch.db"))
    feed = next(iter(site.good))
    store.add_feed(feed)
    passes: list[CrawlSummary] = []

    async def go() -> float:
        stop = asyncio.Event()

        def on_pass(summary: CrawlSummary) -> None:
            passes.append(summary)
            if len(passes) == 2:
                stop.set()

        async with Fetcher(policy()) as fetcher:
            crawler = Crawler(store, fetcher)
            wait = crawler.seconds_until_due()
            await asyncio.wait_for(crawler.watch(stop, on_pass=on_pass, max_sleep=0.1), timeout=30)
            return wait

    assert run(go()) == 1.0  # a never-polled feed is due at once
    assert [p.new_articles for p in passes] == [PER_FEED, 0]  # the second pass found nothing due
    assert passes[1].feeds_polled == 0


def test_cli_watch_stops_cleanly_on_ctrl_c(site: CrawlSite, tmp_path: Path) -> None:
    db = tmp_path / "watch.db"
    assert khabar(db, "feed", "add", next(iter(site.good)), "--source", "خبر").returncode == 0
    cmd = [str(KHABAR_BIN), "--db", str(db), "crawl", "--watch", "--quiet", "--allow-host", "127.0.0.1"]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, **CLI_ENV}
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()  # the first pass's summary
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert summary_line(first)["new_articles"] == PER_FEED and "stopped" in err
