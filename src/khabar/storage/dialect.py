"""What the shared storage mixins need to know of a backend's SQL dialect.

The shared statements are written for SQLite (``?`` placeholders, times as UTC text);
each backend's mixins take one of these classes to run them.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime
from functools import cache
from typing import Any

from khabar.storage.rows import to_utc_text


@cache
def pg(sql: str) -> str:
    """The statement with psycopg placeholders (none of ours has a literal '?')."""
    return sql.replace("?", "%s")


class SQLiteDialect:
    """Statements as written; times as ISO 8601 UTC text."""

    def _sql(self, sql: str) -> str:
        return sql

    def _when(self, t: datetime) -> str | None:
        return to_utc_text(t)


class PostgresDialect:
    """``%s`` placeholders; times as native ``TIMESTAMPTZ`` values; psycopg transactions."""

    _conn: Any

    def _transaction(self) -> AbstractContextManager[Any]:
        return self._conn.transaction()

    def _sql(self, sql: str) -> str:
        return pg(sql)

    def _when(self, t: datetime) -> datetime:
        return t
