"""Tokens and sentences on real ANT passages."""

import re

from khabar.arabic import iter_tokens, split_sentences, tokenize
from realdata import find_in_corpus


def test_words_with_harakat_stay_one_token():
    passage = find_in_corpus("\\w*ّ\\w*")[0]
    word = re.search("\\w*ّ\\w*", passage).group()
    assert word in tokenize(passage)


def test_latin_words_numbers_and_hashtags():
    passage = find_in_corpus("#\\w+_\\w+")[0]
    tokens = list(iter_tokens(passage))
    tags = [t.text for t in tokens if t.kind == "hashtag"]
    assert tags and all(t.startswith("#") and "_" in t or t.startswith("#") for t in tags)
    latin = find_in_corpus("[A-Za-z]{3,}")[0]
    assert any(t.kind == "latin" for t in iter_tokens(latin))


def test_decimal_number_is_one_token_and_does_not_split_sentences():
    passage = find_in_corpus("\\d+\\.\\d+ ")[0]
    number = re.search("\\d+\\.\\d+", passage).group()
    assert number in tokenize(passage)
    assert not any(s.endswith(number.split(".")[0] + ".") for s in split_sentences(passage))


def test_spans_point_into_the_text():
    passage = find_in_corpus("وزير", context=200)[0]
    for token in iter_tokens(passage):
        assert passage[token.start : token.end] == token.text


def test_sentences_split_on_arabic_question_mark_and_full_stop():
    passage = find_in_corpus("؟ \\w+", context=200)[0]
    sentences = split_sentences(passage)
    assert len(sentences) >= 2
    assert any(s.endswith("؟") for s in sentences)
    assert "".join(sentences).replace(" ", "") == passage.replace(" ", "").replace("\n", "")


def test_sentences_split_on_line_breaks():
    passage = find_in_corpus("[^\n]{20}\n[^\n]{20}")[0]
    assert len(split_sentences(passage)) >= 2
