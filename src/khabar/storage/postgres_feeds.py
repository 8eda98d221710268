"""Sources, feeds and crawl state for :class:`~khabar.storage.postgres.PostgresStore` (a mixin).

The statements are :mod:`.sqlite_feeds`' (standard SQL with ``ON CONFLICT``)
with ``%s`` placeholders; times are native ``TIMESTAMPTZ`` values.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import psycopg

from khabar.model import FeedRow
from khabar.storage import sqlite_feeds as q
from khabar.storage.base import MAX_PAGE_ATTEMPTS


def _pg(sql: str) -> str:
    """The statement with psycopg placeholders (none of ours has a literal '?')."""
    return sql.replace("?", "%s")


FEED_SELECT, LIST_ORDER, DUE = _pg(q.FEED_SELECT), _pg(q.LIST_ORDER), _pg(q.DUE)
ADD_SOURCE, ADD_FEED = _pg(q.ADD_SOURCE), _pg(q.ADD_FEED)
SUCCESS, NOT_MODIFIED, ERROR, PAGE_FAILURE = _pg(q.SUCCESS), _pg(q.NOT_MODIFIED), _pg(q.ERROR), _pg(q.PAGE_FAILURE)
KNOWN = (
    "SELECT url FROM articles WHERE url = ANY(%(u)s)"
    " UNION SELECT canonical_url FROM articles WHERE canonical_url = ANY(%(u)s)"
    " UNION SELECT url FROM page_failures WHERE attempts >= %(n)s AND url = ANY(%(u)s)"
)


class PostgresFeeds:
    """Feed methods of the :class:`~khabar.storage.base.Store` interface for PostgreSQL."""

    _conn: psycopg.Connection
    _lock: threading.RLock
    _source_ids: dict[str, int]

    def _write(self, sql: str, params: Sequence[Any]) -> int:
        """Run one statement (autocommit: it is its own transaction); returns the rows changed."""
        with self._lock:
            return self._conn.execute(sql, params).rowcount

    def _source_row(self, name: str, homepage: str) -> int:
        self._conn.execute(ADD_SOURCE, (name, homepage))
        source_id = self._conn.execute("SELECT id FROM sources WHERE name = %s", (name,)).fetchone()[0]
        self._source_ids[name] = source_id
        return source_id

    def add_source(self, name: str, homepage: str = "") -> int:
        with self._lock, self._conn.transaction():
            return self._source_row(name, homepage)

    def add_feed(self, url: str, source: str | None = None, title: str = "", interval_s: int = 3600) -> int:
        with self._lock, self._conn.transaction():
            source_id = self._source_row(source, "") if source else None
            self._conn.execute(ADD_FEED, (url, source_id, title, interval_s))
            return self._conn.execute("SELECT id FROM feeds WHERE url = %s", (url,)).fetchone()[0]

    def _feed_id(self, url: str | None) -> int | None:
        row = self._conn.execute("SELECT id FROM feeds WHERE url = %s", (url,)).fetchone() if url else None
        return row[0] if row else None

    def remove_feed(self, url: str) -> bool:
        return self._write("DELETE FROM feeds WHERE url = %s", (url,)) > 0

    def list_feeds(self) -> list[FeedRow]:
        with self._lock:
            return [q.row_to_feed(r) for r in self._conn.execute(FEED_SELECT + LIST_ORDER)]

    def due_feeds(self, now: datetime, limit: int | None = None) -> list[FeedRow]:
        with self._lock:
            rows = self._conn.execute(FEED_SELECT + DUE + " LIMIT %s", (now, limit))  # LIMIT NULL: all
            return [q.row_to_feed(r) for r in rows]

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
        self._write(SUCCESS, (at, etag, last_modified, title, next_due, int(interval_s), url))

    def record_feed_not_modified(self, url: str, at: datetime, next_due: datetime) -> None:
        self._write(NOT_MODIFIED, (at, next_due, url))

    def record_feed_error(self, url: str, error: str, at: datetime, next_due: datetime) -> None:
        self._write(ERROR, (error, at, next_due, url))

    def record_page_failure(self, url: str, feed_url: str | None, error: str, at: datetime) -> None:
        self._write(PAGE_FAILURE, (url, feed_url, error, at))

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        wanted = list(dict.fromkeys(urls))
        if not wanted:
            return set()
        with self._lock:
            return {r[0] for r in self._conn.execute(KNOWN, {"u": wanted, "n": MAX_PAGE_ATTEMPTS})}
