"""End-to-end search over the bundled sample in a real SQLite store."""

import pytest

from khabar.ingest.importer import import_files
from khabar.search import search
from khabar.storage import open_store
from realdata import SAMPLE


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store = open_store(str(tmp_path_factory.mktemp("search") / "k.db"))
    import_files(store, [SAMPLE])
    yield store
    store.close()


def test_definite_query_finds_indefinite_and_clitic_forms(store):
    hits = search(store, "الوزير", limit=50)
    bodies = [" ".join([h.article.article.title, *h.article.article.paragraphs]) for h in hits]
    assert any("الوزير" not in b and "وزير" in b for b in bodies)


def test_snippets_mark_matching_words_as_written(store):
    hits = search(store, "الوزير", limit=5)
    assert hits and all("<mark>" in h.snippet for h in hits)
    marked = hits[0].snippet.split("<mark>")[1].split("</mark>")[0]
    assert "وزير" in marked


def test_title_matches_rank_first(store):
    hit = search(store, "كوريا الشمالية", limit=1)[0]
    assert "كوريا" in hit.article.article.title


def test_exclusion_removes_results(store):
    with_word = search(store, "كوريا", limit=100)
    without = search(store, "كوريا -ترامب", limit=100)
    assert len(without) < len(with_word)
    assert all("ترامب" not in " ".join(h.article.article.paragraphs) for h in without)


def test_falls_back_to_any_word_when_all_words_match_nothing(store):
    assert search(store, "كوريا زززز", limit=5)


def test_pagination_does_not_repeat_results(store):
    first = [h.article.id for h in search(store, "الرئيس", limit=10)]
    second = [h.article.id for h in search(store, "الرئيس", limit=10, offset=10)]
    assert first and second and not set(first) & set(second)
