"""Query parsing: the query side must produce exactly the index side's terms."""

from khabar.arabic import search_terms
from khabar.search.query import highlight_terms, parse_query
from realdata import find_in_corpus


def test_definite_article_and_clitics_reduce_to_the_bare_word():
    bare = parse_query("وزير").terms
    for form in ("الوزير", "للوزير", "بالوزير", "والوزير"):
        assert parse_query(form).terms == bare, form


def test_harakat_in_the_query_do_not_matter():
    passage = find_in_corpus("\\w*[\u064b-\u0652]\\w*")[0]
    word = next(w for w in passage.split() if any("\u064b" <= c <= "\u0652" for c in w))
    plain = "".join(c for c in word if not "\u064b" <= c <= "\u0652")
    assert parse_query(word).terms == parse_query(plain).terms


def test_phrases_exclusions_and_stopwords():
    q = parse_query('"وزير الخارجية" النيجر -فرنسا في')
    assert q.phrases == (tuple(search_terms("وزير الخارجية")),)
    assert q.excluded == tuple(search_terms("فرنسا"))
    assert q.terms == tuple(search_terms("النيجر"))  # في dropped as a stopword


def test_guillemets_are_phrases_too():
    assert parse_query("«الجيش الروسي»").phrases == (tuple(search_terms("الجيش الروسي")),)


def test_a_query_of_only_stopwords_still_searches():
    assert parse_query("من هو").terms


def test_highlight_terms_include_phrase_words():
    q = parse_query('"وزير الخارجية" النيجر')
    assert set(search_terms("وزير الخارجية النيجر")) <= highlight_terms(q)
