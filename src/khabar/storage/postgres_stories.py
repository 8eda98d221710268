"""Copies and stories for :class:`~khabar.storage.postgres.PostgresStore` (a mixin).

The statements are :mod:`.sqlite_stories`' with ``%s`` placeholders; times are
native ``TIMESTAMPTZ`` values.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

import psycopg

from khabar.model import StoredArticle, StoryRow, TextRow
from khabar.storage import sqlite_stories as q
from khabar.storage.postgres_feeds import _pg
from khabar.storage.rows import to_utc_text

SET_COPY, ASSIGN, COPIES, MEMBERS = _pg(q.SET_COPY), _pg(q.ASSIGN), _pg(q.COPIES), _pg(q.MEMBERS)
TEXTS, STORY, REFRESH, HOT, HOT_ORDER = _pg(q.TEXTS), _pg(q.STORY), _pg(q.REFRESH), _pg(q.HOT), _pg(q.HOT_ORDER)
DROP_EMPTY, UNLINK = _pg(q.DROP_EMPTY), _pg(q.UNLINK)


class PostgresStories:
    """Copy and story methods of the :class:`~khabar.storage.base.Store` interface for PostgreSQL."""

    _conn: psycopg.Connection
    _lock: threading.RLock
    _rows: Callable[..., list[tuple[Any, ...]]]
    _dicts: Callable[..., list[dict[str, Any]]]
    _stored: Callable[[list[dict[str, Any]]], list[StoredArticle]]

    def _many(self, sql: str, params: Sequence[Sequence[Any]]) -> None:
        if not params:
            return
        with self._lock, self._conn.transaction():
            self._conn.cursor().executemany(sql, params)

    def _drop_stale_links(self, old: dict[str, Any], values: dict[str, Any]) -> None:
        """Inside ``add_articles``, right after the stored row ``old`` was updated to ``values``
        (see :meth:`.sqlite_stories.SQLiteStories._drop_stale_links`)."""
        as_sqlite = {**old, "published_at": to_utc_text(old["published_at"])}  # stale_links compares text dates
        q.drop_stale_links(self._conn.execute, as_sqlite, values, (UNLINK, REFRESH, DROP_EMPTY))

    def ids_for_urls(self, urls: Iterable[str]) -> dict[str, int]:
        wanted = list(dict.fromkeys(urls))
        rows = self._rows("SELECT url, id FROM articles WHERE url = ANY(%s)", (wanted,)) if wanted else []
        return {r[0]: r[1] for r in rows}

    def set_copy_of(self, pairs: Sequence[tuple[int, int | None]]) -> None:
        self._many(SET_COPY, [(canonical, aid) for aid, canonical in pairs])

    def copies_of(self, article_id: int) -> list[StoredArticle]:
        return self._stored(self._dicts(COPIES, (article_id,)))

    def iter_texts(self, after_id: int = 0, batch: int = 1000) -> Iterator[TextRow]:
        while rows := self._rows(TEXTS, (after_id, batch)):
            yield from map(q.row_to_text, rows)
            after_id = rows[-1][0]

    def save_story(self, headline: str = "", story_id: int | None = None) -> int:
        with self._lock:
            if story_id is None:
                sql = "INSERT INTO stories (headline) VALUES (%s) RETURNING id"
                return self._conn.execute(sql, (headline,)).fetchone()[0]
            self._conn.execute("UPDATE stories SET headline = %s WHERE id = %s", (headline, story_id))
            return story_id

    def assign_stories(self, pairs: Sequence[tuple[int, int]]) -> None:
        self._many(ASSIGN, [(story_id, aid) for aid, story_id in pairs])

    def refresh_stories(self, ids: Iterable[int]) -> None:
        params = [(i,) for i in dict.fromkeys(ids)]
        self._many(REFRESH, params)
        self._many(DROP_EMPTY, params)

    def get_story(self, story_id: int) -> StoryRow | None:
        rows = self._rows(STORY + " WHERE s.id = %s", (story_id,))
        return q.row_to_story(rows[0]) if rows else None

    def story_articles(self, story_id: int) -> list[StoredArticle]:
        return self._stored(self._dicts(MEMBERS, (story_id,)))

    def hot_stories(self, since: datetime | None = None, limit: int = 20, offset: int = 0) -> list[StoryRow]:
        window, params = (" WHERE a.published_at >= %s", [since]) if since else ("", [])
        return [q.row_to_story(r) for r in self._rows(HOT + window + HOT_ORDER, [*params, limit, offset])]

    def all_stories(self) -> Iterator[StoryRow]:
        last = 0
        while rows := self._rows(STORY + " WHERE s.id > %s ORDER BY s.id LIMIT 1000", (last,)):
            yield from map(q.row_to_story, rows)
            last = rows[-1][0]
