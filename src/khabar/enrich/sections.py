"""Section classifier: which of the six site sections an article belongs to.

The shipped model (``models/sections.npz``, trained on the Apache-2.0 ANT
corpus by ``khabar train sections``) is plain numpy arrays: a vocabulary, IDF
weights, linear coefficients and a per-outlet bias, so applying it needs neither
scikit-learn nor a particular pickle format. Scoring reproduces sklearn's sublinear
TF-IDF with l2 normalization followed by ``coef @ x + intercept + bias[outlet]``; a second
stage then maps those six scores through the outlet's own (6 x 6) matrix and bias (a logistic
regression fitted on out-of-fold scores), which is where an outlet's filing habits between two
close sections (international / middle_east) are learnt.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from importlib import resources
from itertools import islice, repeat
from pathlib import Path

import numpy as np

from khabar.enrich.section_features import article_parts
from khabar.model import Article

MODEL_FILE = "models/sections.npz"


class SectionModel:
    """A loaded linear TF-IDF model."""

    def __init__(self, vocab: list[str], idf: np.ndarray, coef: np.ndarray, intercept: np.ndarray,
                 classes: list[str], outlets: list[str] | None = None, outlet_bias: np.ndarray | None = None,
                 stack: tuple[np.ndarray, np.ndarray] | None = None) -> None:
        self.idf = idf.astype(np.float32)
        # term-major float32 copy: one row gather per document is the whole scoring cost
        self.weights = np.ascontiguousarray(coef.T, dtype=np.float32)
        self.intercept = intercept.astype(np.float32)
        self.classes = classes
        # an outlet's own section mix, outside the normalized text vector so it is not
        # diluted by long articles (AlArabiya has no middle_east section at all)
        self.outlets = {name: i for i, name in enumerate(outlets or [])}
        self.outlet_bias = (np.zeros((0, len(classes)), dtype=np.float32) if outlet_bias is None
                            else outlet_bias.astype(np.float32))
        self.index, self.crossed = _split_vocab(vocab, self.outlets)
        # second stage: per outlet (last row: any other outlet) a (classes x classes) matrix and a
        # bias over the first-stage scores, learnt from out-of-fold scores: an outlet's own habits
        # where two sections compete (France24 files most Syria news under international)
        k = len(classes)
        self.stack_weights, self.stack_bias = stack if stack else (
            np.tile(np.eye(k, dtype=np.float32), (len(self.outlets) + 1, 1, 1)),
            np.zeros((len(self.outlets) + 1, k), dtype=np.float32))

    @classmethod
    def load(cls, path: str | Path | None = None) -> SectionModel:
        """Load a model file; by default the one shipped in the package."""
        ref = Path(path) if path else resources.files("khabar.enrich").joinpath(MODEL_FILE)
        with ref.open("rb") as fh, np.load(fh) as z:
            outlets = [str(o) for o in z["outlets"]] if "outlets" in z else None
            stack = (z["stack_weights"], z["stack_bias"]) if "stack_weights" in z else None
            return cls(str(z["vocab"]).split("\n"), z["idf"], z["coef"], z["intercept"],
                       [str(c) for c in z["classes"]], outlets, z["outlet_bias"] if outlets else None, stack)

    def _lookup(self, article: Article) -> tuple[np.ndarray, np.ndarray]:
        """(vocabulary ids, raw counts) of the article's known terms."""
        # count first, then look up each distinct term once; map/fromiter keep both loops in C
        terms, crossed = article_parts(article)
        counts = Counter(terms)
        ids = np.fromiter(map(self.index.get, counts, repeat(-1)), dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        known = ids >= 0
        ids, tf = ids[known], tf[known]
        outlet = self.outlets.get(article.source, -1) if crossed else -1
        if outlet >= 0:
            # "outlet|term" columns: found through the plain term's id, with the plain term's count
            extra = self.crossed[outlet][ids]
            has = extra >= 0
            ids, tf = np.concatenate([ids, extra[has]]), np.concatenate([tf, tf[has]])
        return ids, tf

    def scores(self, article: Article) -> np.ndarray:
        """Decision values per class for one article."""
        return self.scores_many([article])[0]

    def scores_many(self, articles: Iterable[Article], batch: int = 512) -> np.ndarray:
        """Decision values (articles x classes); the numpy work is done once per batch
        (one gather and one segment sum) instead of once per article."""
        out = []
        it = iter(articles)
        while chunk := list(islice(it, batch)):
            looked = [self._lookup(a) for a in chunk]
            lens = np.array([len(i) for i, _ in looked], dtype=np.int64)
            scores = np.tile(self.intercept, (len(chunk), 1))
            if lens.sum():
                idx = np.concatenate([i for i, _ in looked])
                vals = (1.0 + np.log(np.concatenate([t for _, t in looked]))) * self.idf[idx]
                some = lens > 0
                starts = (np.cumsum(lens) - lens)[some]
                norms = np.ones(len(chunk), dtype=np.float32)
                norms[some] = np.sqrt(np.add.reduceat(vals * vals, starts))
                vals /= np.repeat(norms, lens)
                scores[some] += np.add.reduceat(self.weights[idx] * vals[:, None], starts, axis=0)
            scores += self._bias(chunk)
            rows = self._rows(chunk)
            out.append(np.einsum("nij,nj->ni", self.stack_weights[rows], scores) + self.stack_bias[rows])
        return np.concatenate(out) if out else np.zeros((0, len(self.classes)), dtype=np.float32)

    def _rows(self, articles: list[Article]) -> np.ndarray:
        """Outlet indexes; ``len(outlets)`` for an outlet the model has not seen."""
        other = len(self.outlets)
        return np.fromiter((self.outlets.get(a.source, other) for a in articles), dtype=np.int64, count=len(articles))

    def _bias(self, articles: list[Article]) -> np.ndarray:
        """Per-outlet bias rows (zero for an outlet the model has not seen)."""
        rows = self._rows(articles)
        bias = np.zeros((len(articles), len(self.classes)), dtype=np.float32)
        known = rows < len(self.outlets)
        bias[known] = self.outlet_bias[rows[known]]
        return bias

    def predict(self, articles: Iterable[Article]) -> list[str]:
        """The best-scoring section id of each article."""
        return [self.classes[i] for i in self.scores_many(articles).argmax(axis=1)]


def _split_vocab(vocab: list[str], outlets: dict[str, int]) -> tuple[dict[str, int], np.ndarray]:
    """(plain term -> column, outlets x columns array of the "outlet|term" column or -1).

    Outlet-prefixed terms stay out of the lookup dict: inference reaches them through the
    plain term's id, which saves building and hashing hundreds of strings per article."""
    index: dict[str, int] = {}
    pairs: list[tuple[int, str, int]] = []
    for i, term in enumerate(vocab):
        outlet, bar, plain = term.rpartition("|")
        if bar and outlet in outlets:
            pairs.append((outlets[outlet], plain, i))
        else:
            index[term] = i
    crossed = np.full((len(outlets), len(vocab)), -1, dtype=np.int32)
    for row, plain, col in pairs:
        if (j := index.get(plain)) is not None:  # a plain term below the vocabulary cut drops its copies too
            crossed[row, j] = col
    return index, crossed


_model: SectionModel | None = None


def model() -> SectionModel:
    """The shipped model, loaded once on first use."""
    global _model
    if _model is None:
        _model = SectionModel.load()
    return _model


def classify(article: Article) -> str:
    """Section id (``international``, ``middle_east``, ``economy``, ``sport``,
    ``technology`` or ``culture``) of one article."""
    return model().predict([article])[0]


def classify_many(articles: Iterable[Article]) -> list[str]:
    """Section ids of many articles."""
    return model().predict(articles)
