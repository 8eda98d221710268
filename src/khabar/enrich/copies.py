"""Exact and near copies: one canonical article, the re-publications point at it.

Two stages, both over the search-normalized words of the article body:

1. **Exact**: a hash of the word sequence (same recipe as ``Article.content_hash``),
   so punctuation, harakat, tatweel and spacing changes are exact copies.
2. **Near**: MinHash-LSH (datasketch) over 3-word shingles, verified by the
   exact Jaccard or containment of the full shingle sets. The signature is
   taken per *window* of shingles, not per document: a document is indexed as
   consecutive windows and queried with windows that overlap more finely, so
   a short version inside a long one (a trimmed ending, a dropped first
   paragraph, one wire paragraph inside a longer piece) meets a window it
   nearly equals, although its whole-document Jaccard is low.

State is only what ``add`` built, in the order it was called, and everything
is seeded, so **persisting** is either replaying ``add`` over the stored
bodies in id order at startup (deterministic: the same canonical choices) or
``dump``/``load`` of a pickle snapshot taken after the last stored id.
``remove`` takes a text out again (an article whose text changed is removed,
then added afresh under the same id).
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from khabar.enrich.shingles import norm_words, overlap, shingle_sequence, shingle_set, text_key

_MERSENNE = np.uint64((1 << 61) - 1)
_MAX_HASH = np.uint64((1 << 32) - 1)
# Only the head of a text is compared (normalizing 6,000-word texts dominated the cost);
# two texts that agree on their first 12,000 characters are treated as exact copies.
MAX_CHARS = 12000


@dataclass(frozen=True)
class CopyMatch:
    """The best verified match for a text: the canonical id and how it overlaps."""

    canonical: int
    matched: int
    jaccard: float
    containment: float
    exact: bool = False


class CopyDetector:
    """Finds copies among the texts added so far; ``add`` returns the canonical id or None."""

    def __init__(
        self,
        num_perm: int = 32,
        bands: int = 8,
        window: int = 32,
        stride: int = 8,
        max_shingles: int = 1500,
        jaccard: float = 0.5,
        containment: float = 0.7,
        min_shingles: int = 12,
        seed: int = 1,
    ) -> None:
        self.window, self.stride, self.max_shingles = window, stride, max_shingles
        self.jaccard, self.containment, self.min_shingles = jaccard, containment, min_shingles
        self.seed = seed
        self._lsh = MinHashLSH(num_perm=num_perm, params=(bands, num_perm // bands))
        # The "legacy" scheme is the (a*h + b) mod 2**61-1 permutation we vectorize in _signatures.
        a, b = MinHash(num_perm=num_perm, seed=seed, scheme="legacy").permutations
        self._a, self._b = a.astype(np.uint64), b.astype(np.uint64)
        self._exact: dict[str, list[int]] = {}  # text key -> ids holding that text, first added first
        self._keys: dict[int, str] = {}
        self._sets: dict[int, np.ndarray] = {}
        self._canonical: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self._canonical)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._canonical

    def canonical(self, article_id: int) -> int:
        """The canonical id of an added article (itself when it is not a copy, or its canonical was removed)."""
        found = self._canonical.get(article_id, article_id)
        return found if found in self._canonical else article_id

    # -- public API -------------------------------------------------------------------
    def find(self, text: str) -> CopyMatch | None:
        """The best verified copy match of ``text`` among added texts, or None."""
        words = norm_words(text[:MAX_CHARS])
        return self._match(words, shingle_sequence(words)) if words else None

    def add(self, article_id: int, text: str) -> int | None:
        """Index ``text`` under ``article_id``; return the canonical id it copies, or None.

        Copies are indexed too (a variant of a variant still finds the original),
        but always resolve to the first-added canonical article."""
        words = norm_words(text[:MAX_CHARS])
        if not words:
            self._canonical[article_id] = article_id
            return None
        seq = shingle_sequence(words)
        match = self._match(words, seq)
        canonical = match.canonical if match else article_id
        self._canonical[article_id] = canonical
        key = self._keys[article_id] = text_key(words)
        self._exact.setdefault(key, []).append(article_id)
        self._index(article_id, seq)
        return canonical if match else None

    def remove(self, article_id: int) -> bool:
        """Forget an added text (False if ``article_id`` is unknown); its id may be added again.

        Articles that resolved to it as their canonical resolve to themselves from now on
        (:meth:`canonical`); a caller that wants them matched afresh removes and adds them too."""
        if self._canonical.pop(article_id, None) is None:
            return False
        key = self._keys.pop(article_id, None)
        if key is not None:
            holders = self._exact[key]
            holders.remove(article_id)
            if not holders:
                del self._exact[key]
        if self._sets.pop(article_id, None) is not None:
            window = 0
            while (article_id, window) in self._lsh.keys:
                self._lsh.remove((article_id, window))
                window += 1
        return True

    # -- internals --------------------------------------------------------------------
    def _match(self, words: list[str], seq: np.ndarray) -> CopyMatch | None:
        holders = self._exact.get(text_key(words))
        if holders:
            hit = holders[0]
            return CopyMatch(self.canonical(hit), hit, 1.0, 1.0, exact=True)
        query = shingle_set(seq[: self.max_shingles])
        best: CopyMatch | None = None
        for cand in self._candidates(seq):
            jac, con = overlap(query, self._sets[cand])
            small = min(len(query), len(self._sets[cand]))
            ok = jac >= self.jaccard or (con >= self.containment and small >= self.min_shingles)
            if ok and (best is None or (con, jac) > (best.containment, best.jaccard)):
                best = CopyMatch(self.canonical(cand), cand, jac, con)
        return best

    def _candidates(self, seq: np.ndarray) -> set[int]:
        found: set[int] = set()
        for sig in self._signatures(seq[: self.max_shingles], self.stride):
            found.update(doc for doc, _ in self._lsh.query(sig))
        return found

    def _index(self, article_id: int, seq: np.ndarray) -> None:
        head = seq[: self.max_shingles]
        self._sets[article_id] = shingle_set(head)
        for i, sig in enumerate(self._signatures(head, self.window)):
            self._lsh.insert((article_id, i), sig, check_duplication=False)

    def _signatures(self, seq: np.ndarray, step: int) -> list[LeanMinHash]:
        """MinHash of each window of ``self.window`` shingles, windows ``step`` apart
        (the last one flush with the end; a short text is a single window)."""
        # datasketch's legacy permutations, computed once per text for all windows.
        phv = ((seq[:, None] * self._a + self._b) % _MERSENNE) & _MAX_HASH
        n = len(seq)
        starts = list(range(0, max(n - self.window, 0) + 1, step))
        if starts[-1] + self.window < n:
            starts.append(n - self.window)
        return [LeanMinHash(seed=self.seed, hashvalues=phv[s : s + self.window].min(axis=0), scheme="legacy")
                for s in starts]

    # -- persistence ------------------------------------------------------------------
    def dump(self, path: str | Path) -> None:
        """Snapshot the whole index (restore with :meth:`load`)."""
        Path(path).write_bytes(pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL))

    @staticmethod
    def load(path: str | Path) -> CopyDetector:
        """Restore a snapshot written by :meth:`dump` (trusted local files only)."""
        obj = pickle.loads(Path(path).read_bytes())
        if not isinstance(obj, CopyDetector):
            raise TypeError(f"{path} holds no CopyDetector")
        return obj
