"""NER token features on real ANERcorp sentences (no model needed)."""

from __future__ import annotations

import pytest

from khabar.enrich import train_ner
from khabar.enrich.ner_features import (
    OFFSETS,
    Resources,
    context_features,
    sentence_features,
    strip_clitics,
    word_features,
)
from realdata import DATA

ANER = DATA / "anercorp" / "train.txt"
pytestmark = pytest.mark.skipif(not ANER.exists(), reason="needs ../shared/data/anercorp")


def test_clitics_and_article_are_split() -> None:
    assert strip_clitics("والمغرب") == ("وال", "مغرب")
    assert strip_clitics("بان") == ("", "بان")  # too short to lose a letter


def test_quoted_titles_are_marked() -> None:
    # quoted novel titles are MISC in ANERcorp; the tokens between the quotes carry in_quo
    found = 0
    for words, _ in train_ner.read_anercorp(ANER):
        marks = [i for i, w in enumerate(words) if w == '"']
        if len(marks) == 2 and marks[1] - marks[0] == 3:  # one quotation of two words
            i = marks[0]
            feats = sentence_features(words, Resources())
            assert feats[i + 1].get("in_quo") and feats[i + 1].get("quo_first")
            assert feats[i + 2].get("in_quo") and feats[i + 2].get("quo_last")
            assert not any(f.get("in_quo") for f in feats[:i + 1] + feats[i + 3:])
            found += 1
        if found >= 5:
            return
    pytest.fail("fewer than 5 two-word quotations in ANERcorp")


def test_sentence_features_are_word_and_context_parts_without_clashes() -> None:
    # the decoder scores words once and adds their parts; that is only exact if no key is shared
    res = Resources(train_ner.read_gazetteers(DATA / "aner_gazetteers", None))
    for words, _ in train_ner.read_anercorp(ANER)[:200]:
        merged = sentence_features(words, res)
        context = context_features(words, res)
        for i, feats in enumerate(merged):
            parts = [word_features(words[i], res)[1], context[i]]
            parts += [word_features(words[i + off], res)[2][off] for off in OFFSETS if 0 <= i + off < len(words)]
            assert sum(len(p) for p in parts) == len(feats)
            assert all(feats[k] == v for p in parts for k, v in p.items())
