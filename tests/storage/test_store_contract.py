"""The Store contract, run against every backend (see conftest ``store``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC

import pytest
from ant_sample import Sample, terms

from khabar.model import Filters, StoredArticle, TextQuery
from khabar.storage import IMPORTED, UNCHANGED, UPDATED, Store
from khabar.storage.rows import tag_key


def _latest_key(s: StoredArticle) -> tuple[bool, float, int]:
    published = s.article.published_at
    return (published is None, -(published.timestamp() if published else 0), -s.id)


def _counts(store: Store) -> dict[str, object]:
    """Stats without the size on disk (which moves with any write)."""
    return {k: v for k, v in store.stats().items() if k != "bytes"}


def _all(store: Store) -> list[StoredArticle]:
    return store.latest(limit=1000)


def test_statuses_imported_unchanged_updated(store: Store, ant: Sample) -> None:
    articles = ant.all
    assert store.add_articles(articles) == [IMPORTED] * len(articles)
    assert store.add_articles(articles) == [UNCHANGED] * len(articles)
    before = _counts(store)
    shorter = replace(ant.cup, paragraphs=ant.cup.paragraphs[:1])
    assert store.add_articles([ant.wazir, shorter]) == [UNCHANGED, UPDATED]
    assert store.get_article(ant.cup.url).article.paragraphs == ant.cup.paragraphs[:1]
    assert _counts(store) == before  # updating adds no row anywhere


def test_readding_adds_nothing(store: Store, ant: Sample) -> None:
    store.add_articles(ant.all)
    before = (_counts(store), store.sources(), sorted(store.sections()))
    store.add_articles(list(reversed(ant.all)))
    assert (_counts(store), store.sources(), sorted(store.sections())) == before
    assert store.count_articles() == len(ant.all)


def test_batch_is_atomic(store: Store, ant: Sample) -> None:
    store.add_articles([ant.zir])
    first, *_ = ant.filler.values()
    broken = replace(ant.wazir, url=None)  # NOT NULL url: the database raises mid-batch
    with pytest.raises(Exception):  # noqa: B017 - each driver raises its own IntegrityError
        store.add_articles([first, replace(ant.zir, title=ant.cup.title), broken])
    assert store.count_articles() == 1
    assert store.get_article(first.url) is None
    assert store.get_article(ant.zir.url).article.title == ant.zir.title
    assert [s.name for s in store.sources()] == [ant.zir.source]
    # The outlet created inside the failed batch must not linger in any cache.
    assert store.add_articles([first]) == [IMPORTED]
    assert store.get_article(first.url).article.source == first.source


def test_round_trip_and_get_by_url_or_canonical(store: Store, ant: Sample) -> None:
    tracked = replace(ant.harakat, url=ant.harakat.url + "?utm_source=rss", canonical_url=ant.harakat.url)
    store.add_articles([tracked, ant.wazir])
    got = store.get_article(tracked.url)
    assert got is not None and got.article == tracked
    assert got.article.published_at.utcoffset().total_seconds() == 0
    assert store.get_article(ant.harakat.url).id == got.id  # by canonical url
    assert store.get_article(ant.wazir.url).article == ant.wazir
    assert store.get_article("https://example.org/missing") is None


def test_get_articles_keeps_order_and_skips_missing(store: Store, ant: Sample) -> None:
    store.add_articles(ant.all)
    ids = [s.id for s in _all(store)]
    wanted = [ids[3], 10**9, ids[0], ids[7]]
    assert [s.id for s in store.get_articles(wanted)] == [ids[3], ids[0], ids[7]]
    assert store.get_articles([]) == []


def test_latest_is_newest_first_undated_last(store: Store, ant: Sample) -> None:
    undated = replace(ant.zir, published_at=None)
    store.add_articles([undated, *[a for a in ant.all if a.url != undated.url]])
    listed = _all(store)
    assert listed == sorted(listed, key=_latest_key)
    assert listed[-1].article.url == undated.url
    assert store.latest(limit=5, offset=3) == listed[3:8]


def test_filters_for_latest_and_count(store: Store, ant: Sample) -> None:
    store.add_articles(ant.all)
    dates = sorted(a.published_at for a in ant.all)
    since, until = dates[len(dates) // 4], dates[3 * len(dates) // 4]
    cases = {
        Filters(source="BBC"): lambda a: a.source == "BBC",
        Filters(section="sport"): lambda a: a.section == "sport",
        Filters(since=since): lambda a: a.published_at >= since,
        Filters(until=until): lambda a: a.published_at < until,
        Filters(source="skynews", since=since, until=until): lambda a: (
            a.source == "skynews" and since <= a.published_at < until
        ),
        Filters(source="no such outlet"): lambda a: False,
    }
    for filters, keep in cases.items():
        expected = {a.url for a in ant.all if keep(a)}
        got = store.latest(limit=1000, filters=filters)
        assert {s.article.url for s in got} == expected, filters
        assert got == sorted(got, key=_latest_key)
        assert store.count_articles(filters) == len(expected)
    naive = Filters(since=since.astimezone(UTC).replace(tzinfo=None))  # naive means UTC
    assert store.count_articles(naive) == store.count_articles(Filters(since=since))


def test_tags_round_trip_in_order_and_filter(store: Store, ant: Sample) -> None:
    words = ant.harakat.title.split()
    tags = [words[2], words[0], "جحا", words[1]]  # words[2] is جُحا: same key as جحا
    assert tag_key(words[2]) == tag_key("جحا")
    store.add_articles([replace(ant.harakat, tags=tags), replace(ant.wazir, tags=[words[0]]), ant.zir])
    assert store.get_article(ant.harakat.url).article.tags == [words[2], words[0], words[1]]
    assert store.get_article(ant.zir.url).article.tags == []
    for tag, urls in {"جحا": {ant.harakat.url}, words[0]: {ant.harakat.url, ant.wazir.url}}.items():
        filters = Filters(tag=tag_key(tag))
        assert {s.article.url for s in store.latest(filters=filters)} == urls
        assert store.count_articles(filters) == len(urls)
    assert store.stats()["tags"] == 3
    # New tags on the same text (e.g. re-enriched) are an update; the same tags are not.
    assert store.add_articles([replace(ant.wazir, tags=[words[0]])]) == [UNCHANGED]
    assert store.add_articles([replace(ant.wazir, tags=[])]) == [UPDATED]
    assert store.count_articles(Filters(tag=tag_key(words[0]))) == 1
    assert store.add_articles([replace(ant.wazir, tags=[])]) == [UNCHANGED]


def test_sources_and_sections(store: Store, ant: Sample) -> None:
    store.add_articles(ant.all)
    by_source = Counter(a.source for a in ant.all)
    got = store.sources()
    assert [(s.name, s.articles) for s in got] == sorted(by_source.items(), key=lambda kv: (-kv[1], kv[0]))
    for s in got:
        assert s.latest == max(a.published_at for a in ant.all if a.source == s.name)
    sections = store.sections()
    assert dict(sections) == Counter(a.section for a in ant.all)
    assert [n for _, n in sections] == sorted((n for _, n in sections), reverse=True)


def test_stats(store: Store, ant: Sample, store_location: str) -> None:
    empty = store.stats()
    assert empty["backend"] == ("sqlite" if "://" not in store_location else "postgres")
    assert (empty["articles"], empty["sources"], empty["tags"], empty["feeds"], empty["stories"]) == (0, 0, 0, 0, 0)
    store.add_articles(ant.all)
    stats = store.stats()
    assert stats["articles"] == len(ant.all)
    assert stats["sources"] == len({a.source for a in ant.all})
    assert stats["bytes"] > 0 and stats["location"]


def test_open_twice_migrates_once(open_new, ant: Sample) -> None:
    first = open_new()
    first.add_articles([ant.wazir])
    second = open_new()  # migrations already applied: a no-op, data kept
    assert second.count_articles() == 1
    assert second.get_article(ant.wazir.url).article == ant.wazir
    assert second.add_articles([ant.wazir]) == [UNCHANGED]


def test_index_follows_updates(store: Store, ant: Sample) -> None:
    """Terms only in the removed paragraphs stop matching after an update."""
    article = ant.cup
    kept = replace(article, paragraphs=article.paragraphs[:1])
    title, body = terms(kept)
    gone = [t for t in terms(article)[1] if t not in set(title + body)]
    assert gone, "the sample article should lose some terms"
    store.add_articles([article])
    query = TextQuery(terms=(gone[0],))
    assert [i for i, _ in store.search_ids(query)] == [store.get_article(article.url).id]
    store.add_articles([kept])
    assert store.search_ids(query) == []


def test_empty_article_list(store: Store) -> None:
    assert store.add_articles([]) == []
    assert store.latest() == [] and store.count_articles() == 0
    assert store.search_ids(TextQuery()) == []
