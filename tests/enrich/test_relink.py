"""Forgetting an article's old text: :meth:`SimIndex.remove` and :func:`forget_item`, on real
SaudiNewsNet articles of 2015-08-03 (gold dev day)."""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

from khabar.enrich.relink import forget_item
from khabar.enrich.simindex import MERGE, SimIndex
from khabar.enrich.stories import Item, StoryClusterer
from khabar.enrich.vectorize import Vectorizer

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
SNN = DATA / "saudinewsnet" / "saudinewsnet.jsonl.gz"
pytestmark = pytest.mark.skipif(not SNN.exists(), reason="needs ../shared/data (research-only, not shipped)")
T0 = 1438624800.0  # 2015-08-03 18:00 UTC
ARSENAL = ["آرسنال يفوز على تشلسي ويتوج بطلاً للدرع الخيرية", "آرسنال يكسب تشلسي ويطير ببطولة الدرع الخيرية"]
TURKEY = ["تركيا.. هجوم انتحاري يقتل جنديين ويصيب 24", "مقتل جنديين وإصابة 24 في هجوم بشرق تركيا"]


@lru_cache(maxsize=1)
def day() -> list[dict]:
    """The day's articles with a title and a body, in file order, one per title."""
    rows: dict[str, dict] = {}
    with gzip.open(SNN, "rt", encoding="utf-8") as fh:
        for line in fh:
            if '"date_extracted": "2015-08-03' in line:
                row = json.loads(line)
                if row.get("title") and row.get("content"):
                    rows.setdefault(row["title"][:50].strip(), row)
    return list(rows.values())


def by_title(title: str) -> dict:
    return next(r for r in day() if r["title"].startswith(title[:50].strip()))


def test_removed_rows_leave_every_search_even_after_blocks_merge() -> None:
    vec = Vectorizer()
    rows = day()[:300]
    for r in rows:
        vec.observe(vec.counts(r["title"], r["content"]))
    vecs = [vec.vector(vec.counts(r["title"], r["content"])) for r in rows]
    index = SimIndex(block=16)
    for i, v in enumerate(vecs[:100]):
        index.add(i, v, T0 + i)
    gone = [3, 40, 97]  # two in sealed blocks, one in the open buffer (100 = 6 blocks of 16 + 4)
    assert all(index.remove(i) for i in gone) and not index.remove(3) and len(index) == 97
    for i, v in enumerate(vecs[100:], 100):  # enough to seal MERGE blocks and merge them
        index.add(i, v, T0 + i)
    assert len(index) == 297 and len(index._blocks) < 300 // 16 - MERGE + 2
    for i in (0, 3, 40, 41, 97, 150, 299):
        found, sims = index.search(vecs[i], floor=0.05)
        assert (i in found.tolist()) == (i not in gone)
        assert not set(found.tolist()) & set(gone) and not (found == -1).any()
        if i not in gone:
            assert np.isclose(sims[found.tolist().index(i)], 1.0, atol=1e-4)
    index.add(3, vecs[250], T0 + 400)  # the same row with a new text
    found, _ = index.search(vecs[250], floor=0.5)
    assert sorted(found.tolist()) == [3, 250]
    assert 3 not in index.search(vecs[3], floor=0.5)[0].tolist()


def _item(n: int, row: dict, hours: float = 0.0) -> Item:
    return Item(n, row["title"], row["content"], row["source"], T0 + hours * 3600)


def test_forgotten_item_leaves_its_story_and_the_idf_counts() -> None:
    sc, plain = StoryClusterer(), StoryClusterer()
    arsenal, turkey = [by_title(t) for t in ARSENAL], [by_title(t) for t in TURKEY]
    for n, row in enumerate(day()[:40]):
        sc.add(_item(100 + n, row))
        plain.add(_item(100 + n, row))
    a, b = (sc.add(_item(1, arsenal[0], 1)), sc.add(_item(2, arsenal[1], 1.2)))
    t = sc.add(_item(3, turkey[0], 1.5))
    plain.add(_item(3, turkey[0], 1.5))
    assert a == b != t
    assert forget_item(sc, 2) and not forget_item(sc, 2)
    assert sc.stories[a].members == [1] and 2 not in sc.story_of and 2 not in sc.index.search(sc.vecs[1])[0]
    assert forget_item(sc, 1) and a not in sc.stories
    # What is left is what a clusterer that never saw the two reports holds (replay gives the same state).
    assert sc.vectorizer.stats.docs == plain.vectorizer.stats.docs
    assert +sc.vectorizer.stats.df == +plain.vectorizer.stats.df
    # The same id, re-added with the text of another report of the Turkish attack, joins that story.
    assert sc.add(_item(1, turkey[1], 2)) == t and sc.stories[t].members == [3, 1]
