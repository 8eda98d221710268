"""Two-stage (stacked) NER on real ANERcorp sentences: the second stage's features, the jackknife
folds, and a small two-stage model loaded by the app's tagger (the licence forbids shipping one)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from khabar.enrich import entities, ner_stack, train_ner
from khabar.enrich.ner_consistency import core
from khabar.enrich.ner_consistency import entities as spans
from khabar.enrich.ner_decode import save_bias
from khabar.enrich.ner_features import Resources
from khabar.enrich.ner_validation import blocks, fold_bounds, stacked_inputs
from khabar.enrich.word_clusters import load_clusters
from realdata import DATA

ANER = DATA / "anercorp" / "train.txt"
pytestmark = pytest.mark.skipif(not ANER.exists(), reason="needs ../shared/data/anercorp")


@pytest.fixture(scope="module")
def sents() -> list[train_ner.Sentence]:
    return train_ner.read_anercorp(ANER)[:400]


def test_stage_one_labels_of_token_and_neighbours(sents: list[train_ner.Sentence]) -> None:
    words, gold = [w for w, _ in sents[:15]], [t for _, t in sents[:15]]
    out = ner_stack.stack_features(words, gold)
    assert [len(s) for s in out] == [len(w) for w in words]
    assert [f["s1"] for f in out[0]] == gold[0]
    assert out[0][0]["-1:s1"] == "PAD" and out[0][-1]["1:s1"] == "PAD"
    assert out[0][1]["-1:s1"] == gold[0][0] and out[0][0]["1:s1"] == gold[0][1]


def test_a_repeat_elsewhere_in_the_document_is_seen(sents: list[train_ner.Sentence]) -> None:
    # a one-word place named in two sentences: erase one mention, its features still say LOC
    words, gold = [w for w, _ in sents[:15]], [list(t) for _, t in sents[:15]]
    seen: dict[str, int] = {}
    for s, tags in enumerate(gold):
        for start, end, kind in sorted(spans(tags)):
            key = core(words[s][start])
            if kind != "LOC" or end - start != 1 or len(key) < 3:
                continue
            if key in seen and seen[key] != s:
                gold[s][start] = "O"
                feats = ner_stack.stack_features(words, gold)[s][start]
                assert feats["s1"] == "O" and feats["doc_top"] == "LOC" and feats["doc_B-LOC"] is True
                return
            seen[key] = s
    pytest.fail("no repeated place name in the first 15 sentences")


def test_untagged_words_say_so(sents: list[train_ner.Sentence]) -> None:
    words = [w for w, _ in sents[:15]]
    for sent in ner_stack.stack_features(words, [["O"] * len(w) for w in words]):
        for feats in sent:
            assert feats.get("doc_top", "O") == "O"
            assert not any(k.startswith(("doc_B", "doc_I")) for k in feats)


def test_folds_hold_the_validation_splits_and_documents_stay_inside() -> None:
    bounds = fold_bounds(3069)
    assert bounds[0] == 0 and bounds[-1] == 3069 and bounds == sorted(bounds)
    v = 3069 - int(3069 * (1 - train_ner.VALIDATION))
    assert bounds[1] == v and bounds[3] == 3069 - v  # first and last 15%
    for a, b in itertools.pairwise(bounds):
        docs = blocks(a, b)
        assert docs[0][0] == a and docs[-1][1] == b
        assert all(e - s <= train_ner.DOC_SENTENCES for s, e in docs)


@pytest.fixture(scope="module")
def two_stage(sents: list[train_ner.Sentence], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small two-stage model, its second stage trained on first-stage labels jackknifed over two
    halves of its 300 training sentences (the real training uses four folds)."""
    tmp = tmp_path_factory.mktemp("ner_stack")
    res = Resources(train_ner.read_gazetteers(DATA / "aner_gazetteers", None), load_clusters())
    train, labels = sents[:300], []
    for a, b in ((0, 150), (150, 300)):
        fold = train_ner.train_crf(train[:a] + train[b:], res, tmp / "fold.crfsuite", max_iter=40)
        first = train_ner.load_decoder(fold)
        labels += [t for s, e in blocks(a, b) for t in ner_stack.first_stage(first, [w for w, _ in train[s:e]], res)]
    stacked = stacked_inputs(train, labels, res, [0, 150, 300])
    assert all("s1" in f for sent in stacked for f in sent)
    train_ner.fit_crf(stacked, [t for _, t in train], tmp / ner_stack.STAGE2_FILE, max_iter=40)
    train_ner.train_crf(train, res, tmp / "model.crfsuite", max_iter=40)
    train_ner.save_resources(res, tmp)
    return tmp


def test_the_tagger_runs_both_stages(two_stage: Path, sents: list[train_ner.Sentence]) -> None:
    tagger = entities.Tagger(two_stage)
    assert tagger.second is not None
    doc = [w for w, _ in sents[300:315]]
    labels = tagger.tag_document(doc)
    assert [len(t) for t in labels] == [len(w) for w in doc]
    allowed = {"O"} | {f"{p}-{t}" for p in "BI" for t in train_ner.TYPES}
    assert {t for tags in labels for t in tags} <= allowed
    assert any(t != "O" for tags in labels for t in tags)
    assert tagger.tag([]) == []


def test_the_bias_moves_the_second_stage(two_stage: Path, sents: list[train_ner.Sentence]) -> None:
    doc = [w for w, _ in sents[300:330]]
    plain = entities.Tagger(two_stage).tag_document(doc)
    save_bias(two_stage, dict.fromkeys(train_ner.TYPES, 3.0), {})
    try:
        biased = entities.Tagger(two_stage).tag_document(doc)
    finally:
        (two_stage / "decode.json").unlink()
    assert sum(t != "O" for s in biased for t in s) > sum(t != "O" for s in plain for t in s)
