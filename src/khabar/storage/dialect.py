"""What the shared storage mixins need to know of a backend's SQL dialect.

The shared statements are written for SQLite (``?`` placeholders, times as UTC text);
each backend's mixins take one of these classes to run them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from datetime import datetime
from functools import cache
from itertools import islice
from typing import Any

from khabar.storage.rows import to_utc_text


def chunks(items: Iterable[str], size: int = 500) -> Iterator[list[str]]:
    """Lists of at most ``size`` items (keeps IN lists under parameter limits)."""
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


@cache
def pg(sql: str) -> str:
    """The statement with psycopg placeholders (none of ours has a literal '?')."""
    return sql.replace("?", "%s")


class SQLiteDialect:
    """Statements as written; times as ISO 8601 UTC text."""

    _rows: Callable[..., list[Any]]

    def _by_url(self, column: str, urls: Iterable[str]) -> dict[str, Any]:
        """``{url: column}`` of the stored articles among ``urls`` (by ``url``)."""
        found: dict[str, Any] = {}
        for batch in chunks(dict.fromkeys(urls)):
            sql = f"SELECT url, {column} FROM articles WHERE url IN ({','.join('?' * len(batch))})"
            found.update((r[0], r[1]) for r in self._rows(sql, batch))
        return found

    def _sql(self, sql: str) -> str:
        return sql

    def _when(self, t: datetime) -> str | None:
        return to_utc_text(t)


class PostgresDialect:
    """``%s`` placeholders; times as native ``TIMESTAMPTZ`` values; psycopg transactions."""

    _conn: Any
    _rows: Callable[..., list[Any]]

    def _transaction(self) -> AbstractContextManager[Any]:
        return self._conn.transaction()

    def _by_url(self, column: str, urls: Iterable[str]) -> dict[str, Any]:
        """``{url: column}`` of the stored articles among ``urls`` (by ``url``)."""
        wanted = list(dict.fromkeys(urls))
        rows = self._rows(f"SELECT url, {column} FROM articles WHERE url = ANY(%s)", (wanted,)) if wanted else []
        return {r[0]: r[1] for r in rows}

    def _sql(self, sql: str) -> str:
        return pg(sql)

    def _when(self, t: datetime) -> datetime:
        return t
