"""What related-article ranking reads (heads, bodies, shared labels): the Store contract on every backend.

Articles are real ANT articles; entities are real ANERcorp gold mentions; tags are words of the articles' titles.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from ant_sample import Sample

from aner_entities import ANER, gold_entities
from khabar.storage import Store
from khabar.storage.rows import tag_key

pytestmark = pytest.mark.skipif(not ANER.exists(), reason="needs ../shared/data/anercorp")


def _labelled(ant: Sample, n: int = 6):
    """Real articles with overlapping slices of real entities and of their own title words as tags."""
    gold = gold_entities(80)
    words = [w for a in ant.all[:n] for w in a.title.split() if len(w) > 3]
    return [replace(a, entities=gold[3 * k : 3 * k + 12], tags=words[2 * k : 2 * k + 6])
            for k, a in enumerate(ant.all[:n])]


def test_heads_are_the_articles_without_bodies_tags_or_entities(store: Store, ant: Sample) -> None:
    arts = _labelled(ant)
    store.add_articles(arts)
    full = store.latest(10)
    ids = [a.id for a in full][::-1] + [10**9]  # any order; a missing id is skipped
    heads = store.article_heads(ids)
    assert [h.id for h in heads] == ids[:-1]
    for head in heads:
        whole = next(a for a in full if a.id == head.id)
        blank = replace(whole.article, paragraphs=[], attributions=[], tags=[], entities=[])
        assert head.article == blank and head.story_id == whole.story_id and head.copy_of == whole.copy_of
        assert head.article.lead and not head.article.body
    assert store.article_heads([]) == []


def test_bodies_by_id(store: Store, ant: Sample) -> None:
    store.add_articles(ant.all[:4])
    full = store.latest(10)
    bodies = store.article_bodies([a.id for a in full] + [10**9])
    assert bodies == {a.id: a.article.paragraphs for a in full}
    assert store.article_bodies([]) == {}


def test_shared_labels_count_the_seed_keys_each_article_carries(store: Store, ant: Sample) -> None:
    store.add_articles(_labelled(ant))
    full = store.latest(10)
    seed = full[0]
    entity_keys = {tag_key(e.text) for e in seed.article.entities}
    tag_keys = {tag_key(t) for t in seed.article.tags}
    shared = store.shared_labels([a.id for a in full], entity_keys, tag_keys)
    expected = {a.id: (len(entity_keys & {tag_key(e.text) for e in a.article.entities}),
                       len(tag_keys & {tag_key(t) for t in a.article.tags})) for a in full}
    assert shared == expected
    assert any(0 < e < len(entity_keys) for e, _ in shared.values())  # partial overlaps exist, not just all or none
    assert any(0 < t < len(tag_keys) for _, t in shared.values())
    assert store.shared_labels([seed.id], [], []) == {seed.id: (0, 0)}


def test_heads_leave_out_articles_whose_text_moved_past_the_vector_version(store: Store, ant: Sample) -> None:
    store.add_articles(ant.all[:5])
    ids = [a.id for a in store.latest(10)]
    now = store.text_versions(ids)
    assert [h.id for h in store.article_heads(ids, now)] == ids
    stale, unknown, missing = ids[0], ids[1], ids[2]
    versions = {**now, stale: now[stale] ^ 1, unknown: 0}  # 0: a vector of unknown version is served
    del versions[missing]  # no vector at all
    assert [h.id for h in store.article_heads(ids, versions)] == [i for i in ids if i not in (stale, missing)]
