"""khabar_bm25 (the compiled ranker) against FTS5's own bm25 on the bundled sample in a real SQLite store.

The sample is smaller than SAMPLE, so every count is exact and both must rank identically, with equal
scores: phrases, exclusions, any-word queries and filters included (FTS5 numbers the phrases of a
MATCH expression; a wrong order would give other scores)."""

from __future__ import annotations

import sys
from dataclasses import replace

import pytest

from khabar.model import Filters
from khabar.search import parse_query
from khabar.storage import limits
from khabar.storage.fts5rank import RankConnection
from khabar.storage.sqlite_scoring import phrase_exprs

QUERIES = ["الرئيس", "وزير الخارجية", '"وزير الخارجية" روسيا', "الحكومة -اليمن", "قال الرئيس", "فنزويلا النفط"]


@pytest.fixture
def store(env):
    return env[0]


def fts5_ranked(store, query, monkeypatch, **kwargs):
    with monkeypatch.context() as m:
        m.setattr(store.ranking, "enabled", False)
        return store.search_ids(query, **kwargs)


def assert_same_ranking(ours, theirs):
    assert [i for i, _ in ours] == [i for i, _ in theirs]
    assert [s for _, s in ours] == pytest.approx([s for _, s in theirs], rel=1e-9)


def test_the_compiled_ranker_is_built_and_used(store):
    assert store.ranking.get() is not None, "build the C module: apt install libsqlite3-dev, pip install -e ."
    assert RankConnection(":memory:").get() is None  # a second connection cannot see an in-memory store


@pytest.mark.parametrize("text", QUERIES)
def test_khabar_bm25_ranks_as_fts5_bm25_with_exact_counts(store, monkeypatch, text):
    query = parse_query(text)
    ours, theirs = store.search_ids(query, 200), fts5_ranked(store, query, monkeypatch, limit=200)
    assert len(ours) >= 3
    assert_same_ranking(ours, theirs)


def test_any_word_and_filtered_queries_rank_the_same(store, monkeypatch):
    any_word = replace(parse_query("النيجر روسيا السلاح"), match_any=True)
    filtered = {"query": parse_query("وزير الخارجية"), "limit": 50, "filters": Filters(section="international")}
    for kwargs in ({"query": any_word, "limit": 100}, filtered):
        ours = store.search_ids(**kwargs)
        assert len(ours) >= 3
        assert_same_ranking(ours, fts5_ranked(store, monkeypatch=monkeypatch, **kwargs))


def test_counts_come_from_the_newest_articles_and_widen_for_rare_words(store, monkeypatch):
    monkeypatch.setattr(limits, "SAMPLE", 100)  # the sample now counts as a large store
    store._hits_memo.clear()
    newest = store.count_articles()
    common, rare = phrase_exprs(parse_query("قال فنزويلا"))
    in_window = store._count_above(common, newest - 100)
    assert in_window >= limits.MIN_SEEN
    assert store._estimated_hits(common, newest) == in_window * newest / 100
    assert store._count_above(rare, newest - 100) < limits.MIN_SEEN  # too few in the window: counted wider
    assert store._estimated_hits(rare, newest) == store._count_above(rare, 0)  # ... up to the whole store
    store._hits_memo.clear()


def test_uncommitted_writes_are_searched_on_the_writing_connection(store):
    with store._lock, store._transaction():
        assert store._ranker() is None
    assert store._ranker() is not None


def test_without_the_compiled_module_search_ranks_with_fts5_bm25(store, monkeypatch):
    monkeypatch.setitem(sys.modules, "khabar.storage._fts5rank", None)  # as if it could not be built
    missing = RankConnection(store.path)
    assert missing.get() is None
    query = parse_query("وزير الخارجية")
    with monkeypatch.context() as m:
        m.setattr(store, "ranking", missing)
        fallback = store.search_ids(query, 50)
    assert len(fallback) >= 3
    assert_same_ranking(fallback, fts5_ranked(store, query, monkeypatch, limit=50))
