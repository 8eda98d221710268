"""Sources, feeds and crawl state for :class:`~khabar.storage.postgres.PostgresStore` (a mixin).

The statements are :mod:`.sqlite_feeds`' (standard SQL with ``ON CONFLICT``)
with ``%s`` placeholders; times are native ``TIMESTAMPTZ`` values.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import psycopg

from khabar.model import FeedRow
from khabar.storage import sqlite_feeds as q
from khabar.storage.base import MAX_PAGE_ATTEMPTS
from khabar.storage.dialect import PostgresDialect, pg

DUE_LIMIT = pg(q.FEED_SELECT + q.DUE) + " LIMIT %s"
KNOWN = (
    "SELECT url FROM articles WHERE url = ANY(%(u)s)"
    " UNION SELECT canonical_url FROM articles WHERE canonical_url = ANY(%(u)s)"
    " UNION SELECT url FROM page_failures WHERE attempts >= %(n)s AND url = ANY(%(u)s)"
)


class PostgresFeeds(PostgresDialect, q.FeedMethods):
    """Feed methods of the :class:`~khabar.storage.base.Store` interface for PostgreSQL."""

    _conn: psycopg.Connection

    def _write(self, sql: str, params: Sequence[Any]) -> int:
        """Run one statement (autocommit: it is its own transaction); returns the rows changed."""
        with self._lock:
            return self._conn.execute(sql, params).rowcount

    def due_feeds(self, now: datetime, limit: int | None = None) -> list[FeedRow]:
        with self._lock:
            rows = self._conn.execute(DUE_LIMIT, (now, limit))  # LIMIT NULL: all
            return [q.row_to_feed(r) for r in rows]

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        wanted = list(dict.fromkeys(urls))
        if not wanted:
            return set()
        with self._lock:
            return {r[0] for r in self._conn.execute(KNOWN, {"u": wanted, "n": MAX_PAGE_ATTEMPTS})}
