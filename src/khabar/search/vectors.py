"""Article embeddings in a sidecar beside the store, with an ANN index.

For a store ``khabar.db`` the directory ``khabar.db.vectors/`` holds:

* ``manifest.json`` — model name, dimension, row count (a model change means rebuild);
* ``ids.npy`` — int64 article id of each row;
* ``vectors.npy`` — the raw vectors as float16, memory-mapped on open (exact
  cosines and MMR for related articles without keeping them in RAM);
* ``index.usearch`` — an HNSW index over int8-quantized vectors, memory-mapped;
* ``terms.npy`` / ``weights.npy`` — each article's rare-term signature
  (:mod:`khabar.search.signatures`): cheap lexical overlap for related articles;
* ``versions.npy`` — int64 :meth:`Store.text_versions` each row was embedded from (0: unknown,
  a sidecar written before versions existed): ``khabar embed`` re-embeds rows whose article
  changed, and :class:`~khabar.search.freshness.CurrentVectors` keeps their old vectors out of
  results until then.

Vectors are derived data, rebuilt when missing.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from khabar.enrich.embeddings import Embedder, embedding_text
from khabar.search.freshness import EmbedPlan, embed_plan, load_versions
from khabar.search.signatures import TERMS, signature
from khabar.settings import Settings
from khabar.storage.base import Store

MANIFEST, IDS, VECS, INDEX = "manifest.json", "ids.npy", "vectors.npy", "index.usearch"
TERMS_FILE, WEIGHTS_FILE, VERSIONS_FILE = "terms.npy", "weights.npy", "versions.npy"

EXACT_BELOW = 20_000  # indexes up to this size are searched exactly


@dataclass(frozen=True)
class Rows:
    """Everything the sidecar holds for some ids, found with one look-up (:meth:`VectorIndex.lookup`);
    an id without a vector has zeros and version -1."""

    vectors: np.ndarray  # float32
    terms: np.ndarray
    weights: np.ndarray  # float32
    versions: np.ndarray


def sidecar_path(location: str, vectors_dir: str = "") -> Path:
    """Where the vectors of a store live: ``vectors_dir`` if set, else ``<sqlite path>.vectors``."""
    if vectors_dir:
        return Path(vectors_dir)
    if location.startswith(("postgresql://", "postgres://")):
        raise ValueError("set vectors_dir for a PostgreSQL store")
    return Path(location + ".vectors")


class VectorIndex:
    """Vectors keyed by article id: exact rows (f16) plus an approximate index (i8 HNSW)."""

    def __init__(self, path: str | Path, model: str = "", dim: int = 0) -> None:
        self.path = Path(path)
        manifest = self._read_manifest()
        self.reset(manifest.get("model", model), int(manifest.get("dim", dim)))  # empty until opened
        if manifest:
            self._open()

    # -- files ------------------------------------------------------------
    def _read_manifest(self) -> dict:
        try:
            return json.loads((self.path / MANIFEST).read_text("utf-8"))
        except (OSError, ValueError):
            return {}

    def _open(self) -> None:
        from usearch.index import Index

        self._ids = np.load(self.path / IDS)
        self._vecs = np.load(self.path / VECS, mmap_mode="r")
        self._terms = np.load(self.path / TERMS_FILE, mmap_mode="r")
        self._weights = np.load(self.path / WEIGHTS_FILE, mmap_mode="r")
        self._versions = load_versions(self.path / VERSIONS_FILE, len(self._ids))
        self._index = Index(ndim=self.dim, metric="cos", dtype="i8")
        if (self.path / INDEX).exists() and len(self._ids):
            self._index.view(str(self.path / INDEX))  # memory-mapped: pages load on demand
            if len(self._index) != len(self._ids):  # torn write: rebuild the ANN part from the rows
                self._index = self._fresh_index(self._ids, np.asarray(self._vecs))
        self._reindex_lookup()

    def _reindex_lookup(self) -> None:
        # Sorted ids + permutation: an id->row map for 1M rows without a Python dict.
        self._order = np.argsort(self._ids, kind="stable")
        self._sorted = self._ids[self._order]

    def _fresh_index(self, ids: np.ndarray, vecs: np.ndarray):
        from usearch.index import Index

        index = Index(ndim=self.dim, metric="cos", dtype="i8", connectivity=16, expansion_search=64)
        if len(ids):
            index.add(ids, np.asarray(vecs, dtype=np.float32), threads=os.cpu_count() or 1)
        return index

    @property
    def exists(self) -> bool:
        return (self.path / MANIFEST).exists()

    def __len__(self) -> int:
        return len(self._ids) + sum(len(p[0]) for p in self._pending)

    # -- writing ----------------------------------------------------------
    def reset(self, model: str, dim: int) -> None:
        """Forget everything (another model, or a forced rebuild)."""
        self.model, self.dim = model, dim
        self._ids, self._vecs = np.zeros(0, dtype=np.int64), np.zeros((0, dim), dtype=np.float16)
        self._terms = np.zeros((0, TERMS), dtype=np.uint32)
        self._weights = np.zeros((0, TERMS), dtype=np.float16)
        self._versions = np.zeros(0, dtype=np.int64)
        self._pending: list[tuple[np.ndarray, ...]] = []
        self._index = None
        self._reindex_lookup()

    def add(
        self,
        ids: Sequence[int],
        vectors: np.ndarray,
        signatures: Sequence[tuple[np.ndarray, np.ndarray]] = (),
        versions: Sequence[int] = (),
    ) -> None:
        """Queue rows (unit-length vectors, optional :func:`signature` and text version of each);
        searchable after :meth:`save`."""
        ids_arr = np.asarray(ids, dtype=np.int64)
        if len(ids_arr) != len(vectors) or (signatures and len(signatures) != len(ids_arr)):
            raise ValueError("one vector (and signature) per id")
        keep = self._rows(ids_arr) < 0  # an article already embedded keeps its vector (same id, same text)
        terms = np.array([t for t, _ in signatures], dtype=np.uint32).reshape(-1, TERMS)
        weights = np.array([w for _, w in signatures], dtype=np.float16).reshape(-1, TERMS)
        if not signatures:
            terms, weights = np.zeros((len(ids_arr), TERMS), np.uint32), np.zeros((len(ids_arr), TERMS), np.float16)
        vecs = np.asarray(vectors, dtype=np.float16)
        vers = np.asarray(versions, dtype=np.int64) if len(versions) else np.zeros(len(ids_arr), np.int64)
        self._pending.append((ids_arr[keep], vecs[keep], terms[keep], weights[keep], vers[keep]))

    def save(self) -> None:
        """Write rows, ids, the index and then the manifest (last, so a crash leaves no manifest)."""
        self.path.mkdir(parents=True, exist_ok=True)
        parts = [(self._ids, self._vecs, self._terms, self._weights, self._versions), *self._pending]
        new_ids = np.concatenate([p[0] for p in self._pending]) if self._pending else np.zeros(0, np.int64)
        new_vecs = np.concatenate([p[1] for p in parts[1:]]) if self._pending else None
        if self._index is None or len(self._index) != len(self._ids):
            self._index = self._fresh_index(self._ids, np.asarray(self._vecs))
        elif len(new_ids) and (self.path / INDEX).exists():
            self._index.load(str(self.path / INDEX))  # the view is read-only: load it to append
        if len(new_ids):
            self._index.add(new_ids, new_vecs.astype(np.float32), threads=os.cpu_count() or 1)
        (self.path / MANIFEST).unlink(missing_ok=True)
        for k, name in enumerate((IDS, VECS, TERMS_FILE, WEIGHTS_FILE, VERSIONS_FILE)):
            whole = np.concatenate([np.asarray(p[k]) for p in parts])
            np.save(self.path / f"{name}.tmp.npy", whole)  # np.load keeps the old file mapped until replaced
            os.replace(self.path / f"{name}.tmp.npy", self.path / name)
        ids = np.load(self.path / IDS)
        self._index.save(str(self.path / INDEX))
        manifest = {"model": self.model, "dim": self.dim, "count": int(len(ids)), "quantization": "i8"}
        (self.path / MANIFEST).write_text(json.dumps(manifest), "utf-8")
        self._pending = []
        self._open()

    def update(
        self, store: Store, embedder: Embedder, batch: int = 64, progress: Callable[[int, int], None] | None = None
    ) -> int:
        """Embed every stored article without a vector or changed since it was embedded (all of them
        if the model changed); :attr:`plan` tells which were which."""
        if self.model != embedder.name or self.dim != embedder.dim:
            self.reset(embedder.name, embedder.dim)
        self.plan: EmbedPlan = embed_plan(self, store)
        missing = self.plan.todo
        self.drop([*self.plan.changed, *self.plan.unknown])
        for start in range(0, len(missing), batch):
            chunk = store.get_articles(missing[start : start + batch])
            texts = [embedding_text(a.article.title, a.article.body) for a in chunk]
            sigs = [signature(a.article.title, a.article.body) for a in chunk]
            self.add([a.id for a in chunk], embedder.passage(texts), sigs, [self.plan.versions[a.id] for a in chunk])
            if progress:
                progress(min(start + batch, len(missing)), len(missing))
        if missing or not self.exists:
            self.save()
        return len(missing)

    def drop(self, ids: Sequence[int]) -> None:
        """Forget the rows of ``ids`` (to re-embed them). The ANN index file drops them at once: were
        the process to die before :meth:`save`, reopening finds it torn and rebuilds it from the rows."""
        rows = self._rows(ids)
        rows = rows[rows >= 0]
        if not len(rows):
            return
        if self._index is not None and len(self._index) == len(self._ids) and (self.path / INDEX).exists():
            self._index.load(str(self.path / INDEX))  # the view is read-only
            self._index.remove(self._ids[rows])
            self._index.save(str(self.path / INDEX))
        else:
            self._index = None  # rebuilt from the kept rows by save()
        keep = np.ones(len(self._ids), dtype=bool)
        keep[rows] = False
        self._ids, self._vecs = self._ids[keep], np.asarray(self._vecs)[keep]
        self._terms, self._weights = np.asarray(self._terms)[keep], np.asarray(self._weights)[keep]
        self._versions = np.asarray(self._versions)[keep]
        self._reindex_lookup()

    # -- reading ----------------------------------------------------------
    def _rows(self, ids: Sequence[int] | np.ndarray) -> np.ndarray:
        """Row of each id, -1 when absent."""
        ids = np.asarray(ids, dtype=np.int64)
        if not len(self._sorted):
            return np.full(len(ids), -1, dtype=np.int64)
        pos = np.minimum(np.searchsorted(self._sorted, ids), len(self._sorted) - 1)  # never below 0
        return np.where(self._sorted[pos] == ids, self._order[pos], -1)

    def lookup(self, ids: Sequence[int]) -> Rows:
        """Vectors, signatures and versions of ``ids`` at once: what :meth:`get`, :meth:`get_signatures`
        and :meth:`versions` give, for one search of the ids."""
        rows = self._rows(ids)
        return Rows(self._vectors_at(rows), *self._signatures_at(rows), self._versions_at(rows))

    def get(self, ids: Sequence[int]) -> np.ndarray:
        """float32 rows for ``ids`` (zeros for an id without a vector)."""
        return self._vectors_at(self._rows(ids))

    def get_signatures(self, ids: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """(term hashes, IDF weights) rows for ``ids`` (zeros when absent)."""
        return self._signatures_at(self._rows(ids))

    def versions(self, ids: Sequence[int]) -> np.ndarray:
        """Text version each id's vector was embedded from: 0 when unknown, -1 when it has no vector."""
        return self._versions_at(self._rows(ids))

    def _vectors_at(self, rows: np.ndarray) -> np.ndarray:
        out = np.zeros((len(rows), self.dim), dtype=np.float32)
        found = rows >= 0
        if found.any():
            out[found] = self._vecs[np.sort(rows[found])][np.argsort(np.argsort(rows[found]))]
        return out

    def _signatures_at(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        terms, weights = np.zeros((len(rows), TERMS), np.uint32), np.zeros((len(rows), TERMS), np.float32)
        found = rows >= 0
        terms[found], weights[found] = self._terms[rows[found]], self._weights[rows[found]]
        return terms, weights

    def _versions_at(self, rows: np.ndarray) -> np.ndarray:
        versions = np.asarray(self._versions)
        return np.where(rows >= 0, versions[np.maximum(rows, 0)] if len(versions) else 0, -1)

    def has(self, article_id: int) -> bool:
        return bool(self._rows(np.array([article_id]))[0] >= 0)

    def search(self, vector: np.ndarray, k: int = 10, exclude: Iterable[int] = ()) -> list[tuple[int, float]]:
        """Approximate nearest articles: ``(id, cosine)`` best first, ``exclude`` left out."""
        if self._index is None or not len(self._index):
            return []
        skip = set(exclude)
        # Small indexes are scanned exactly: as fast as the graph there, and deterministic.
        exact = len(self._index) <= EXACT_BELOW
        matches = self._index.search(np.asarray(vector, dtype=np.float32), k + len(skip), exact=exact)
        pairs = [(int(key), 1.0 - float(d)) for key, d in zip(matches.keys, matches.distances, strict=False)]
        return [(i, c) for i, c in pairs if i not in skip][:k]


def make_embedder(spec: str = "e5") -> Embedder:
    """The embedder named by the ``embedder`` setting: ``e5``, ``hashing`` or ``module:Class``."""
    from khabar.enrich import embeddings

    if spec == "e5":
        return embeddings.E5Embedder()
    if spec.startswith("hashing"):
        return embeddings.HashingEmbedder()
    module, _, name = spec.partition(":")
    import importlib

    return getattr(importlib.import_module(module), name)()


def open_vectors(location: str, vectors_dir: str = "") -> VectorIndex | None:
    """The store's vector sidecar, or None when it was never built (search falls back to lexical)."""
    try:
        index = VectorIndex(sidecar_path(location, vectors_dir))
    except ValueError:
        return None
    return index if index.exists and len(index) else None


def open_semantic(settings: Settings) -> tuple[VectorIndex | None, Embedder | None]:
    """(vectors, embedder) for hybrid search and related lists, or (None, None) before ``khabar embed``."""
    vectors = open_vectors(settings.db, settings.vectors_dir)
    return (vectors, make_embedder(settings.embedder)) if vectors is not None else (None, None)
