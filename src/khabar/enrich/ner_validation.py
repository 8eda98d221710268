"""Choosing the NER tagger on validation data inside ANERcorp's training 80% (never the held-out 20%).

The 80% is cut into four jackknife folds: its first 15%, two halves of the middle and its last
15%. A first-stage CRF fitted on the other folds tags each fold, which gives (a) first-stage labels
of every training sentence from a model that did not see it -- the inputs the second stage
(:mod:`khabar.enrich.ner_stack`) is trained on -- and (b) for the first and the last 15%, exactly
the one-stage tagger fitted on the rest: the two validation splits. On each split a second-stage CRF
is fitted on the other folds, and both taggers are scored as the app runs them (documents of
``DOC_SENTENCES``). :func:`~khabar.enrich.ner_decode.tune_bias` picks each tagger's decoding bias by
the mean micro F1 of the two splits, and the tagger with the higher mean is the one shipped.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import numpy as np

from khabar.enrich import train_ner as tn
from khabar.enrich.ner_consistency import propagate
from khabar.enrich.ner_decode import BiasedDecoder, tune_bias
from khabar.enrich.ner_features import Resources, sentence_features
from khabar.enrich.ner_stack import first_stage, second_emissions, stack_features

Scorer = Callable[[dict[str, float]], dict]


def fold_bounds(n: int) -> list[int]:
    """Fold edges over ``n`` training sentences: the first and the last fold (15% each) are the
    validation splits, each validating a tagger fitted on the rest."""
    v = n - int(n * (1 - tn.VALIDATION))
    return [0, v, v + (n - 2 * v) // 2, n - v, n]


def blocks(a: int, b: int) -> list[tuple[int, int]]:
    """Documents of ``DOC_SENTENCES`` consecutive sentences in ``[a, b)``."""
    return [(s, min(s + tn.DOC_SENTENCES, b)) for s in range(a, b, tn.DOC_SENTENCES)]


def jackknife(train: list[tn.Sentence], res: Resources, out_dir: Path) -> tuple[list[list[str]], list[BiasedDecoder]]:
    """First-stage labels of every training sentence, each by the CRF fitted on the other folds
    (documents made consistent within the fold), and those CRFs' decoders, fold by fold."""
    labels: list[list[str]] = []
    decoders: list[BiasedDecoder] = []
    for a, b in pairwise(fold_bounds(len(train))):
        path = tn.train_crf(train[:a] + train[b:], res, out_dir / "fold.crfsuite")
        decoders.append(tn.load_decoder(path))
        path.unlink()
        for s, e in blocks(a, b):
            labels.extend(first_stage(decoders[-1], [w for w, _ in train[s:e]], res))
    return labels, decoders


def stacked_inputs(sents: list[tn.Sentence], labels: list[list[str]], res: Resources,
                   bounds: list[int]) -> list[list[dict[str, object]]]:
    """Second-stage feature dicts of ``sents`` (token features plus :func:`stack_features` of the
    first-stage ``labels``), documents never crossing a fold edge in ``bounds``."""
    out: list[list[dict[str, object]]] = []
    for a, b in pairwise(bounds):
        for s, e in blocks(a, b):
            words = [w for w, _ in sents[s:e]]
            for tokens, extra in zip(words, stack_features(words, labels[s:e]), strict=True):
                out.append([{**f, **x} for f, x in zip(sentence_features(tokens, res), extra, strict=True)])
    return out


def _scorer(valid: list[tn.Sentence], emissions: list[np.ndarray], decoder: BiasedDecoder) -> Scorer:
    gold = [t for _, t in valid]
    words = [w for w, _ in valid]

    def score(bias: dict[str, float]) -> dict:
        shift = decoder.bias_vector(bias)
        pred = [decoder.viterbi(e + shift) for e in emissions]
        docs = [tag for s, e in blocks(0, len(valid)) for tag in propagate(words[s:e], pred[s:e])]
        return tn.evaluate(gold, docs)

    return score


def _stacked_scorer(train: list[tn.Sentence], fold: int, stacked: list, labels: list[list[str]],
                    res: Resources, out_dir: Path) -> Scorer:
    """Fit the second stage on every fold but ``fold``; score ``fold`` tagged by both stages."""
    bounds = fold_bounds(len(train))
    a, b = bounds[fold], bounds[fold + 1]
    gold = [t for _, t in train]
    path = tn.fit_crf(stacked[:a] + stacked[b:], gold[:a] + gold[b:], out_dir / "inner2.crfsuite",
                      tn.STAGE2_C1, tn.STAGE2_C2)
    second = tn.load_decoder(path)
    path.unlink()
    emissions = [row for s, e in blocks(a, b)
                 for row in second_emissions(second, [w for w, _ in train[s:e]], labels[s:e], res)]
    return _scorer(train[a:b], emissions, second)


def _tune(scorers: list[Scorer]) -> dict:
    """Bias maximizing the mean validation micro F1 of the splits, with the scores it gives."""
    best, trials = tune_bias(lambda bias: sum(s(bias)["micro"]["f1"] for s in scorers) / len(scorers), tn.TYPES)
    (first, last), (first_b, last_b) = [s({}) for s in scorers], [s(best) for s in scorers]
    mean = (first_b["micro"]["f1"] + last_b["micro"]["f1"]) / 2
    return {"bias": best, "mean_micro_f1": mean, "unbiased": last, "biased": last_b,
            "first_15%": {"unbiased": first, "biased": first_b}, "trials": trials}


def tune_decoding(train: list[tn.Sentence], res: Resources, out_dir: Path) -> tuple[dict, list[list[str]]]:
    """Validation report (one-stage and two-stage taggers, each with its bias; ``chosen``) and the
    jackknifed first-stage labels of ``train`` (the second stage's training inputs)."""
    labels, decoders = jackknife(train, res, out_dir)
    bounds = fold_bounds(len(train))
    single = []
    for fold in (0, 3):
        valid = train[bounds[fold]:bounds[fold + 1]]
        single.append(_scorer(valid, [decoders[fold].sentence_emissions(w, res) for w, _ in valid], decoders[fold]))
    del decoders
    stacked = stacked_inputs(train, labels, res, bounds)
    two = [_stacked_scorer(train, fold, stacked, labels, res, out_dir) for fold in (0, 3)]
    report = {"validation_sentences": bounds[1], "one_stage": _tune(single), "two_stage": _tune(two)}
    report["chosen"] = max(("one_stage", "two_stage"), key=lambda k: report[k]["mean_micro_f1"])
    return report, labels
