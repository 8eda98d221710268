"""Weighted TF-IDF of normalized, stemmed words, as sparse hashed vectors.

Terms are hashed into a fixed space (no vocabulary to grow or persist); document
frequencies are counted online, so IDF follows the stream the store has seen
(warm it from stored articles at startup). Title words count ``title_weight``
times: a headline names the event, a body wanders.
"""

from __future__ import annotations

import math
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from khabar.arabic import STOPWORDS, normalize_search, stem, tokenize

DIM_BITS = 22
BODY_CHARS = 600  # the body's start carries the event; the rest adds topic noise


def terms(text: str) -> list[str]:
    """Stemmed content words: stopwords and one-letter tokens dropped."""
    return [stem(w) for w in tokenize(normalize_search(text)) if len(w) > 1 and w not in STOPWORDS]


def term_id(term: str) -> int:
    """Deterministic hashed id of a term."""
    return zlib.crc32(term.encode("utf-8")) & ((1 << DIM_BITS) - 1)


@dataclass(frozen=True)
class SparseVec:
    """An L2-normalized sparse vector: sorted term ids and their weights."""

    ids: np.ndarray
    weights: np.ndarray

    def dot(self, other: SparseVec) -> float:
        common, i, j = np.intersect1d(self.ids, other.ids, assume_unique=True, return_indices=True)
        return float(self.weights[i] @ other.weights[j]) if len(common) else 0.0


class TermStats:
    """Online document frequencies over term ids."""

    def __init__(self) -> None:
        self.df: Counter[int] = Counter()
        self.docs = 0

    def add(self, ids: Iterable[int]) -> None:
        self.df.update(set(ids))
        self.docs += 1

    def idf(self, tid: int) -> float:
        return math.log((1 + self.docs) / (1 + self.df.get(tid, 0))) + 1.0


class Vectorizer:
    """Turns (title, body) into a weighted TF-IDF :class:`SparseVec`."""

    def __init__(self, stats: TermStats | None = None, title_weight: float = 2.0, body_chars: int = BODY_CHARS):
        self.stats = stats or TermStats()
        self.title_weight = title_weight
        self.body_chars = body_chars

    def counts(self, title: str, body: str) -> Counter[int]:
        """Weighted term counts (title words ``title_weight`` times)."""
        tf: Counter[int] = Counter()
        for t in terms(title):
            tf[term_id(t)] += self.title_weight
        for t in terms(body[: self.body_chars]):
            tf[term_id(t)] += 1.0
        return tf

    def observe(self, tf: Counter[int]) -> None:
        """Count a document into the IDF statistics."""
        self.stats.add(tf)

    def vector(self, tf: Counter[int]) -> SparseVec:
        """Sublinear tf × idf, L2-normalized."""
        if not tf:
            return SparseVec(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))
        ids = np.array(sorted(tf), dtype=np.int64)
        w = np.array([(1.0 + math.log(tf[i])) * self.stats.idf(int(i)) if tf[i] >= 1 else tf[i] * self.stats.idf(int(i))
                      for i in ids], dtype=np.float32)
        return SparseVec(ids, w / np.linalg.norm(w))
