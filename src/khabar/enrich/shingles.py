"""Word shingles of search-normalized text, as deterministic 32-bit hashes.

Copies are compared on what survives re-publication: the words after search
normalization (harakat, tatweel, letter variants, punctuation and spacing all
folded away). Hashes use CRC-32, not Python's salted ``hash``, so that
signatures are identical across processes and can be persisted.
"""

from __future__ import annotations

import hashlib
import zlib

import numpy as np

from khabar.arabic import normalize_search, tokenize

SHINGLE = 3  # words per shingle: long enough to be specific, short enough to survive edits
_MULT = np.array([0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D], dtype=np.uint64)


def norm_words(text: str) -> list[str]:
    """Search-normalized word tokens of ``text`` (punctuation dropped)."""
    return tokenize(normalize_search(text))


def text_key(words: list[str]) -> str:
    """Exact-copy key: hash of the normalized word sequence (same recipe as ``Article.content_hash``)."""
    return hashlib.blake2b(" ".join(words).encode("utf-8"), digest_size=16).hexdigest()


def shingle_sequence(words: list[str], k: int = SHINGLE) -> np.ndarray:
    """Hashes of consecutive ``k``-word shingles, in text order (uint64 values < 2**32).

    A text shorter than ``k`` words yields one shingle of all its words."""
    if not words:
        return np.zeros(0, dtype=np.uint64)
    word_h = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words), dtype=np.uint64, count=len(words))
    if len(words) < k:
        return np.array([int(np.bitwise_xor.reduce(word_h * _MULT[: len(words)])) & 0xFFFFFFFF], dtype=np.uint64)
    n = len(words) - k + 1
    acc = np.zeros(n, dtype=np.uint64)
    for i in range(k):
        # Position-dependent multipliers keep "a b c" and "c b a" apart.
        acc ^= word_h[i : i + n] * _MULT[i]
    return acc & np.uint64(0xFFFFFFFF)


def shingle_set(seq: np.ndarray) -> np.ndarray:
    """Sorted unique shingle hashes (uint32) for exact Jaccard/containment."""
    return np.unique(seq.astype(np.uint32))


def overlap(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(Jaccard, containment) of two sorted unique shingle arrays.

    Containment is the intersection over the smaller set, so a short version
    fully inside a long one scores 1.0."""
    if not len(a) or not len(b):
        return 0.0, 0.0
    inter = len(np.intersect1d(a, b, assume_unique=True))
    return inter / (len(a) + len(b) - inter), inter / min(len(a), len(b))
