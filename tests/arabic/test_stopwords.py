"""Khabar's stopword list: function words, checked against an independent list."""

import csv

import pytest

from khabar.arabic import STOPWORDS, is_stopword, normalize_search, tokenize
from realdata import DATA, find_in_corpus

CLASSIFIED = DATA / "gazetteers_wordlists" / "arabic_stopwords_classified.tsv"


def test_common_function_words_are_stopwords_in_any_spelling():
    for word in ("في", "من", "على", "إلى", "الذي", "التي", "هذا", "أن", "إن"):
        assert is_stopword(word), word


def test_content_words_frequent_in_news_are_not_stopwords():
    passage = find_in_corpus("وزير الخارجية")[0]
    for word in ("وزير", "الخارجية"):
        assert word in passage and not is_stopword(word)


def test_most_tokens_of_real_text_that_are_stopwords_are_short_function_words():
    passage = find_in_corpus("وزير", context=1500)[0]
    tokens = [normalize_search(t) for t in tokenize(passage)]
    share = sum(t in STOPWORDS for t in tokens) / len(tokens)
    assert 0.1 < share < 0.5  # function words are a large but minority share of running text


def test_coverage_of_independent_list_of_bare_function_words():
    if not CLASSIFIED.exists():
        pytest.skip("Arabic-Stopwords list not available")
    with open(CLASSIFIED, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    # Particles (حرف) without clitics: the core any list must have.
    core = {normalize_search(r["word"]) for r in rows if r["type_word"] == "حرف" and len(r["word"]) > 1}
    covered = len(core & STOPWORDS) / len(core)
    assert covered > 0.5, sorted(core - STOPWORDS)[:40]
