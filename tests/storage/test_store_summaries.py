"""Listing totals and the per-section and per-outlet counts follow every write at once, on every
backend: SQLite keeps these aggregates between writes (storage.sqlite_summaries), and a kept value
must never outlive a change made through this store or through another connection."""

from __future__ import annotations

from collections.abc import Callable

from ant_sample import Sample

from khabar.model import Filters
from khabar.storage import Store

ORIGINALS = Filters(originals=True)


def snapshot(store: Store) -> tuple:
    return (store.count_articles(), store.count_articles(ORIGINALS), dict(store.sections()),
            {s.name: s.articles for s in store.sources()})


def test_aggregates_follow_writes_of_this_store(store: Store, ant: Sample) -> None:
    first, rest = ant.all[: len(ant.all) // 2], ant.all[len(ant.all) // 2 :]
    store.add_articles(first)
    before = snapshot(store)
    assert before == snapshot(store) and before[0] == before[1] == len(first)
    store.add_articles(rest)
    after = snapshot(store)
    assert after[0] == after[1] == len(ant.all)
    assert sum(after[3].values()) == len(ant.all) and after[2] != before[2]
    ids = sorted(a.id for a in store.latest(1000))
    store.set_copy_of([(ids[-1], ids[0])])  # the newest becomes a copy of the oldest
    assert store.count_articles(ORIGINALS) == len(ant.all) - 1 and store.count_articles() == len(ant.all)


def test_aggregates_follow_writes_of_another_connection(open_new: Callable[..., Store], ant: Sample) -> None:
    reader, writer = open_new(), open_new()
    writer.add_articles(ant.all[:5])
    assert snapshot(reader)[0] == 5
    writer.add_articles(ant.all[5:])
    counts = snapshot(reader)
    assert counts[0] == counts[1] == len(ant.all) and sum(counts[3].values()) == len(ant.all)
    assert sum(counts[2].values()) == sum(1 for a in ant.all if a.section)
