"""Copies and stories for :class:`~khabar.storage.postgres.PostgresStore` (a mixin).

The statements are :mod:`.sqlite_stories`' (run by its :class:`StoryMethods`) with ``%s``
placeholders; times are native ``TIMESTAMPTZ`` values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import psycopg

from khabar.storage import sqlite_stories as q
from khabar.storage.dialect import PostgresDialect, pg
from khabar.storage.rows import to_utc_text

STALE_SQL = (pg(q.UNLINK), pg(q.REFRESH), pg(q.DROP_EMPTY))


class PostgresStories(PostgresDialect, q.StoryMethods):
    """Copy and story methods of the :class:`~khabar.storage.base.Store` interface for PostgreSQL."""

    _conn: psycopg.Connection
    _dicts: Callable[..., list[dict[str, Any]]]

    def _article_rows(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        return self._dicts(sql, params)

    def _drop_stale_links(self, old: dict[str, Any], values: dict[str, Any]) -> None:
        """Inside ``add_articles``, right after the stored row ``old`` was updated to ``values``
        (see :meth:`.sqlite_stories.SQLiteStories._drop_stale_links`)."""
        as_sqlite = {**old, "published_at": to_utc_text(old["published_at"])}  # stale_links compares text dates
        q.drop_stale_links(self._conn.execute, as_sqlite, values, STALE_SQL)
