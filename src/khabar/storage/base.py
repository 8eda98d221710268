"""The store interface every backend implements.

The store knows articles, outlets, tags and the text index; it knows nothing
about HTTP, HTML or the CLI. Text is turned into index terms by an injected
``analyzer`` (by default :func:`khabar.arabic.search_terms`), so the index and
the query side always agree.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from khabar.model import Article, FeedRow, Filters, SourceInfo, StoredArticle, StoryRow, TextQuery, TextRow

Analyzer = Callable[[str], list[str]]

IMPORTED, UPDATED, UNCHANGED = "imported", "updated", "unchanged"
MAX_PAGE_ATTEMPTS = 3  # an article page that failed this often is no longer fetched


class Store(ABC):
    """Persistent home of articles. Backends: :mod:`.sqlite`, :mod:`.postgres`."""

    @abstractmethod
    def add_articles(self, articles: Sequence[Article], feed_url: str | None = None) -> list[str]:
        """Insert or update articles atomically (all or none).

        Returns, per article, ``"imported"``, ``"updated"`` (same url, new
        content) or ``"unchanged"``. With ``feed_url`` (a stored feed) the
        articles are linked to that feed. An article updated with a new title
        or body loses its copy link and story (the linker links it again as if
        new); the story it left is refreshed, or deleted when that emptied it."""

    @abstractmethod
    def get_article(self, url: str) -> StoredArticle | None:
        """The article stored under ``url`` (or with that canonical url)."""

    @abstractmethod
    def get_articles(self, ids: Sequence[int]) -> list[StoredArticle]:
        """Articles by store id, in the order given (missing ids skipped)."""

    # -- related-article ranking (see the *_related mixins) ---------------------
    @abstractmethod
    def article_heads(self, ids: Sequence[int], versions: Mapping[int, int] | None = None) -> list[StoredArticle]:
        """Like :meth:`get_articles` without bodies, tags or entities (``paragraphs``, ``attributions``,
        ``tags`` and ``entities`` empty; lead, outlet, times, story and copy links kept): ranking candidates.

        ``versions``: the :meth:`text_versions` value each id's vector was embedded from (0: unknown);
        an article whose text changed since (or missing from ``versions``) is left out, checked in the same read."""

    @abstractmethod
    def article_bodies(self, ids: Sequence[int]) -> dict[int, list[str]]:
        """The paragraphs of the stored articles among ``ids``, by id."""

    @abstractmethod
    def shared_labels(
        self, ids: Sequence[int], entity_keys: Iterable[str], tag_keys: Iterable[str]
    ) -> dict[int, tuple[int, int]]:
        """For each of ``ids``: (how many of the entity keys, how many of the tag keys it carries), keys as
        :func:`~khabar.storage.rows.tag_key` gives them."""

    @abstractmethod
    def latest(self, limit: int = 20, offset: int = 0, filters: Filters | None = None) -> list[StoredArticle]:
        """Newest articles first."""

    @abstractmethod
    def article_ids(self, filters: Filters | None = None, after_id: int = 0, limit: int = 1000) -> list[int]:
        """Ids of the articles matching ``filters`` above ``after_id``, ascending: pass the last id
        back as ``after_id`` to walk the whole store in steady batches (exports, re-processing)."""

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

    # -- sources and feeds (see the *_feeds mixins) --------------------------
    @abstractmethod
    def add_source(self, name: str, homepage: str = "") -> int:
        """The id of outlet ``name``, created if new (a non-empty homepage is recorded)."""

    @abstractmethod
    def add_feed(self, url: str, source: str | None = None, title: str = "", interval_s: int = 3600) -> int:
        """The id of feed ``url``, created if new; idempotent (fills only a missing source or title)."""

    @abstractmethod
    def remove_feed(self, url: str) -> bool:
        """Forget a feed (its articles stay, unlinked); False if it was not stored."""

    @abstractmethod
    def list_feeds(self) -> list[FeedRow]:
        """Every feed with its state and article count, by outlet then URL."""

    @abstractmethod
    def due_feeds(self, now: datetime, limit: int | None = None) -> list[FeedRow]:
        """Feeds never polled or due at ``now``, never-polled and most overdue first."""

    @abstractmethod
    def record_feed_success(
        self,
        url: str,
        at: datetime,
        etag: str | None,
        last_modified: str | None,
        title: str,
        next_due: datetime,
        interval_s: int,
    ) -> None:
        """A poll returned the feed: store validators and schedule; reset the error count."""

    @abstractmethod
    def record_feed_not_modified(self, url: str, at: datetime, next_due: datetime) -> None:
        """A poll returned 304: a success that changes nothing but the schedule."""

    @abstractmethod
    def record_feed_error(self, url: str, error: str, at: datetime, next_due: datetime) -> None:
        """A poll failed: keep the message and time, count it, reschedule."""

    @abstractmethod
    def record_page_failure(self, url: str, feed_url: str | None, error: str, at: datetime) -> None:
        """An article page failed to fetch or extract (counted; given up after MAX_PAGE_ATTEMPTS)."""

    @abstractmethod
    def known_urls(self, urls: Iterable[str]) -> set[str]:
        """Those of ``urls`` that need no fetch: stored (as url or canonical url) or given up on."""

    @abstractmethod
    def last_fetched(self, urls: Iterable[str]) -> dict[str, datetime]:
        """When each of ``urls`` stored as an article's url was last fetched (imports without a fetch time
        are left out): a feed entry updated since then is fetched again."""

    # -- copies and stories (see the *_stories mixins) ------------------------
    @abstractmethod
    def ids_for_urls(self, urls: Iterable[str]) -> dict[str, int]:
        """Store ids of the stored articles among ``urls`` (by ``url``)."""

    @abstractmethod
    def set_copy_of(self, pairs: Sequence[tuple[int, int | None]]) -> None:
        """Record ``(article id, canonical article id or None)``: the article re-publishes the canonical one."""

    @abstractmethod
    def copies_of(self, article_id: int) -> list[StoredArticle]:
        """Articles recorded as copies of ``article_id``, oldest first."""

    @abstractmethod
    def iter_texts(self, after_id: int = 0, batch: int = 1000) -> Iterator[TextRow]:
        """Every article with id > ``after_id`` as a :class:`TextRow`, in id order (for replaying detectors)."""

    @abstractmethod
    def save_story(self, headline: str = "", story_id: int | None = None) -> int:
        """Create a story (``story_id`` None) or set an existing story's headline; returns its id."""

    @abstractmethod
    def assign_stories(self, pairs: Sequence[tuple[int, int]]) -> None:
        """Record ``(article id, story id)`` memberships."""

    @abstractmethod
    def refresh_stories(self, ids: Iterable[int]) -> None:
        """Recompute counts and times of stories from their members; headline: earliest non-copy title.
        A story left without members (all moved elsewhere) is deleted."""

    @abstractmethod
    def get_story(self, story_id: int) -> StoryRow | None:
        """One story, or None."""

    @abstractmethod
    def story_articles(self, story_id: int) -> list[StoredArticle]:
        """The members of a story in publication order (its timeline), copies included."""

    @abstractmethod
    def hot_stories(
        self, since: datetime | None = None, limit: int = 20, offset: int = 0, min_outlets: int = 1
    ) -> list[StoryRow]:
        """Stories ranked by distinct outlets, then articles, published at or after ``since``; only
        those with at least ``min_outlets`` outlets in that window."""

    @abstractmethod
    def story_glances(
        self, story_ids: Sequence[int], members: int = 3
    ) -> dict[int, tuple[list[str], list[StoredArticle]]]:
        """What a story card shows, by story id: the outlets of its articles (most articles first) and its
        ``members`` newest originals (copies left out), newest first, as :meth:`article_heads`."""

    @abstractmethod
    def all_stories(self) -> Iterator[StoryRow]:
        """Every story, by id."""

    # -- entities, re-imports and text versions (see the *_entities mixins) ----
    @abstractmethod
    def input_hashes(self, urls: Iterable[str]) -> dict[str, str]:
        """``Article.input_hash`` of the stored articles among ``urls`` (by ``url``; "" when never recorded)."""

    @abstractmethod
    def known_tags(self, keys: Iterable[str]) -> set[str]:
        """Those of the canonical tag ``keys`` that some stored article carries (they have a tag page)."""

    @abstractmethod
    def text_versions(self, ids: Iterable[int] | None = None) -> dict[int, int]:
        """:func:`~khabar.storage.rows.text_version` of the articles ``ids`` (every article when None).

        It changes whenever an article's title or body does: vectors record the version they were made from."""

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
