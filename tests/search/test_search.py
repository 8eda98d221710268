"""End-to-end search over the bundled sample in a real SQLite store."""

import pytest

import khabar.storage.limits as limits_module
import khabar.storage.sqlite_scoring as sqlite_scoring
from khabar.arabic import search_terms
from khabar.ingest.importer import import_files
from khabar.model import Filters, TextQuery
from khabar.search import parse_query, search
from khabar.search.query import highlight_terms
from khabar.search.snippets import make_snippet
from khabar.storage import open_store
from khabar.storage.sqlite import fts5_match
from realdata import SAMPLE, iter_jsonl


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


@pytest.fixture
def bounded(store, monkeypatch):
    """The store with a tiny ranking bound, so that a common word of the sample is "very frequent"."""
    monkeypatch.setattr(limits_module, "RANKED_MAX", 100)
    monkeypatch.setattr(limits_module, "SAMPLE", 400)
    return store


def _unbounded(store, query, monkeypatch, **kwargs):
    with monkeypatch.context() as m:
        m.setattr(limits_module, "RANKED_MAX", 10**9)
        return store.search_ids(query, **kwargs)


def test_a_very_frequent_word_ranks_its_newest_matches_by_bm25(bounded, monkeypatch):
    query = parse_query("قال")  # in about half of the sample
    floor = bounded._ranking_floor(fts5_match(query), bounded.count_articles())
    assert floor > 0
    everything = _unbounded(bounded, query, monkeypatch, limit=10_000)
    assert bounded.search_ids(query, 10) == [p for p in everything if p[0] > floor][:10]


def test_a_rare_word_is_ranked_over_every_match(bounded, monkeypatch):
    query = parse_query("فنزويلا")  # about 25 articles
    assert bounded._ranking_floor(fts5_match(query), bounded.count_articles()) == 0
    assert bounded.search_ids(query, 20) == _unbounded(bounded, query, monkeypatch, limit=20)


def test_a_narrow_filter_still_fills_the_page_of_a_frequent_word(bounded, monkeypatch):
    query, only = parse_query("قال"), Filters(source="بي بي سي عربي")
    everything = _unbounded(bounded, query, monkeypatch, limit=10_000, filters=only)
    page = bounded.search_ids(query, 30, 0, only)
    assert len(everything) >= 30 and len(page) == 30
    assert {i for i, _ in page} <= {i for i, _ in everything}


def test_snippet_of_a_long_paragraph_shows_the_passage_with_the_word():
    filler = " ".join(["كلام"] * 200)
    text = f"{filler} وصل الوزيرُ إلى المدينة {filler}"
    snippet = make_snippet(["مقدمة قصيرة", text], highlight_terms(parse_query("الوزير")))
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert "<mark>الوزيرُ</mark>" in snippet


def test_a_page_shares_one_word_memo_without_changing_its_snippets(env):
    """Hits (the page's memo of which words match) gives the snippets a fresh analysis gives; a memo made for
    other terms is not used."""
    from khabar.search.snippets import Hits

    store, _ = env
    query = parse_query("الحكومة")
    page = [a.article.paragraphs for a, _ in store.search(query, 10)]
    wanted = highlight_terms(query)
    fresh = [make_snippet(p, wanted) for p in page]
    shared = Hits(wanted)
    assert len(page) == 10 and sum("<mark>" in s for s in fresh) >= 5  # others match by their title
    assert [make_snippet(p, wanted, hits=shared) for p in page] == fresh
    assert shared and any(shared.values()) and not all(shared.values())
    other = Hits(highlight_terms(parse_query("المدينة")))
    assert [make_snippet(p, wanted, hits=other) for p in page] == fresh


def test_a_very_common_word_beside_a_rare_one_is_required_but_not_scored(store, monkeypatch):
    """Without the compiled khabar_bm25 (storage.fts5rank), FTS5's bm25 would walk a common word's doclist."""
    monkeypatch.setattr(store.ranking, "enabled", False)
    rare, common = search_terms("فنزويلا قال")  # ~25 articles; about half of the sample
    both = TextQuery(terms=(rare, common))
    everything = store.search_ids(both, 1000)  # below COMMON_DOCS articles: every word scored
    monkeypatch.setattr(sqlite_scoring, "COMMON_DOCS", 100)  # the sample now counts as a large store
    split = store.search_ids(both, 1000)
    assert {i for i, _ in split} == {i for i, _ in everything} and len(split) >= 3  # the same matches
    by_rare = dict(store.search_ids(TextQuery(terms=(rare,)), 1000))
    assert split == [(i, by_rare[i]) for i, _ in sorted(split, key=lambda p: -by_rare[p[0]])]  # ranked by the rare word
    assert split != everything  # the common word's score is gone (else this test shows nothing)
    monkeypatch.setattr(sqlite_scoring, "COMMON_SHARE", 0.99)  # not that common after all: scored again
    assert store.search_ids(both, 1000) == everything


def test_a_word_among_the_last_of_a_long_paragraph_is_marked():
    """The snippet window may end at a paragraph's last word: real sample paragraphs longer than the window
    whose last word occurs nowhere else in them, searched for that word."""
    from khabar.arabic.tokenize import tokenize
    from khabar.search.snippets import WINDOW

    cases = []
    for record in iter_jsonl(SAMPLE):
        for para in record["body"].split("\n"):
            words = tokenize(para)
            stems = [" ".join(search_terms(w)) for w in words]
            if len(words) > WINDOW + 3 and stems[-1] and stems.count(stems[-1]) == 1 and len(words[-1]) > 3:
                cases.append((para, words[-1]))
    assert len(cases) >= 50
    for para, word in cases[:200]:
        assert f"<mark>{word}</mark>" in make_snippet([para], highlight_terms(parse_query(word))), (word, para)
