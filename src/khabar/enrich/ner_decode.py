"""Viterbi decoding of the NER CRF with a recall bias per entity type.

The CRF is trained for likelihood, and on ANERcorp it ends up cautious: it
misses far more ORG and MISC names than it invents (held-out precision 0.70 /
0.78, recall 0.48 / 0.46). Minkov et al. (2006, "NER systems that suit user's
preferences: adjusting the recall-precision trade-off for entity extraction")
shift that trade-off at decode time by adding a constant to the score of the
entity labels. :class:`BiasedDecoder` reads the trained weights out of the
crfsuite model (``Tagger.info()``) and runs its own Viterbi over them, with
``bias[type]`` added to the ``B-type`` and ``I-type`` scores of every token.
With no bias it returns exactly what crfsuite's own ``tag`` returns, and it is
no slower: a word's scores are summed once and reused. The biases are chosen on
validation data inside the training 80% (:func:`tune_bias`, called by
``ner_validation.tune_decoding`` on two inner splits) and stored next to the model
(``decode.json``). On ANERcorp that chose PERS 0.5, ORG 0.25, MISC 0.75, LOC 0:
validation micro F1 0.773 -> 0.776 and 0.816 -> 0.822, held-out 0.743 -> 0.749
(``bench/ner.py``). The gain is small because most missed ORG/MISC names are far
from the decision boundary (club names, novel titles the CRF has no cue for).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from khabar.enrich.ner_features import OFFSETS, Resources, context_features, word_features

DECODE_FILE = "decode.json"
GRID = (0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0)  # candidate biases (CRF score units)


class BiasedDecoder:
    """The state and transition weights of a crfsuite model, decoded with per-type biases."""

    def __init__(self, crf: object, bias: dict[str, float] | None = None) -> None:
        info = crf.info()  # type: ignore[attr-defined]
        self.labels: list[str] = sorted(info.labels, key=lambda name: int(info.labels[name]))
        index = {label: i for i, label in enumerate(self.labels)}
        rows: dict[str, np.ndarray] = {}
        for (attr, label), weight in info.state_features.items():
            rows.setdefault(attr, np.zeros(len(self.labels)))[index[label]] = weight
        self._attrs = {attr: i for i, attr in enumerate(rows)}
        # one row per attribute, then a zero row for attributes the model does not know
        self._weights = np.vstack([*rows.values(), np.zeros(len(self.labels))])
        self._words: dict[str, np.ndarray] = {}  # word -> its score rows, see :meth:`sentence_emissions`
        self.transitions = np.zeros((len(self.labels), len(self.labels)))
        for (src, dst), weight in info.transitions.items():
            self.transitions[index[src], index[dst]] = weight
        self.bias = self.bias_vector(bias or {})

    def bias_vector(self, bias: dict[str, float]) -> np.ndarray:
        """Per-label additive scores: ``bias[type]`` on ``B-type`` and ``I-type``, 0 on ``O``."""
        return np.array([bias.get(label.partition("-")[2], 0.0) for label in self.labels])

    def emissions(self, xseq: Sequence[dict[str, object]]) -> np.ndarray:
        """State scores (tokens × labels) of a sentence's feature dicts."""
        unknown, find = len(self._attrs), self._attrs.get  # unknown attributes read the zero row
        rows: list[int] = []
        values: list[float] = []
        starts = []
        for feats in xseq:
            starts.append(len(rows))
            rows.append(unknown)  # every token gets a row, even with no features
            values.append(0.0)
            for key, value in feats.items():  # as python-crfsuite: a string value joins the name, weight 1
                if value.__class__ is str:
                    rows.append(find(f"{key}:{value}", unknown))
                    values.append(1.0)
                else:
                    rows.append(find(key, unknown))
                    values.append(value)  # type: ignore[arg-type]
        if not starts:
            return np.zeros((0, len(self.labels)))
        weighted = self._weights[rows] * np.array(values, dtype=float)[:, None]
        return np.add.reduceat(weighted, starts, axis=0)

    def sentence_emissions(self, tokens: list[str], res: Resources,
                           extra: Sequence[dict[str, object]] | None = None) -> np.ndarray:
        """:meth:`emissions` of ``sentence_features(tokens, res)``, computed from per-word score rows
        (own features and neighbour features at each offset, cached) plus the few context features
        (and ``extra``, one more feature dict per token: the second stage's, :mod:`~khabar.enrich.ner_stack`)."""
        if not tokens:
            return np.zeros((0, len(self.labels)))
        rows = np.stack([self._word_rows(t, res) for t in tokens])  # tokens × (1 + offsets) × labels
        context = context_features(tokens, res)
        if extra is not None:
            context = [{**c, **e} for c, e in zip(context, extra, strict=True)]
        out = rows[:, 0] + self.emissions(context)
        for k, off in enumerate(OFFSETS, start=1):  # token i scores word i+off's features at offset off
            if off > 0:
                out[:-off] += rows[off:, k]
            else:
                out[-off:] += rows[:off, k]
        return out

    def _word_rows(self, word: str, res: Resources) -> np.ndarray:
        rows = self._words.get(word)
        if rows is None:
            if len(self._words) > 50_000:  # about 20 MB of score rows
                self._words.clear()
            _, own, neighbours = word_features(word, res)
            rows = self._words[word] = self.emissions([own, *(neighbours[off] for off in OFFSETS)])
        return rows

    def viterbi(self, scores: np.ndarray) -> list[str]:
        """Best label sequence for state ``scores`` (already biased) and the transitions."""
        if not len(scores):
            return []
        best, back = scores[0], []
        for row in scores[1:]:
            cand = best[:, None] + self.transitions
            back.append(cand.argmax(axis=0))
            best = cand.max(axis=0) + row
        path = [int(best.argmax())]
        for pointers in reversed(back):
            path.append(int(pointers[path[-1]]))
        return [self.labels[i] for i in reversed(path)]

    def tag(self, xseq: Sequence[dict[str, object]], bias: np.ndarray | None = None) -> list[str]:
        """Labels of one sentence's feature dicts with the stored bias (or ``bias``, a :meth:`bias_vector`)."""
        return self.viterbi(self.emissions(xseq) + (self.bias if bias is None else bias))

    def tag_tokens(self, tokens: list[str], res: Resources) -> list[str]:
        """Labels of one sentence's tokens with the stored bias (the fast path of :meth:`tag`)."""
        return self.viterbi(self.sentence_emissions(tokens, res) + self.bias)


def load_bias(model_dir: Path) -> dict[str, float]:
    """The biases stored with a model; none (plain CRF decoding) when there is no file."""
    path = model_dir / DECODE_FILE
    if not path.exists():
        return {}
    return {k: float(v) for k, v in json.loads(path.read_text(encoding="utf-8"))["bias"].items()}


def save_bias(model_dir: Path, bias: dict[str, float], validation: dict) -> None:
    """Store the chosen biases and the validation scores that chose them."""
    data = {"bias": bias, "validation": validation}
    (model_dir / DECODE_FILE).write_text(json.dumps(data, indent=1), encoding="utf-8")


def tune_bias(score: Callable[[dict[str, float]], float], types: Sequence[str],
              grid: Sequence[float] = GRID, rounds: int = 2) -> tuple[dict[str, float], list[dict]]:
    """Biases that maximize ``score`` (validation micro F1 of a bias dict): first one bias for every
    type, then coordinate ascent type by type from there. Returns the best and every trial."""
    trials: list[dict] = []

    def run(bias: dict[str, float]) -> float:
        value = score(bias)
        trials.append({"bias": dict(bias), "f1": round(value, 4)})
        return value

    best_f1, best = max(((run(dict.fromkeys(types, d)), dict.fromkeys(types, d)) for d in grid),
                        key=lambda pair: pair[0])
    for _ in range(rounds):
        improved = False
        for kind in types:
            for d in grid:
                if d == best[kind]:
                    continue
                value = run({**best, kind: d})
                if value > best_f1 + 1e-9:
                    best_f1, best, improved = value, {**best, kind: d}, True
        if not improved:
            break
    return best, trials
