"""Biased Viterbi decoding of the NER CRF, on real ANERcorp sentences.

A small CRF is trained here on 600 ANERcorp sentences (the licence forbids shipping one), and
sentences of the held-out part are decoded with it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pycrfsuite
import pytest

from khabar.enrich import entities, ner_decode, train_ner
from khabar.enrich.ner_features import Resources, sentence_features
from khabar.enrich.word_clusters import load_clusters
from realdata import DATA

ANER = DATA / "anercorp" / "train.txt"
pytestmark = pytest.mark.skipif(not ANER.exists(), reason="needs ../shared/data/anercorp")


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Resources]:
    tmp = tmp_path_factory.mktemp("ner_decode")
    res = Resources(train_ner.read_gazetteers(DATA / "aner_gazetteers", None), load_clusters())
    train_ner.train_crf(train_ner.read_anercorp(ANER)[:600], res, tmp / "model.crfsuite", max_iter=40)
    train_ner.save_resources(res, tmp)
    return tmp, res


@pytest.fixture(scope="module")
def held_out() -> list[train_ner.Sentence]:
    return train_ner.split_heldout(train_ner.read_anercorp(ANER))[1][:80]


def _crf(directory: Path) -> pycrfsuite.Tagger:
    crf = pycrfsuite.Tagger()
    crf.open(str(directory / "model.crfsuite"))
    return crf


def test_unbiased_viterbi_matches_crfsuite(model: tuple[Path, Resources], held_out: list) -> None:
    crf = _crf(model[0])
    decoder = ner_decode.BiasedDecoder(crf)
    for words, _ in held_out:
        feats = sentence_features(words, model[1])
        assert decoder.tag(feats) == list(crf.tag(feats))


def test_per_word_scores_equal_the_feature_dicts_scores(model: tuple[Path, Resources], held_out: list) -> None:
    decoder = ner_decode.BiasedDecoder(_crf(model[0]))
    for words, _ in held_out[:30]:
        fast = decoder.sentence_emissions(words, model[1])
        assert np.allclose(fast, decoder.emissions(sentence_features(words, model[1])))
        assert decoder.tag_tokens(words, model[1]) == decoder.viterbi(fast)


def test_bias_trades_precision_for_recall(model: tuple[Path, Resources], held_out: list) -> None:
    decoder = ner_decode.BiasedDecoder(_crf(model[0]))
    scores = [decoder.emissions(sentence_features(words, model[1])) for words, _ in held_out]
    entity_tokens = []
    for delta in (-50.0, 0.0, 1.0, 3.0, 50.0):
        shift = decoder.bias_vector(dict.fromkeys(train_ner.TYPES, delta))
        labels = [decoder.viterbi(s + shift) for s in scores]
        entity_tokens.append(sum(tag != "O" for tags in labels for tag in tags))
    total = sum(len(words) for words, _ in held_out)
    # the bias is a bonus per entity token, so the best path takes more of them as it grows
    assert entity_tokens == sorted(entity_tokens)
    assert entity_tokens[0] == 0 and entity_tokens[-1] == total
    assert 0 < entity_tokens[1] < entity_tokens[3] < total


def test_tuned_bias_is_no_worse_on_its_data(model: tuple[Path, Resources], held_out: list) -> None:
    decoder = ner_decode.BiasedDecoder(_crf(model[0]))
    scores = [decoder.emissions(sentence_features(words, model[1])) for words, _ in held_out]
    gold = [tags for _, tags in held_out]

    def f1(bias: dict[str, float]) -> float:
        shift = decoder.bias_vector(bias)
        return train_ner.evaluate(gold, [decoder.viterbi(s + shift) for s in scores])["micro"]["f1"]

    best, trials = ner_decode.tune_bias(f1, train_ner.TYPES)
    assert set(best) == set(train_ner.TYPES)
    assert f1(best) == pytest.approx(max(t["f1"] for t in trials), abs=1e-4)
    assert f1(best) >= f1({}) > 0.2


def test_tagger_reads_the_stored_bias(model: tuple[Path, Resources], held_out: list) -> None:
    directory = model[0]
    words = [w for sent, _ in held_out[:20] for w in sent]
    plain = entities.Tagger(directory).tag(words)
    assert plain == list(_crf(directory).tag(sentence_features(words, model[1])))
    ner_decode.save_bias(directory, dict.fromkeys(train_ner.TYPES, 2.0), {})
    try:
        assert ner_decode.load_bias(directory) == dict.fromkeys(train_ner.TYPES, 2.0)
        biased = entities.Tagger(directory).tag(words)
    finally:
        (directory / ner_decode.DECODE_FILE).unlink()
    assert sum(t != "O" for t in biased) > sum(t != "O" for t in plain)
    assert train_ner.entities(biased) != train_ner.entities(plain)
