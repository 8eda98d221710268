"""Section classifier: which of the six site sections an article belongs to.

The shipped model (``models/sections.npz``, trained on the Apache-2.0 ANT
corpus by ``khabar train sections``) is plain numpy arrays: a vocabulary, IDF
weights and linear-SVM coefficients, so applying it needs neither scikit-learn
nor a particular pickle format. Scoring reproduces sklearn's sublinear TF-IDF
with l2 normalization followed by ``coef @ x + intercept``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

import numpy as np

from khabar.enrich.section_features import article_terms
from khabar.model import Article

MODEL_FILE = "models/sections.npz"


class SectionModel:
    """A loaded linear TF-IDF model."""

    def __init__(self, vocab: list[str], idf: np.ndarray, coef: np.ndarray,
                 intercept: np.ndarray, classes: list[str]) -> None:
        self.index = {term: i for i, term in enumerate(vocab)}
        self.idf = idf.astype(np.float32)
        # term-major float32 copy: one row gather per document is the whole scoring cost
        self.weights = np.ascontiguousarray(coef.T, dtype=np.float32)
        self.intercept = intercept.astype(np.float32)
        self.classes = classes

    @classmethod
    def load(cls, path: str | Path | None = None) -> SectionModel:
        """Load a model file; by default the one shipped in the package."""
        ref = Path(path) if path else resources.files("khabar.enrich").joinpath(MODEL_FILE)
        with ref.open("rb") as fh, np.load(fh) as z:
            return cls(str(z["vocab"]).split("\n"), z["idf"], z["coef"], z["intercept"],
                       [str(c) for c in z["classes"]])

    def scores(self, article: Article) -> np.ndarray:
        """Decision values per class for one article."""
        get = self.index.get
        # count first (C loop), then look up each distinct term once
        pairs = [(i, c) for t, c in Counter(article_terms(article)).items() if (i := get(t)) is not None]
        if not pairs:
            return self.intercept.copy()
        idx = np.fromiter((i for i, _ in pairs), dtype=np.int64, count=len(pairs))
        tf = np.fromiter((c for _, c in pairs), dtype=np.float32, count=len(pairs))
        vals = (1.0 + np.log(tf)) * self.idf[idx]
        vals /= np.linalg.norm(vals)
        return vals @ self.weights[idx] + self.intercept

    def predict(self, articles: Iterable[Article]) -> list[str]:
        """The best-scoring section id of each article."""
        return [self.classes[int(np.argmax(self.scores(a)))] for a in articles]


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
