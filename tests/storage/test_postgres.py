"""PostgreSQL specifics: tsquery compilation, rank weights, analyzer rebuilds."""

from __future__ import annotations

import pytest
from ant_sample import Sample

from khabar.arabic import search_terms
from khabar.model import TextQuery
from khabar.storage.postgres import PostgresStore, _redacted, rank_weights, tsquery_parts

on_postgres = pytest.mark.parametrize("store_location", ["postgres"], indirect=True)


def test_tsquery_parts_builds_a_fixed_skeleton_with_bound_terms() -> None:
    assert tsquery_parts(TextQuery()) == ("", [])
    assert tsquery_parts(TextQuery(excluded=("x",))) == ("", [])
    sql, params = tsquery_parts(TextQuery(terms=("a", "b"), phrases=(("c", "d"),), excluded=("e", "f")))
    one = "phraseto_tsquery('simple', %s)"
    assert sql == f"(({one} && {one} && {one}) && !!({one} || {one}))"
    assert params == ["a", "b", "c d", "e", "f"]
    sql, params = tsquery_parts(TextQuery(terms=("a", "b"), match_any=True))
    assert sql == f"({one} || {one})" and params == ["a", "b"]


def test_hostile_text_never_reaches_sql() -> None:
    hostile = ("x'); DROP TABLE articles; --", "a & !b | c:*", "\\'")
    sql, params = tsquery_parts(TextQuery(terms=hostile))
    assert all(h not in sql for h in hostile) and params == list(hostile)


def test_rank_weights_keep_the_ratio_within_postgres_limits() -> None:
    d, _, _, a = rank_weights(5.0)
    assert a == 1.0 and a / d == pytest.approx(5.0)
    d, _, _, a = rank_weights(0.5)
    assert d == 1.0 and a == 0.5
    assert all(0 <= w <= 1 for w in rank_weights(3.0))


def test_location_hides_the_password() -> None:
    assert _redacted("postgresql://khabar:s3cret@db:5432/news") == "postgresql://khabar:***@db:5432/news"
    assert _redacted("postgresql://khabar@db/news") == "postgresql://khabar@db/news"


@pytest.mark.postgres
@on_postgres
def test_hostile_terms_are_searched_as_text(open_new, ant: Sample) -> None:
    store = open_new()
    store.add_articles([ant.zir])
    for term in ("x'); DROP TABLE articles; --", "a & !b | c:*", "\\'", "!!", "<->"):
        assert store.search_ids(TextQuery(terms=(term,))) == []
    assert store.count_articles() == 1


@pytest.mark.postgres
@on_postgres
def test_index_is_rebuilt_when_the_analyzer_changes(open_new, ant: Sample) -> None:
    raw = open_new(analyzer=lambda text: text.split(), analyzer_version="whitespace")
    raw.add_articles([ant.wazir, ant.lilwazir, ant.zir])
    query = TextQuery(terms=tuple(search_terms("الوزير")))
    assert {i for i, _ in raw.search_ids(query)} <= {raw.get_article(ant.wazir.url).id}
    store = open_new()  # the real analyzer: index rebuilt on open
    urls = {s.article.url for s, _ in store.search(query)}
    assert urls == {ant.wazir.url, ant.lilwazir.url}
    assert store.rebuild_index() == 3
    assert store.add_articles([ant.wazir]) == ["unchanged"]


@pytest.mark.postgres
@on_postgres
def test_stats_names_the_backend(open_new) -> None:
    store = open_new()
    assert isinstance(store, PostgresStore)
    assert store.stats()["backend"] == "postgres"
