"""Document-level label consistency on real ANERcorp sentences (no model needed)."""

from __future__ import annotations

import pytest

from khabar.enrich import train_ner
from khabar.enrich.ner_consistency import entities, propagate
from realdata import DATA

ANER = DATA / "anercorp" / "train.txt"
pytestmark = pytest.mark.skipif(not ANER.exists(), reason="needs ../shared/data/anercorp")


@pytest.fixture(scope="module")
def sentences() -> list[train_ner.Sentence]:
    return train_ner.read_anercorp(ANER)


def test_spans_are_conll_style() -> None:
    assert entities(["B-PERS", "I-PERS", "O", "I-LOC", "B-ORG", "B-ORG"]) == {
        (0, 2, "PERS"), (3, 4, "LOC"), (4, 5, "ORG"), (5, 6, "ORG")}


def test_gold_labels_are_kept(sentences: list[train_ner.Sentence]) -> None:
    # propagating over gold labels only ever adds: every gold entity survives unchanged
    block = sentences[:40]
    words, gold = [w for w, _ in block], [t for _, t in block]
    for before, after in zip(gold, propagate(words, gold), strict=True):
        assert entities(before) <= entities(after)


def test_a_missed_repeat_is_restored(sentences: list[train_ner.Sentence]) -> None:
    # find a one-word LOC that occurs (tagged) in two sentences of a 15-sentence block, erase one
    for a in range(0, 600, 15):
        block = sentences[a:a + 15]
        seen: dict[str, int] = {}
        for s, (words, tags) in enumerate(block):
            for start, end, kind in entities(tags):
                if kind == "LOC" and end - start == 1 and len(words[start]) >= 4:
                    if words[start] in seen and seen[words[start]] != s:
                        erased = [list(t) for _, t in block]
                        erased[s][start] = "O"
                        out = propagate([w for w, _ in block], erased)
                        assert out[s][start] == "B-LOC"
                        assert out[seen[words[start]]] == erased[seen[words[start]]]
                        return
                    seen[words[start]] = s
    pytest.fail("no repeated place name in the first 600 sentences")


def test_surname_of_a_person_counts_as_that_person(sentences: list[train_ner.Sentence]) -> None:
    for words, tags in sentences:
        two = [(s, e) for s, e, k in entities(tags) if k == "PERS" and e - s == 2 and len(words[e - 1]) >= 4]
        if two:
            s, e = two[0]
            surname = words[e - 1]
            doc = [words, ["قال", surname, "امس"]]
            out = propagate(doc, [tags, ["O", "O", "O"]])
            assert out[1] == ["O", "B-PERS", "O"]
            return
    pytest.fail("no two-word person name in ANERcorp")


def test_a_tie_goes_to_the_first_mention(sentences: list[train_ner.Sentence]) -> None:
    # a name tagged PERS then LOC in one sentence: its untagged repeat takes the first type, whatever
    # order Python's (seeded) hashing gives the set of spans
    words, tags = next((w, t) for w, t in sentences if t.count("B-LOC") == 1 and len(w) > 8
                       and len(w[t.index("B-LOC")]) >= 4 and t[t.index("B-LOC") + 1] != "I-LOC")
    name = words[tags.index("B-LOC")]
    sentence = ["زار", name, "ثم", name, "و", name]
    labels = ["O", "B-PERS", "O", "B-LOC", "O", "O"]
    for shift in range(6):  # the same document with the mentions placed differently in the hash table
        doc = [["قال"] * shift + sentence]
        out = propagate(doc, [["O"] * shift + labels])[0]
        assert out[shift:] == ["O", "B-PERS", "O", "B-LOC", "O", "B-PERS"]
