"""BM25 without FTS5's document-frequency walks: the ``khabar_bm25`` connection of a store file.

FTS5's ``bm25()`` counts each query word's matching rows by walking the word's whole doclist on
every query (~50 ns a row): 8-19 ms for one common word in a 1M-article store, most of the time of
the slowest searches there. ``khabar_bm25()`` (the C module :mod:`khabar.storage._fts5rank`) is the
same formula with the counts given by the caller, which estimates them from the newest articles.
Python's ``sqlite3`` cannot load extensions, so the function is registered on a read-only connection
of its own. Without the compiled module (no SQLite headers at install), FTS5's ``bm25()`` is used.
"""

from __future__ import annotations

import logging
import os
from typing import Any, Protocol

log = logging.getLogger(__name__)


class Ranker(Protocol):
    def rows(self, sql: str, params: Any = ()) -> list[tuple[Any, ...]]: ...

    def close(self) -> None: ...


class RankConnection:
    """The store file's ``khabar_bm25`` connection, opened on first use; ``get()`` is None when the
    compiled module is missing, the store is not a file, or ``enabled`` is False (FTS5's bm25 then)."""

    def __init__(self, path: str, enabled: bool = True) -> None:
        self.path = os.path.abspath(path) if _file_path(path) else path  # opened later: the cwd may change
        self.enabled = enabled
        self._ranker: Ranker | None = None
        self._tried = False

    def get(self) -> Ranker | None:
        if not self.enabled:
            return None
        if not self._tried:
            self._tried = True
            self._ranker = open_ranker(self.path)
        return self._ranker

    def close(self) -> None:
        if self._ranker is not None:
            self._ranker.close()
        self._ranker, self._tried = None, False


def open_ranker(path: str) -> Ranker | None:
    """A read-only connection to ``path`` with ``khabar_bm25`` registered, or None (logged)."""
    if not _file_path(path) or not os.path.exists(path):
        return None
    try:
        from khabar.storage._fts5rank import Ranker as CRanker
    except ImportError:
        log.info("khabar.storage._fts5rank is not built: search ranks with FTS5's bm25(), slower on large "
                 "stores; install SQLite's headers (Debian: libsqlite3-dev) and reinstall Khabar")
        return None
    try:
        return CRanker(path)
    except RuntimeError as exc:
        log.warning("search ranks with FTS5's bm25(): %s", exc)
        return None


def _file_path(path: str) -> bool:
    """A plain file path: not an in-memory store or a URI, which a second connection cannot open alike."""
    return path not in ("", ":memory:") and not path.startswith("file:")


def rank_call(title_weight: float, hits: list[float] | None) -> str:
    """The SQL rank expression: ``khabar_bm25`` with each phrase's estimated matching rows, or
    FTS5's ``bm25`` when ``hits`` is None. Only numbers we made are inlined."""
    if hits is None:
        return f"bm25(articles_fts, {float(title_weight)!r}, 1.0)"
    counts = "".join(f", {float(h)!r}" for h in hits)
    return f"khabar_bm25(articles_fts, {float(title_weight)!r}, 1.0{counts})"
