"""Full-text search contract, run against every backend on real ANT articles.

Each query is checked against a brute-force oracle over the analyzer's terms,
plus the cases that motivate Khabar's own analyzer (الوزير/للوزير/وزير vs زير).
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from ant_sample import Sample, terms

from khabar.arabic import search_terms
from khabar.model import Article, Filters, TextQuery
from khabar.storage import Store


def q(text: str, **options: object) -> TextQuery:
    """A query of every term of a real word or phrase."""
    return TextQuery(terms=tuple(search_terms(text)), **options)


def _has_phrase(seq: list[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tuple(seq[i : i + n]) == phrase for i in range(len(seq) - n + 1))


def matches(article: Article, query: TextQuery) -> bool:
    """The oracle: does ``query`` match ``article`` (phrases stay within title or body)?"""
    title, body = terms(article)
    words = set(title + body)
    parts = [t in words for t in query.terms]
    parts += [_has_phrase(title, p) or _has_phrase(body, p) for p in query.phrases]
    hit = any(parts) if query.match_any else all(parts)
    return hit and not any(t in words for t in query.excluded)


def expected(ant: Sample, query: TextQuery) -> set[str]:
    return {a.url for a in ant.all if matches(a, query)}


def found(store: Store, query: TextQuery, filters: Filters | None = None) -> list[str]:
    return [s.article.url for s, _ in store.search(query, limit=1000, filters=filters)]


@pytest.fixture
def filled(store: Store, ant: Sample) -> Store:
    store.add_articles(ant.all)
    return store


def test_alwazir_finds_wazir_and_lilwazir_but_not_zir(filled: Store, ant: Sample) -> None:
    query = q("الوزير")
    urls = found(filled, query)
    assert {ant.wazir.url, ant.lilwazir.url} <= set(urls)
    assert ant.zir.url not in urls
    assert set(urls) == expected(ant, query)
    assert set(found(filled, q("للوزير"))) == set(urls)


def test_wazir_does_not_match_zir(filled: Store, ant: Sample) -> None:
    urls = found(filled, q("وزير"))
    assert ant.wazir.url in urls and ant.zir.url not in urls
    assert found(filled, q("زير")) == [ant.zir.url]  # the typo "قال زير الخارجية", and nothing else


def test_harakat_do_not_matter(filled: Store, ant: Sample) -> None:
    title = ant.harakat.title  # carries جُحا with a damma
    word = next(w for w in title.split() if "\u064f" in w)
    bare = word.replace("\u064f", "")
    assert found(filled, q(word)) == found(filled, q(bare)) != []
    assert ant.harakat.url in found(filled, q(bare))
    assert filled.get_article(ant.harakat.url).article.title == title  # display text keeps them


def test_title_counts_more_than_body(open_new, ant: Sample) -> None:
    """The same real sentence as a title outranks it inside a body."""
    store = open_new()
    in_title = Article(url=ant.wazir.url, title=ant.harakat.title, paragraphs=ant.wazir.paragraphs)
    body = [*ant.wazir.paragraphs, ant.harakat.title]
    in_body = Article(url=ant.lilwazir.url, title=ant.wazir.title, paragraphs=body)
    store.add_articles([in_body, in_title])
    ranked = store.search(q("جحا"))
    assert [s.article.url for s, _ in ranked] == [in_title.url, in_body.url]
    assert ranked[0][1] > ranked[1][1] > 0


def test_phrase_needs_adjacent_terms(filled: Store, ant: Sample) -> None:
    phrase = tuple(search_terms("كأس العالم"))
    as_phrase = TextQuery(phrases=(phrase,))
    urls = found(filled, as_phrase)
    assert ant.cup.url in urls and ant.cup_apart.url not in urls
    assert set(urls) == expected(ant, as_phrase)
    assert ant.cup_apart.url in found(filled, TextQuery(terms=phrase))


def test_excluded_terms(filled: Store, ant: Sample) -> None:
    base = q("وزير")
    # Exclude a term of ant.wazir that some, not all, of the وزير articles contain.
    hits = [set(sum(terms(a), [])) for a in ant.all if matches(a, base)]
    some = next(t for t in sorted(set(terms(ant.wazir)[1])) if sum(t in h for h in hits) < len(hits))
    query = replace(base, excluded=(some,))
    urls = found(filled, query)
    assert set(urls) == expected(ant, query) != set()
    assert len(urls) < len(found(filled, base))
    assert ant.wazir.url not in urls  # it contains the excluded term


def test_match_any(filled: Store, ant: Sample) -> None:
    both = TextQuery(terms=(*search_terms("وزير"), *search_terms("زير")))
    assert found(filled, both) == []  # no article has both
    any_ = replace(both, match_any=True)
    urls = found(filled, any_)
    assert {ant.zir.url, ant.wazir.url, ant.lilwazir.url} <= set(urls)
    assert set(urls) == expected(ant, any_)


def test_search_filters_paging_and_scores(filled: Store, ant: Sample) -> None:
    query = q("وزير")
    ranked = filled.search_ids(query, limit=1000)
    scores = [s for _, s in ranked]
    assert scores == sorted(scores, reverse=True) and all(s > 0 for s in scores)
    assert filled.search_ids(query, limit=2, offset=1) == ranked[1:3]
    source = ant.lilwazir.source
    urls = found(filled, query, Filters(source=source))
    assert set(urls) == {u for u in expected(ant, query) if filled.get_article(u).article.source == source}
    assert found(filled, query, Filters(section="no such section")) == []


def test_empty_queries_find_nothing(filled: Store) -> None:
    assert filled.search_ids(TextQuery()) == []
    assert filled.search_ids(TextQuery(excluded=("وزير",))) == []
