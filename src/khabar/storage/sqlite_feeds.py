"""Sources, feeds and crawl state for :class:`~khabar.storage.sqlite.SQLiteStore` (a mixin).

The SQL is written with ``?`` placeholders. :class:`FeedMethods` holds what both
backends share; :mod:`.postgres_feeds` adds the PostgreSQL dialect.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any

from khabar.model import FeedRow
from khabar.storage.base import MAX_PAGE_ATTEMPTS
from khabar.storage.dialect import SQLiteDialect, chunks
from khabar.storage.rows import from_utc_text, to_utc_text

FEED_SELECT = """
SELECT f.url, f.title, coalesce(s.name, '') AS source, f.last_success, f.last_error, f.last_error_at,
       f.next_due, f.interval_s, f.error_count, f.etag, f.last_modified,
       (SELECT count(*) FROM articles a WHERE a.feed_id = f.id) AS articles
FROM feeds f LEFT JOIN sources s ON s.id = f.source_id
"""
LIST_ORDER = " ORDER BY coalesce(s.name, '') = '', coalesce(s.name, ''), f.url"
DUE = " WHERE f.next_due IS NULL OR f.next_due <= ? ORDER BY f.next_due IS NOT NULL, f.next_due, f.id"
ADD_SOURCE = (
    "INSERT INTO sources (name, homepage) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET homepage ="
    " CASE WHEN excluded.homepage <> '' THEN excluded.homepage ELSE sources.homepage END"
)
# Idempotent: an existing feed keeps its state; only a missing source or title is filled in.
ADD_FEED = (
    "INSERT INTO feeds (url, source_id, title, interval_s) VALUES (?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET"
    " source_id = coalesce(feeds.source_id, excluded.source_id),"
    " title = CASE WHEN feeds.title = '' THEN excluded.title ELSE feeds.title END"
)
SUCCESS = (
    "UPDATE feeds SET last_success = ?, etag = ?, last_modified = ?,"
    " title = CASE WHEN title = '' THEN ? ELSE title END, next_due = ?, interval_s = ?, error_count = 0"
    " WHERE url = ?"
)
NOT_MODIFIED = "UPDATE feeds SET last_success = ?, next_due = ?, error_count = 0 WHERE url = ?"
ERROR = "UPDATE feeds SET last_error = ?, last_error_at = ?, next_due = ?, error_count = error_count + 1 WHERE url = ?"
PAGE_FAILURE = (
    "INSERT INTO page_failures (url, feed_id, error, attempts, last_at)"
    " VALUES (?, (SELECT id FROM feeds WHERE url = ?), ?, 1, ?) ON CONFLICT (url) DO UPDATE SET"
    " error = excluded.error, attempts = page_failures.attempts + 1, last_at = excluded.last_at"
)
FEED_FIELDS = tuple(FeedRow.__dataclass_fields__)
_TIMES = ("last_success", "last_error_at", "next_due")


def row_to_feed(row: Sequence[Any]) -> FeedRow:
    """A :class:`FeedRow` from a :data:`FEED_SELECT` row (either backend's time type)."""
    values = dict(zip(FEED_FIELDS, row, strict=True))
    for key in _TIMES:
        values[key] = from_utc_text(values[key])
    return FeedRow(**values)



class FeedMethods:
    """Feed methods shared by both backends, over the :mod:`.dialect` hooks ``_sql`` and ``_when``;
    :meth:`_write`, :meth:`due_feeds` and :meth:`known_urls` differ by dialect and live in the subclasses."""

    _conn: Any
    _lock: threading.RLock
    _source_ids: dict[str, int]
    _transaction: Callable[[], AbstractContextManager[Any]]
    _sql: Callable[[str], str]
    _when: Callable[[datetime], Any]
    _by_url: Callable[[str, Iterable[str]], dict[str, Any]]

    def _write(self, sql: str, params: Sequence[Any]) -> int:
        raise NotImplementedError

    def _source_row(self, name: str, homepage: str) -> int:
        self._conn.execute(self._sql(ADD_SOURCE), (name, homepage))
        source_id = self._conn.execute(self._sql("SELECT id FROM sources WHERE name = ?"), (name,)).fetchone()[0]
        self._source_ids[name] = source_id
        return source_id

    def add_source(self, name: str, homepage: str = "") -> int:
        with self._lock, self._transaction():
            return self._source_row(name, homepage)

    def add_feed(self, url: str, source: str | None = None, title: str = "", interval_s: int = 3600) -> int:
        with self._lock, self._transaction():
            source_id = self._source_row(source, "") if source else None
            self._conn.execute(self._sql(ADD_FEED), (url, source_id, title, interval_s))
            return self._feed_id(url)

    def _feed_id(self, url: str | None) -> int | None:
        row = self._conn.execute(self._sql("SELECT id FROM feeds WHERE url = ?"), (url,)).fetchone() if url else None
        return row[0] if row else None

    def remove_feed(self, url: str) -> bool:
        return self._write(self._sql("DELETE FROM feeds WHERE url = ?"), (url,)) > 0

    def list_feeds(self) -> list[FeedRow]:
        with self._lock:
            return [row_to_feed(r) for r in self._conn.execute(FEED_SELECT + LIST_ORDER)]

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
        params = (self._when(at), etag, last_modified, title, self._when(next_due), int(interval_s), url)
        self._write(self._sql(SUCCESS), params)

    def record_feed_not_modified(self, url: str, at: datetime, next_due: datetime) -> None:
        self._write(self._sql(NOT_MODIFIED), (self._when(at), self._when(next_due), url))

    def record_feed_error(self, url: str, error: str, at: datetime, next_due: datetime) -> None:
        self._write(self._sql(ERROR), (error, self._when(at), self._when(next_due), url))

    def record_page_failure(self, url: str, feed_url: str | None, error: str, at: datetime) -> None:
        self._write(self._sql(PAGE_FAILURE), (url, feed_url, error, self._when(at)))

    def last_fetched(self, urls: Iterable[str]) -> dict[str, datetime]:
        return {url: from_utc_text(at) for url, at in self._by_url("fetched_at", urls).items() if at}


class SQLiteFeeds(SQLiteDialect, FeedMethods):
    """Feed methods of the :class:`~khabar.storage.base.Store` interface for SQLite."""

    _conn: sqlite3.Connection

    def _write(self, sql: str, params: Sequence[Any]) -> int:
        """Run one statement in its own transaction; returns the rows changed."""
        with self._lock, self._transaction():
            return self._conn.execute(sql, params).rowcount

    def due_feeds(self, now: datetime, limit: int | None = None) -> list[FeedRow]:
        with self._lock:
            params = (to_utc_text(now), -1 if limit is None else limit)  # LIMIT -1: all
            rows = self._conn.execute(FEED_SELECT + DUE + " LIMIT ?", params)
            return [row_to_feed(r) for r in rows]

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        found: set[str] = set()
        with self._lock:
            for batch in chunks(dict.fromkeys(urls)):
                marks = ",".join("?" * len(batch))
                sql = (
                    f"SELECT url FROM articles WHERE url IN ({marks})"
                    f" UNION SELECT canonical_url FROM articles WHERE canonical_url IN ({marks})"
                    f" UNION SELECT url FROM page_failures WHERE attempts >= ? AND url IN ({marks})"
                )
                found.update(r[0] for r in self._conn.execute(sql, [*batch, *batch, MAX_PAGE_ATTEMPTS, *batch]))
        return found
