"""Named entities: BIO output, spans, no network, and quality on held-out ANERcorp sentences.

The model is not shipped (ANERcorp is research-only, see khabar.enrich.entities). These tests use
the locally trained model when there is one; otherwise they train a small smoke model on 600
sentences, and the quality test is skipped (run `khabar train ner` for it).
"""

from __future__ import annotations

import socket

import pytest

from khabar.enrich import entities, train_ner
from khabar.enrich.ner_consistency import propagate
from khabar.enrich.ner_features import Resources
from khabar.enrich.word_clusters import load_clusters
from realdata import DATA

ANER = DATA / "anercorp" / "train.txt"
pytestmark = pytest.mark.skipif(not ANER.exists(), reason="needs ../shared/data/anercorp")


@pytest.fixture(scope="module")
def full_model(tmp_path_factory: pytest.TempPathFactory) -> bool:
    """Point the tagger at a model: the trained one if present, else a smoke model."""
    entities._tagger = None
    if (entities.model_dir() / "model.crfsuite").exists():
        yield True
        return
    tmp = tmp_path_factory.mktemp("ner")
    res = Resources(train_ner.read_gazetteers(DATA / "aner_gazetteers", None), load_clusters())
    train_ner.train_crf(train_ner.read_anercorp(ANER)[:600], res, tmp / "model.crfsuite", max_iter=40)
    train_ner.save_resources(res, tmp)
    entities._tagger = entities.Tagger(tmp)
    yield False
    entities._tagger = None


def test_tag_tokens_is_valid_bio(full_model: bool) -> None:
    tokens = ["وقال", "رئيس", "الوزراء", "البريطاني", "توني", "بلير", "في", "لندن", "امس"]
    labels = entities.tag_tokens(tokens)
    assert len(labels) == len(tokens)
    allowed = {"O"} | {f"{p}-{t}" for p in "BI" for t in train_ner.TYPES}
    assert set(labels) <= allowed
    assert entities.tag_tokens([]) == []


def test_extract_entities_spans_point_into_text(full_model: bool) -> None:
    # a real sentence of the ANT corpus (BBC Arabic, 2018)
    text = ("وبالرغم من وجود حدود لها مع الشمالية والعلاقات الودية نسبياً التي يبدو أن الرئيس الروسي "
            "فلاديمير بوتين يريد تطويرها أكثر، ظلت روسيا حتى الآن على الهامش إلى حد كبير.")
    found = entities.extract_entities(text)
    for ent in found:
        assert text[ent.start : ent.end] == ent.text
        assert ent.type in train_ner.TYPES
    if full_model:
        assert ("فلاديمير بوتين", "PERS") in {(e.text, e.type) for e in found}
        assert ("روسيا", "LOC") in {(e.text, e.type) for e in found}


def test_loads_without_network(monkeypatch: pytest.MonkeyPatch, full_model: bool) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "socket", refuse)
    if full_model:
        tagger = entities.Tagger(entities.model_dir())
        assert len(tagger.tag(["زار", "أوباما", "القاهرة"])) == 3


def test_held_out_sentences(full_model: bool) -> None:
    if not full_model:
        pytest.skip("no trained NER model: run `khabar train ner`")
    _, held_out = train_ner.split_heldout(train_ner.read_anercorp(ANER))
    sample = held_out[:150]
    predicted = [entities.tag_tokens(words) for words, _ in sample]
    report = train_ner.evaluate([tags for _, tags in sample], predicted)
    assert report["micro"]["f1"] >= 0.6
    assert report["LOC"]["f1"] >= 0.75


def test_tag_sentences_is_consistent_across_the_document(full_model: bool) -> None:
    # a name tagged in one sentence is tagged wherever it recurs: the document-level consistency
    # step (the last one, after one or two CRF stages) has nothing left to add
    _, held_out = train_ner.split_heldout(train_ner.read_anercorp(ANER))
    doc = [words for words, _ in held_out[:15]]
    together = entities.tag_sentences(doc)
    assert [len(t) for t in together] == [len(w) for w in doc]
    assert propagate(doc, together) == together
    assert any(t != "O" for tags in together for t in tags)
