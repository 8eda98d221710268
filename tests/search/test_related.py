"""Related articles over the bundled sample: never the article itself, never a copy."""

from __future__ import annotations

from collections import defaultdict

import pytest

from khabar.enrich.embeddings import HashingEmbedder
from khabar.ingest.importer import import_files
from khabar.search.related import related
from khabar.search.vectors import VectorIndex
from khabar.storage import open_store
from realdata import SAMPLE

EMB = HashingEmbedder()  # deterministic: the same vectors as the shared ``env`` fixture


@pytest.fixture(scope="module")
def twins(env):
    """Groups of sample articles with identical bodies (ANT files one text under two sections)."""
    store, _ = env
    groups = defaultdict(list)
    for a in store.latest(10_000):
        groups[a.article.content_hash].append(a)
    found = [g for g in groups.values() if len(g) > 1]
    assert len(found) >= 10
    return found


def _all(result):
    return [*result.read_also, *result.similar]


def test_never_the_article_itself_nor_its_copy(env, twins):
    store, vectors = env
    for group in twins:
        hashes = {a.article.content_hash for a in group}
        for seed in group:
            picks = _all(related(store, vectors, seed.id))
            assert seed.id not in [p.article.id for p in picks]
            assert not hashes & {p.article.article.content_hash for p in picks}, seed.article.title


def test_a_list_never_holds_two_copies_of_one_text(env):
    store, vectors = env
    for seed in store.latest(60):
        similar = related(store, vectors, seed.id).similar
        hashes = [p.article.article.content_hash for p in similar]
        assert len(hashes) == len(set(hashes))
        assert len(similar) <= 10


def test_read_also_is_one_to_three_same_topic_picks(env):
    store, vectors = env
    seeds = store.latest(40)
    results = [related(store, vectors, s.id) for s in seeds]
    with_similar = [r for r in results if r.similar]
    assert len(with_similar) >= 30  # the sample covers each topic with many articles
    assert all(1 <= len(r.read_also) <= 3 for r in with_similar)
    assert all(p.cosine >= 0.3 for r in with_similar for p in r.similar)  # the floor: no generic-word matches


def test_unknown_article_or_no_vectors_gives_nothing(env):
    store, vectors = env
    assert related(store, vectors, 10**9).similar == []
    assert related(store, None, store.latest(1)[0].id).similar == []


def test_picks_share_the_seeds_lead_names(env):
    """Name overlap (the seed's rarest title + lead stems in the candidates' stored signatures) lifts picks."""
    from khabar.search.related import _name_share, _seed_names

    store, vectors = env
    seeds = store.latest(30)
    others = [o.id for o in store.latest(400)[200:220]]
    picked, background = [], []
    for seed in seeds:
        names = _seed_names(seed)
        ids = [p.article.id for p in related(store, vectors, seed.id).similar]
        picked += list(_name_share(names, vectors.get_signatures(ids)[0]))
        background += list(_name_share(names, vectors.get_signatures([o for o in others if o != seed.id])[0]))
    assert picked and sum(picked) / len(picked) > 2 * sum(background) / len(background)


def test_a_rewrite_of_the_same_event_is_not_a_copy(env):
    """Shared words are not a copy; shared word triples (a reprint with a new intro) are."""
    from dataclasses import replace

    from khabar.search.related import _CopyGuard

    store, _ = env
    a = next(s for s in store.latest(50) if len(s.article.body.split()) >= 60)
    words = a.article.body.split()
    shuffled = [" ".join(words[::2] + words[1::2])]
    reordered = replace(a, id=-1, article=replace(a.article, url="x:1", paragraphs=shuffled))
    intro = ["مقدمة جديدة", *a.article.paragraphs]
    reprint = replace(a, id=-2, article=replace(a.article, url="x:2", paragraphs=intro))
    assert _CopyGuard(a).admit(reordered)
    assert not _CopyGuard(a).admit(reprint)
    guard = _CopyGuard(reordered)
    assert guard.admit(a) and not guard.admit(reprint)  # a reprint of an earlier pick is skipped too


def test_store_copy_links_and_story_members(tmp_path):
    """A stored copy (linked at import) is never picked; the seed's story (or as close) comes before the rest."""
    from khabar.enrich.linker import Linker
    from khabar.search.related import floors

    store = open_store(str(tmp_path / "k.db"))
    import_files(store, [SAMPLE], after_batch=Linker(store).link)
    vectors = VectorIndex(tmp_path / "k.db.vectors")
    vectors.update(store, EMB)
    arts = store.latest(10_000)
    copies = [a for a in arts if a.copy_of]
    assert copies
    for seed in copies[:15]:
        picked = {p.article.article.url for p in related(store, vectors, seed.id).similar}
        assert seed.copy_of not in picked and seed.article.url not in picked
    storied = [a for a in arts if a.story_id is not None]
    sizes = {}
    for a in storied:
        sizes[a.story_id] = sizes.get(a.story_id, 0) + 1
    seeds = [a for a in storied if sizes[a.story_id] >= 3][:15]
    assert seeds
    for seed in seeds:
        similar = related(store, vectors, seed.id).similar
        same = [p.article.story_id == seed.story_id or p.cosine >= floors(vectors.model)[1] for p in similar]
        assert same and same[0], seed.article.title  # the same event first
        assert same == sorted(same, reverse=True)  # then topical neighbours
    store.close()


def test_copy_guard_reads_bodies_of_distinct_texts_only(env):
    """Bodies are prefetched for the likely picks minus linked copies of one of them (rejected without a body);
    a body not prefetched is read when needed, and the article built with it is the stored one."""
    from dataclasses import replace

    from khabar.search.related import _CopyGuard

    store, _ = env
    seed, *others = [a for a in store.latest(50) if len(a.article.body.split()) >= 30][:4]
    heads = store.article_heads([a.id for a in others])
    linked = replace(heads[0], id=-5, copy_of=heads[0].article.url)  # a stored copy of the first head
    asked: list[list[int]] = []

    def load(ids: list[int]) -> dict[int, list[str]]:
        asked.append(list(ids))
        return store.article_bodies(ids)

    guard = _CopyGuard(seed, load)
    guard.prefetch([heads[0], linked, heads[1], heads[2]], limit=2)
    assert asked == [[heads[0].id, heads[1].id]]
    assert guard.admit(heads[0]) and not guard.admit(linked) and len(asked) == 1
    assert guard.full(heads[2]).article.body == others[2].article.body and asked[-1] == [heads[2].id]


def test_a_vector_older_than_its_articles_text_is_never_served(tmp_path):
    """An article rewritten after it was embedded leaves the lists its old vector belonged to, and as a seed
    it is embedded anew (or gives nothing without an embedder) until ``khabar embed`` runs."""
    from dataclasses import replace

    store = open_store(str(tmp_path / "k.db"))
    import_files(store, [SAMPLE])
    vectors = VectorIndex(tmp_path / "k.db.vectors")
    vectors.update(store, EMB)
    seed = next(s for s in store.latest(200) if related(store, vectors, s.id).similar)
    victim = related(store, vectors, seed.id).similar[0].article
    donor = next(a for a in store.latest(2000)[::-1] if a.article.section != seed.article.section)
    store.add_articles([replace(victim.article, title=donor.article.title, paragraphs=donor.article.paragraphs)])
    assert victim.id not in [p.article.id for p in _all(related(store, vectors, seed.id))]
    assert related(store, vectors, victim.id).similar == []  # no embedder: its old vector is not used
    fresh = {p.article.id for p in related(store, vectors, victim.id, EMB).similar}  # embedded from its new text
    donors = {p.article.id for p in related(store, vectors, donor.id).similar} - {victim.id}
    assert donors and len(fresh & donors) >= len(donors) // 2
    store.close()
