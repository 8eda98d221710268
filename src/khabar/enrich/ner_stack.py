"""Second-stage ("stacked") NER, after Krishnan & Manning (2006, "An effective two-stage model
for exploiting non-local dependencies in named entity recognition").

The first CRF tags each sentence alone; its labels are made consistent across the document
(:func:`~khabar.enrich.ner_consistency.propagate`). A second CRF then sees, besides the same token
features, what the first stage said about the token and its neighbours and -- the document-level
part -- how the same clitic-free word was labelled elsewhere in the document (an unseen club name
tagged ORG twice is likely ORG a third time, a word tagged once as PERS among five untagged
repeats is likely not a name). On training data the first-stage labels come from CRFs that did
not see the sentence (jackknifing, ``train_ner.jackknife``), so the second CRF learns how far to
trust them as it must on new text. The decoding bias (:mod:`khabar.enrich.ner_decode`) applies to
the second stage only; the first is decoded as crfsuite does, as its training labels were.

On ANERcorp (``bench/ner.py``) validation chose it over one CRF by a hair: mean micro F1 of the
first and last 15% of the training 80% 0.7996 against 0.7989 (six second-stage settings were tried
there, see ``train_ner.STAGE2_C1``); held-out 20%: 0.752 against 0.749 micro, 0.704 both macro, ORG
0.602 against 0.592. It helps documents only: one sentence alone scores 0.729 against 0.741, and
tagging costs about twice the CPU of one CRF.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np

from khabar.enrich.ner_consistency import core, propagate, spreadable
from khabar.enrich.ner_decode import BiasedDecoder
from khabar.enrich.ner_features import Resources

Features = list[dict[str, object]]
STAGE2_FILE = "stage2.crfsuite"  # the second CRF, next to the first (``model.crfsuite``) when the model has one
_PAD = "PAD"


def _votes(cores: list[list[str]], labels: list[list[str]]) -> dict[str, Counter]:
    votes: dict[str, Counter] = defaultdict(Counter)
    for words, tags in zip(cores, labels, strict=True):
        for word, tag in zip(words, tags, strict=True):
            votes[word][tag] += 1
    return votes


def _doc_features(word: str, tag: str, votes: dict[str, Counter]) -> dict[str, object]:
    """First-stage labels of the other occurrences of ``word`` in the document."""
    if not spreadable(word):
        return {}
    others = votes[word].copy()
    others[tag] -= 1
    n = sum(others.values())
    if not n:
        return {}
    feats: dict[str, object] = {"doc_n": str(min(n, 3))}
    types: Counter = Counter()
    for label, count in others.items():
        if count > 0 and label != "O":
            feats[f"doc_{label}"] = True
            types[label.partition("-")[2]] += count
    feats["doc_top"] = types.most_common(1)[0][0] if types else "O"
    if types:
        feats["doc_frac"] = sum(types.values()) / n
    return feats


def stack_features(sentences: list[list[str]], labels: list[list[str]]) -> list[Features]:
    """The second stage's extra features for one document's sentences, given the first stage's
    (document-consistent) ``labels``: the labels of each token and its neighbours, and the labels
    of its repeats elsewhere in the document. The token features proper are added by the caller."""
    cores = [[core(w) for w in sent] for sent in sentences]
    votes = _votes(cores, labels)
    out: list[Features] = []
    for words, tags in zip(cores, labels, strict=True):
        padded = [_PAD, _PAD, *tags, _PAD, _PAD]
        sent: Features = []
        for i, (word, tag) in enumerate(zip(words, tags, strict=True)):
            feats: dict[str, object] = {
                "s1": tag, "-2:s1": padded[i], "-1:s1": padded[i + 1], "1:s1": padded[i + 3],
                "2:s1": padded[i + 4], "-1:s1|s1": f"{padded[i + 1]}|{tag}", "s1|1:s1": f"{tag}|{padded[i + 3]}"}
            feats.update(_doc_features(word, tag, votes))
            sent.append(feats)
        out.append(sent)
    return out


def first_stage(first: BiasedDecoder, sentences: list[list[str]], res: Resources) -> list[list[str]]:
    """The first CRF's labels of a document, unbiased, made consistent across the document."""
    return propagate(sentences, [first.viterbi(first.sentence_emissions(s, res)) for s in sentences])


def second_emissions(second: BiasedDecoder, sentences: list[list[str]], labels: list[list[str]],
                     res: Resources) -> list[np.ndarray]:
    """The second CRF's state scores (tokens × labels, unbiased) of a document's sentences, given
    the first stage's ``labels`` of the same document."""
    return [second.sentence_emissions(words, res, extra)
            for words, extra in zip(sentences, stack_features(sentences, labels), strict=True)]


def both_stages(first: BiasedDecoder, second: BiasedDecoder, sentences: list[list[str]],
                res: Resources) -> list[list[str]]:
    """BIO labels of one document by both stages (the second with its stored bias), before the
    final document consistency step."""
    scores = second_emissions(second, sentences, first_stage(first, sentences, res), res)
    return [second.viterbi(e + second.bias) for e in scores]


def tag_document(first: BiasedDecoder, second: BiasedDecoder, sentences: list[list[str]],
                 res: Resources) -> list[list[str]]:
    """BIO labels of one document by both stages, made consistent across the document."""
    return propagate(sentences, both_stages(first, second, sentences, res))
