"""Store contract for sources, feeds and crawl state (both backends)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from ant_sample import Sample

from khabar.storage import Store
from khabar.storage.base import MAX_PAGE_ATTEMPTS

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
FEED = "https://www.alquds.co.uk/feed/"
OTHER = "https://www.aljazeera.net/aljazeerarss/a7c186be.xml"


def test_add_feed_is_idempotent_and_fills_only_missing(store: Store) -> None:
    first = store.add_feed(FEED)
    assert store.add_feed(FEED, source="القدس العربي", title="القدس") == first
    assert store.add_feed(FEED, source="غيره", title="عنوان آخر", interval_s=60) == first
    (row,) = store.list_feeds()
    assert (row.url, row.source, row.title, row.interval_s) == (FEED, "القدس العربي", "القدس", 3600)
    assert (row.last_success, row.last_error, row.next_due, row.error_count, row.articles) == (None, None, None, 0, 0)


def test_add_source_keeps_one_row_and_records_homepage(store: Store) -> None:
    sid = store.add_source("الجزيرة")
    assert store.add_source("الجزيرة", homepage="https://www.aljazeera.net/") == sid
    assert store.add_source("الجزيرة") == sid
    assert [s.name for s in store.sources()] == ["الجزيرة"]
    store.add_feed(OTHER, source="الجزيرة")
    assert [s.name for s in store.sources()] == ["الجزيرة"]


def test_due_feeds_order_and_limit(store: Store) -> None:
    for url in (FEED, OTHER, "https://a.example/rss"):
        store.add_feed(url)
    store.record_feed_not_modified(FEED, T0, T0 + timedelta(hours=1))
    store.record_feed_error(OTHER, "HTTP 500", T0, T0 + timedelta(minutes=10))
    assert [f.url for f in store.due_feeds(T0)] == ["https://a.example/rss"]  # never polled only
    later = T0 + timedelta(hours=2)
    assert [f.url for f in store.due_feeds(later)] == ["https://a.example/rss", OTHER, FEED]
    assert [f.url for f in store.due_feeds(later, limit=2)] == ["https://a.example/rss", OTHER]


def test_success_error_and_not_modified_state(store: Store) -> None:
    store.add_feed(FEED)
    due = T0 + timedelta(minutes=30)
    store.record_feed_error(FEED, "FetchTimeout: no complete response within 1.5s", T0, due)
    store.record_feed_error(FEED, "HTTPStatusError: HTTP 429, Retry-After 3600s", T0, due)
    (row,) = store.list_feeds()
    assert (row.error_count, row.last_error, row.last_error_at, row.next_due) == (
        2,
        "HTTPStatusError: HTTP 429, Retry-After 3600s",
        T0,
        due,
    )
    stamp = "Sun, 18 Feb 2018 21:35:43 GMT"
    store.record_feed_success(FEED, due, '"v1"', stamp, "القدس", due + timedelta(hours=2), 7200)
    (row,) = store.list_feeds()
    assert (row.error_count, row.last_success, row.etag, row.last_modified) == (
        0,
        due,
        '"v1"',
        stamp,
    )
    assert (row.title, row.interval_s, row.next_due) == ("القدس", 7200, due + timedelta(hours=2))
    assert row.last_error_at == T0  # the last error stays visible, older than the success
    store.record_feed_not_modified(FEED, due + timedelta(hours=2), due + timedelta(hours=4))
    (row,) = store.list_feeds()
    assert (row.last_success, row.next_due, row.etag) == (due + timedelta(hours=2), due + timedelta(hours=4), '"v1"')


def test_articles_link_to_their_feed_and_known_urls(store: Store, ant: Sample) -> None:
    arts = ant.all[:4]
    store.add_feed(FEED, source="القدس العربي")
    store.add_feed(OTHER)
    assert store.add_articles(arts[:3], feed_url=FEED) == ["imported"] * 3
    assert store.add_articles(arts[3:], feed_url=OTHER) == ["imported"]
    assert store.add_articles(arts[:1]) == ["unchanged"]  # no feed given: the link is kept
    counts = {f.url: f.articles for f in store.list_feeds()}
    assert counts == {FEED: 3, OTHER: 1}
    asked = [a.url for a in arts] + ["https://nowhere.example/x"]
    assert store.known_urls(asked) == {a.url for a in arts}
    assert store.known_urls([]) == set()


def test_failed_pages_become_known_after_max_attempts(store: Store) -> None:
    store.add_feed(FEED)
    page = "https://www.alquds.co.uk/gone/"
    for n in range(MAX_PAGE_ATTEMPTS):
        assert store.known_urls([page]) == set(), n
        store.record_page_failure(page, FEED, "HTTPStatusError: HTTP 404", T0)
    assert store.known_urls([page]) == {page}


def test_remove_feed_keeps_its_articles(store: Store, ant: Sample) -> None:
    store.add_feed(FEED)
    store.add_articles(ant.all[:2], feed_url=FEED)
    assert store.remove_feed(FEED) is True
    assert store.remove_feed(FEED) is False
    assert store.list_feeds() == []
    assert store.count_articles() == 2
    assert store.add_feed(FEED) and store.list_feeds()[0].articles == 0


def test_known_urls_many(store: Store, ant: Sample) -> None:
    """More URLs than one IN list holds."""
    store.add_articles(ant.all[:3])
    asked = [f"https://x.example/{i}" for i in range(1200)] + [a.url for a in ant.all[:3]]
    assert store.known_urls(asked) == {a.url for a in ant.all[:3]}


def test_last_fetched_gives_the_stored_fetch_time(store: Store, ant: Sample) -> None:
    """The crawler compares a feed entry's update time with this; imports without a fetch time are left out."""
    fetched = [replace(a, fetched_at=T0 + timedelta(minutes=i, microseconds=999)) for i, a in enumerate(ant.all[:2])]
    store.add_articles([*fetched, replace(ant.all[2], fetched_at=None)])
    asked = [a.url for a in ant.all[:3]] + ["https://nowhere.example/x"]
    assert store.last_fetched(asked) == {fetched[0].url: T0, fetched[1].url: T0 + timedelta(minutes=1)}
    refetched = replace(fetched[0], fetched_at=T0 + timedelta(days=1))
    assert store.add_articles([refetched]) == ["updated"]  # same text, newer fetch: the time moves on
    assert store.last_fetched([refetched.url]) == {refetched.url: T0 + timedelta(days=1)}
    assert store.last_fetched([]) == {}
