"""Cosine search over sparse vectors of recent articles, fast enough for 100k stored.

Rows are appended to a small open buffer (an inverted dict, scanned in Python)
and sealed every ``block`` rows into a SciPy CSR matrix over the block's own
vocabulary (its sorted term ids), so a query is one ``searchsorted`` to map its
terms and one sparse matrix-vector product — no per-call fancy indexing, whose
fixed cost dominated at 100k stored. Every ``MERGE`` sealed blocks are merged
into one, so a query makes few products. Blocks entirely older than the query's
time window are skipped, so the cost follows the window, not the archive.
``remove`` blanks a row in place (zero weights, no time) rather than rebuilding
a block: removals are rare (an article whose text changed) and a blanked row
never scores above a floor ≥ 0; the same row id may then be added again.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from scipy import sparse

from khabar.enrich.vectorize import SparseVec

MERGE = 8  # sealed blocks of ``block`` rows are merged eight at a time: fewer, larger products per query
_EMPTY = SparseVec(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))


class _Block:
    def __init__(self, rows: list[int], times: list[float], vecs: list[SparseVec]) -> None:
        self.vecs = vecs  # the same objects the caller holds; kept to merge blocks
        self.rows = np.array(rows, dtype=np.int64)
        self.times = np.array(times, dtype=np.float64)
        indptr = np.cumsum([0] + [len(v.ids) for v in vecs])
        ids = np.concatenate([v.ids for v in vecs])
        self.vocab, local = np.unique(ids, return_inverse=True)
        self.matrix = sparse.csr_matrix(
            (np.concatenate([v.weights for v in vecs]), local, indptr), shape=(len(vecs), len(self.vocab))
        )
        self.t_max = float(self.times.max())

    def blank(self, row: int) -> int:
        """Zero out ``row`` in this block; returns how many entries it held."""
        hits = np.flatnonzero(self.rows == row).tolist()
        for i in hits:
            self.matrix.data[self.matrix.indptr[i] : self.matrix.indptr[i + 1]] = 0.0
            self.rows[i], self.times[i] = -1, -np.inf
            self.vecs[i] = _EMPTY  # a later merge rebuilds the matrix from vecs
        return len(hits)

    def scores(self, q: SparseVec) -> np.ndarray:
        if not len(self.vocab):  # every row blanked
            return np.zeros(len(self.rows), dtype=np.float32)
        pos = np.searchsorted(self.vocab, q.ids)
        pos[pos == len(self.vocab)] = 0
        hit = self.vocab[pos] == q.ids
        dense = np.zeros(len(self.vocab), dtype=np.float32)
        dense[pos[hit]] = q.weights[hit]
        return self.matrix @ dense


class SimIndex:
    """Append-only cosine index: ``add(row, vec, t)``; ``search(vec, t_min)`` → (rows, sims)."""

    def __init__(self, block: int = 256) -> None:
        self.block = block
        self._blocks: list[_Block] = []
        self._open: list[tuple[int, float, SparseVec]] = []
        self._postings: dict[int, list[tuple[int, float]]] = defaultdict(list)
        self._removed = 0  # blanked entries still taking a place

    def __len__(self) -> int:
        return sum(len(b.rows) for b in self._blocks) + len(self._open) - self._removed

    def remove(self, row: int) -> bool:
        """Take ``row`` out of every later search (False if it is not indexed)."""
        found = sum(b.blank(row) for b in self._blocks)
        for pos, (r, _t, vec) in enumerate(self._open):
            if r == row:
                for tid in vec.ids.tolist():
                    self._postings[tid] = [p for p in self._postings[tid] if p[0] != pos]
                self._open[pos] = (-1, -np.inf, _EMPTY)
                found += 1
        self._removed += found
        return found > 0

    def add(self, row: int, vec: SparseVec, t: float) -> None:
        pos = len(self._open)
        self._open.append((row, t, vec))
        for tid, w in zip(vec.ids.tolist(), vec.weights.tolist(), strict=True):
            self._postings[tid].append((pos, w))
        if len(self._open) >= self.block:
            rows, times, vecs = zip(*self._open, strict=True)
            self._blocks.append(_Block(list(rows), list(times), list(vecs)))
            self._open, self._postings = [], defaultdict(list)
            tail = self._blocks[-MERGE:]
            if len(tail) == MERGE and all(len(b.rows) == self.block for b in tail):
                self._blocks[-MERGE:] = [_Block([r for b in tail for r in b.rows.tolist()],
                                                [t for b in tail for t in b.times.tolist()],
                                                [v for b in tail for v in b.vecs])]

    def search(self, q: SparseVec, t_min: float = float("-inf"), floor: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
        """Rows with cosine > ``floor`` added at time ≥ ``t_min``, unsorted."""
        rows: list[np.ndarray] = []
        sims: list[np.ndarray] = []
        if len(q.ids):
            for b in self._blocks:
                if b.t_max < t_min:
                    continue
                s = b.scores(q)
                keep = (s > floor) & (b.times >= t_min)
                rows.append(b.rows[keep])
                sims.append(s[keep])
            r, s = self._search_open(q, t_min, floor)
            rows.append(r)
            sims.append(s)
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        return np.concatenate(rows), np.concatenate(sims)

    def _search_open(self, q: SparseVec, t_min: float, floor: float) -> tuple[np.ndarray, np.ndarray]:
        acc: dict[int, float] = defaultdict(float)
        for tid, w in zip(q.ids.tolist(), q.weights.tolist(), strict=True):
            for pos, w2 in self._postings.get(tid, ()):
                acc[pos] += w * w2
        hits = [(self._open[p][0], s) for p, s in acc.items() if s > floor and self._open[p][1] >= t_min]
        if not hits:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        r, s = zip(*hits, strict=True)
        return np.array(r, dtype=np.int64), np.array(s, dtype=np.float32)
