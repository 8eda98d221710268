"""The store interface every backend implements.

The store knows articles, outlets, tags and the text index; it knows nothing
about HTTP, HTML or the CLI. Text is turned into index terms by an injected
``analyzer`` (by default :func:`khabar.arabic.search_terms`), so the index and
the query side always agree.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import Any

from khabar.model import Article, Filters, SourceInfo, StoredArticle, TextQuery

Analyzer = Callable[[str], list[str]]

IMPORTED, UPDATED, UNCHANGED = "imported", "updated", "unchanged"


class Store(ABC):
    """Persistent home of articles. Backends: :mod:`.sqlite`, :mod:`.postgres`."""

    @abstractmethod
    def add_articles(self, articles: Sequence[Article]) -> list[str]:
        """Insert or update articles atomically (all or none).

        Returns, per article, ``"imported"``, ``"updated"`` (same url, new
        content) or ``"unchanged"``."""

    @abstractmethod
    def get_article(self, url: str) -> StoredArticle | None:
        """The article stored under ``url`` (or with that canonical url)."""

    @abstractmethod
    def get_articles(self, ids: Sequence[int]) -> list[StoredArticle]:
        """Articles by store id, in the order given (missing ids skipped)."""

    @abstractmethod
    def latest(self, limit: int = 20, offset: int = 0, filters: Filters | None = None) -> list[StoredArticle]:
        """Newest articles first."""

    @abstractmethod
    def search_ids(
        self, query: TextQuery, limit: int = 10, offset: int = 0, filters: Filters | None = None
    ) -> list[tuple[int, float]]:
        """Full-text search: ``(article id, score)`` pairs, best first (higher is better)."""

    @abstractmethod
    def count_articles(self, filters: Filters | None = None) -> int:
        """Number of stored articles."""

    @abstractmethod
    def sources(self) -> list[SourceInfo]:
        """Outlets with their article counts, most articles first."""

    @abstractmethod
    def sections(self) -> list[tuple[str, int]]:
        """Section ids with their article counts."""

    @abstractmethod
    def stats(self) -> dict[str, Any]:
        """Counts of everything stored, for ``khabar stats``."""

    @abstractmethod
    def close(self) -> None:
        """Release connections."""

    def search(
        self, query: TextQuery, limit: int = 10, offset: int = 0, filters: Filters | None = None
    ) -> list[tuple[StoredArticle, float]]:
        """Like :meth:`search_ids` but returns the articles."""
        ranked = self.search_ids(query, limit, offset, filters)
        by_id = {a.id: a for a in self.get_articles([i for i, _ in ranked])}
        return [(by_id[i], score) for i, score in ranked if i in by_id]

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
