"""Hybrid search over the bundled sample (hashing vectors: fast and deterministic)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from khabar.enrich.embeddings import HashingEmbedder
from khabar.model import Filters
from khabar.search.hybrid import hybrid_search, rrf

EMB = HashingEmbedder()  # deterministic: the same vectors as the shared ``env`` fixture


def _text(hit) -> str:
    a = hit.article.article
    return " ".join([a.title, *a.paragraphs])


@pytest.mark.parametrize("query", ["الوزير", "للوزير", "وَزِير"])
def test_article_clitics_and_harakat_find_the_bare_word(env, query):
    store, vectors = env
    hits = hybrid_search(store, vectors, EMB, query, limit=50)
    assert hits and "<mark>" in hits[0].snippet
    # Some result carries only the bare or differently-prefixed word, never the query as typed.
    assert any(query not in _text(h) and "وزير" in _text(h) for h in hits)


def test_fusion_rewards_agreement():
    fused = dict(rrf([(1.0, [(1, 9.0), (2, 8.0)]), (1.0, [(2, 0.9), (3, 0.8)])]))
    assert fused[2] > fused[1] > fused[3]


def test_filters_apply_to_both_lists(env):
    store, vectors = env
    since = datetime(2018, 5, 20, tzinfo=UTC)
    hits = hybrid_search(store, vectors, EMB, "كرة القدم", limit=30, filters=Filters(section="sport", since=since))
    assert hits
    assert all(h.article.article.section == "sport" and h.article.article.published_at >= since for h in hits)


def test_exclusion_and_phrases_hold_for_vector_hits_too(env):
    store, vectors = env
    hits = hybrid_search(store, vectors, EMB, "كوريا -ترامب", limit=40, mode="semantic")
    assert all("ترامب" not in _text(h) for h in hits)
    phrase = hybrid_search(store, vectors, EMB, '"كوريا الشمالية"', limit=20)
    assert phrase and all("كوريا الشمالية" in _text(h) for h in phrase)


def test_sort_by_date_and_pages(env):
    store, vectors = env
    hits = hybrid_search(store, vectors, EMB, "الرئيس", limit=10, sort="date")
    dates = [h.article.article.published_at for h in hits]
    assert dates == sorted(dates, reverse=True)
    first = [h.article.id for h in hybrid_search(store, vectors, EMB, "الرئيس", limit=10)]
    second = [h.article.id for h in hybrid_search(store, vectors, EMB, "الرئيس", limit=10, offset=10)]
    assert len(first) == len(second) == 10 and not set(first) & set(second)


def test_without_vectors_it_is_lexical(env):
    store, _ = env
    hits = hybrid_search(store, None, None, "كوريا الشمالية", limit=5)
    assert hits and all("كوريا" in _text(h) for h in hits)
    assert hybrid_search(store, None, None, "   ") == []
