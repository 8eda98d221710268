"""Vectors that still match their article's text.

Each sidecar row records the :meth:`~khabar.storage.base.Store.text_versions` value of the
text it was embedded from. When an article is updated (re-import, crawl) its version moves
on: ``khabar embed`` re-embeds it (:func:`embed_plan`), and until then :class:`CurrentVectors`
hides its old vector from search and related lists. Rows of a sidecar written before versions
existed have version 0 ("unknown"): ``khabar embed`` re-embeds them once; meanwhile they are
served as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from khabar.storage.base import Store

UNKNOWN, ABSENT = 0, -1


def load_versions(path: Path, rows: int) -> np.ndarray:
    """The versions file of a sidecar, or all-unknown when it is missing or does not match the rows."""
    try:
        versions = np.load(path)
    except (OSError, ValueError):
        return np.zeros(rows, dtype=np.int64)
    return versions if len(versions) == rows else np.zeros(rows, dtype=np.int64)


@dataclass
class EmbedPlan:
    """What ``khabar embed`` has to (re-)embed, with each article's current text version."""

    missing: list[int] = field(default_factory=list)  # no vector yet
    changed: list[int] = field(default_factory=list)  # vector made from an older text of the article
    unknown: list[int] = field(default_factory=list)  # vector without a recorded version (older sidecar)
    versions: dict[int, int] = field(default_factory=dict)

    @property
    def todo(self) -> list[int]:
        return [*self.missing, *self.changed, *self.unknown]


def embed_plan(index: Any, store: Store) -> EmbedPlan:
    """Compare every stored article's text version with the version of its vector in ``index``."""
    versions = store.text_versions()
    ids = np.fromiter(versions, dtype=np.int64, count=len(versions))
    now = np.fromiter(versions.values(), dtype=np.int64, count=len(versions))
    have = index.versions(ids)
    pick = lambda mask: ids[mask].tolist()  # noqa: E731
    return EmbedPlan(pick(have == ABSENT), pick((have > 0) & (have != now)), pick(have == UNKNOWN), versions)


class CurrentVectors:
    """A :class:`~khabar.search.vectors.VectorIndex` seen through the store: the vector of an article
    whose text changed since it was embedded is treated as absent (never served for another text)."""

    def __init__(self, index: Any, store: Store) -> None:
        self._index, self._store = index, store
        self._ok: dict[int, bool] = {}

    def __getattr__(self, name: str) -> Any:  # model, dim, path… of the wrapped index
        return getattr(self._index, name)

    def __len__(self) -> int:
        return len(self._index)

    @property
    def index(self) -> Any:
        """The wrapped index, unchecked: for callers that check versions on their own read of the articles
        (related lists: :meth:`~khabar.storage.base.Store.article_heads` with ``versions``)."""
        return self._index

    def current(self, ids: Sequence[int]) -> np.ndarray:
        """True where ``ids[k]`` has a vector made from its article's present text (or of unknown version)."""
        todo = [int(i) for i in dict.fromkeys(ids) if int(i) not in self._ok]
        if todo:
            have = self._index.versions(todo)
            now = self._store.text_versions(todo)
            for i, v in zip(todo, have.tolist(), strict=True):
                self._ok[i] = v == UNKNOWN or v == now.get(i, ABSENT)
        return np.array([self._ok[int(i)] for i in ids], dtype=bool)

    def has(self, article_id: int) -> bool:
        return bool(self._index.has(article_id) and self.current([article_id])[0])

    def get(self, ids: Sequence[int]) -> np.ndarray:
        out = self._index.get(ids)
        out[~self.current(ids)] = 0.0
        return out

    def get_signatures(self, ids: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        terms, weights = self._index.get_signatures(ids)
        stale = ~self.current(ids)
        terms[stale], weights[stale] = 0, 0.0
        return terms, weights

    def search(self, vector: np.ndarray, k: int = 10, exclude: Iterable[int] = ()) -> list[tuple[int, float]]:
        skip = list(exclude)
        hits = self._index.search(vector, k, skip)
        kept = [h for h, ok in zip(hits, self.current([i for i, _ in hits]), strict=True) if ok]
        if len(kept) < len(hits):  # some were stale: look once more, deeper, past them
            more = self._index.search(vector, 2 * k, skip)
            kept = [h for h, ok in zip(more, self.current([i for i, _ in more]), strict=True) if ok]
        return kept[:k]


def current_view(index: Any, store: Store) -> Any:
    """``index`` wrapped in :class:`CurrentVectors` (None stays None)."""
    return None if index is None or isinstance(index, CurrentVectors) else CurrentVectors(index, store)
