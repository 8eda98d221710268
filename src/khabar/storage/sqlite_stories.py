"""Copies and stories for :class:`~khabar.storage.sqlite.SQLiteStore` (a mixin).

The SQL is written with ``?`` placeholders; :class:`StoryMethods` runs it on either backend.
A story's counts and times are derived from its members by :meth:`refresh_stories`
(which also deletes a story its members all left, e.g. after a merge);
its headline defaults to the earliest non-copy title (the linker may set a better one).
:meth:`_drop_stale_links` runs inside ``add_articles``: an article stored with a new title or
body loses its copy link and story (the linker links it again as if new), and the story it left
is refreshed at once, or deleted when that emptied it, so counts stay right even with ``--no-stories``.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any

from khabar.model import StoredArticle, StoryRow, TextRow
from khabar.storage.dialect import SQLiteDialect
from khabar.storage.rows import from_utc_text
from khabar.storage.sql import SELECT_ARTICLE

SET_COPY = "UPDATE articles SET copy_of = ? WHERE id = ?"
ASSIGN = "UPDATE articles SET story_id = ? WHERE id = ?"
TIMELINE = " ORDER BY a.published_at IS NULL, a.published_at, a.id"
COPIES = SELECT_ARTICLE + " WHERE a.copy_of = ?" + TIMELINE
MEMBERS = SELECT_ARTICLE + " WHERE a.story_id = ?" + TIMELINE
TEXTS = (
    "SELECT a.id, a.title, a.paragraphs, coalesce(s.name, '') AS source, a.published_at, a.story_id, a.copy_of"
    " FROM articles a LEFT JOIN sources s ON s.id = a.source_id WHERE a.id > ? ORDER BY a.id LIMIT ?"
)
STORY = "SELECT s.id, s.headline, s.first_seen, s.last_updated, s.article_count, s.outlet_count FROM stories s"
_OF = " FROM articles a WHERE a.story_id = stories.id"
REFRESH = (
    f"UPDATE stories SET article_count = (SELECT count(*){_OF}),"
    f" outlet_count = (SELECT count(DISTINCT a.source_id){_OF}),"
    f" first_seen = (SELECT min(a.published_at){_OF}), last_updated = (SELECT max(a.published_at){_OF}),"
    f" headline = coalesce((SELECT a.title{_OF} AND a.copy_of IS NULL"
    " ORDER BY a.published_at IS NULL, a.published_at, a.id LIMIT 1), headline)"
    " WHERE id = ?"
)
DROP_EMPTY = "DELETE FROM stories WHERE id = ? AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.story_id = stories.id)"
UNLINK = "UPDATE articles SET story_id = NULL, copy_of = NULL WHERE id = ?"
# What linking reads of an article: a change of text unlinks it, a change of date or outlet refreshes its story.
TEXT_FIELDS, STORY_FIELDS = ("title", "content_hash"), ("published_at", "source_id")
HOT_ORDER = (
    " GROUP BY s.id, s.headline, s.first_seen, s.last_updated, s.article_count, s.outlet_count"
    " HAVING count(DISTINCT a.source_id) >= ?"
    " ORDER BY count(DISTINCT a.source_id) DESC, count(a.id) DESC, s.last_updated IS NULL, s.last_updated DESC, s.id"
    " LIMIT ? OFFSET ?"
)
HOT = STORY + " JOIN articles a ON a.story_id = s.id"
# A story with an article in the window was updated in it, and needs as many outlets in all as in the window:
# candidates come from the stories_recent index (migration 0006), not from grouping every article of the window.
HOT_WINDOW = (
    " WHERE s.id IN (SELECT id FROM stories WHERE outlet_count >= ? AND last_updated >= ?) AND a.published_at >= ?"
)


def row_to_story(row: Sequence[Any]) -> StoryRow:
    """A :class:`StoryRow` from a :data:`STORY` row (either backend's time type)."""
    sid, headline, first, last, articles, outlets = row
    return StoryRow(sid, headline, from_utc_text(first), from_utc_text(last), articles, outlets)


def row_to_text(row: Sequence[Any]) -> TextRow:
    """A :class:`TextRow` from a :data:`TEXTS` row (paragraphs: JSON text or decoded)."""
    aid, title, paragraphs, source, published, story_id, copy_of = row
    paragraphs = json.loads(paragraphs) if isinstance(paragraphs, str) else paragraphs
    return TextRow(aid, title, "\n\n".join(paragraphs), source, from_utc_text(published), story_id, copy_of)


def stale_links(old: Any, values: dict[str, Any]) -> bool | None:
    """True when the links of the stored row ``old`` are stale under new ``values`` (its text changed),
    False when only its story needs a refresh (date or outlet changed), None when nothing linked changed."""
    if old["story_id"] is None and old["copy_of"] is None:
        return None
    if any(old[k] != values[k] for k in TEXT_FIELDS):
        return True
    return False if any(k in values and old[k] != values[k] for k in STORY_FIELDS) else None


def drop_stale_links(execute: Callable[..., Any], old: Any, values: dict[str, Any],
                     sql: tuple[str, str, str] = (UNLINK, REFRESH, DROP_EMPTY)) -> None:
    """Unlink the stored row ``old`` if its text changed under ``values``, then refresh (or delete, when
    emptied) the story it was in; ``sql``: (unlink, refresh, drop-empty) in the backend's dialect."""
    stale = stale_links(old, values)
    if stale is None:
        return
    unlink, refresh, drop_empty = sql
    if stale:
        execute(unlink, (old["id"],))
    if old["story_id"] is not None:
        execute(refresh, (old["story_id"],))
        execute(drop_empty, (old["story_id"],))


class StoryMethods:
    """Copy and story methods shared by both backends, over the :mod:`.dialect` hooks ``_sql`` and
    ``_when`` and ``_article_rows`` (rows :meth:`_stored` takes); the rest differs by dialect."""

    _conn: Any
    _lock: threading.RLock
    _transaction: Callable[[], AbstractContextManager[Any]]
    _rows: Callable[..., list[Any]]
    _article_rows: Callable[..., list[Any]]
    _stored: Callable[[list[Any]], list[StoredArticle]]
    _sql: Callable[[str], str]
    _when: Callable[[datetime], Any]
    _by_url: Callable[[str, Iterable[str]], dict[str, Any]]

    def _many(self, sql: str, params: Sequence[Sequence[Any]]) -> None:
        if not params:
            return
        with self._lock, self._transaction():
            self._conn.cursor().executemany(self._sql(sql), params)

    def ids_for_urls(self, urls: Iterable[str]) -> dict[str, int]:
        return self._by_url("id", urls)

    def set_copy_of(self, pairs: Sequence[tuple[int, int | None]]) -> None:
        self._many(SET_COPY, [(canonical, aid) for aid, canonical in pairs])

    def copies_of(self, article_id: int) -> list[StoredArticle]:
        return self._stored(self._article_rows(self._sql(COPIES), (article_id,)))

    def iter_texts(self, after_id: int = 0, batch: int = 1000) -> Iterator[TextRow]:
        while rows := self._rows(self._sql(TEXTS), (after_id, batch)):
            yield from map(row_to_text, rows)
            after_id = rows[-1][0]

    def save_story(self, headline: str = "", story_id: int | None = None) -> int:
        with self._lock, self._transaction():
            if story_id is None:
                sql = self._sql("INSERT INTO stories (headline) VALUES (?) RETURNING id")
                return self._conn.execute(sql, (headline,)).fetchone()[0]
            self._conn.execute(self._sql("UPDATE stories SET headline = ? WHERE id = ?"), (headline, story_id))
            return story_id

    def assign_stories(self, pairs: Sequence[tuple[int, int]]) -> None:
        self._many(ASSIGN, [(story_id, aid) for aid, story_id in pairs])

    def refresh_stories(self, ids: Iterable[int]) -> None:
        params = [(i,) for i in dict.fromkeys(ids)]
        self._many(REFRESH, params)
        self._many(DROP_EMPTY, params)

    def get_story(self, story_id: int) -> StoryRow | None:
        rows = self._rows(self._sql(STORY + " WHERE s.id = ?"), (story_id,))
        return row_to_story(rows[0]) if rows else None

    def story_articles(self, story_id: int) -> list[StoredArticle]:
        return self._stored(self._article_rows(self._sql(MEMBERS), (story_id,)))

    def hot_stories(
        self, since: datetime | None = None, limit: int = 20, offset: int = 0, min_outlets: int = 1
    ) -> list[StoryRow]:
        if since is None:
            window, params = " WHERE s.outlet_count >= ?", [min_outlets]
        else:
            when = self._when(since)
            window, params = HOT_WINDOW, [min_outlets, when, when]
        sql = self._sql(HOT + window + HOT_ORDER)
        return [row_to_story(r) for r in self._rows(sql, [*params, min_outlets, limit, offset])]

    def all_stories(self) -> Iterator[StoryRow]:
        last = 0
        while rows := self._rows(self._sql(STORY + " WHERE s.id > ? ORDER BY s.id LIMIT 1000"), (last,)):
            yield from map(row_to_story, rows)
            last = rows[-1][0]


class SQLiteStories(SQLiteDialect, StoryMethods):
    """Copy and story methods of the :class:`~khabar.storage.base.Store` interface for SQLite."""

    _conn: sqlite3.Connection

    def _article_rows(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        return self._rows(sql, params)

    def _drop_stale_links(self, old: Any, values: dict[str, Any]) -> None:
        """Inside ``add_articles``, right after the stored row ``old`` was updated to ``values``."""
        drop_stale_links(self._conn.execute, old, values)
