"""The ranking cap of search_ids on every backend: a query matching more than RANKED_MAX articles ranks
only its newest matches (more while a page comes out short); other queries rank everything.

Real ANT articles; the cap is lowered (RANKED_MAX 5, SAMPLE 10) so that 32 articles exercise it.
"""

from __future__ import annotations

import pytest
from ant_sample import Sample

from khabar.arabic import search_terms
from khabar.model import TextQuery
from khabar.storage import Store, limits


def ids(store: Store, text: str, limit: int) -> list[int]:
    return [i for i, _ in store.search_ids(TextQuery(terms=tuple(search_terms(text))), limit)]


def test_a_common_word_ranks_its_newest_matches_and_still_fills_the_page(
    store: Store, ant: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.add_articles(ant.all)  # ids follow insertion order: the last ones are the newest
    newest = max(a.id for a in store.latest(1000))
    everything = ids(store, "في", 1000)  # in every article: uncapped while RANKED_MAX is the default
    assert len(everything) == len(ant.all) == newest
    monkeypatch.setattr(limits, "RANKED_MAX", 5)
    monkeypatch.setattr(limits, "SAMPLE", 10)
    floor = newest - 5  # all of the newest 10 match: 5 of them are ranked
    capped = ids(store, "في", 3)
    assert capped == [i for i in everything if i > floor][:3]  # the same order, among the newest only
    assert capped != everything[:3]  # the cap changed the page (else this test shows nothing)
    assert ids(store, "في", 10) == everything[:10]  # 5 above the floor are too few: it drops to 0
    rare = ids(store, "وزير", 1000)
    monkeypatch.setattr(limits, "RANKED_MAX", 10**6)
    assert rare == ids(store, "وزير", 1000) and 0 < len(rare) < 5  # few matches: never capped
