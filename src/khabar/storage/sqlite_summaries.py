"""Whole-store aggregates of SQLite (a mixin of :class:`~khabar.storage.sqlite.SQLiteStore`): listing
totals and the articles per section and outlet that every page's navigation shows.

Each costs a scan of the articles (~0.1-1 s at 1M), so a result is kept until the database changes:
``PRAGMA data_version`` moves when another connection commits, ``total_changes`` when this one writes.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from khabar.model import Filters, SourceInfo
from khabar.storage.rows import from_utc_text
from khabar.storage.sql import filter_clauses, where

T = TypeVar("T")
MEMO_SIZE = 256  # distinct aggregates kept (listing totals per filter, sections, sources)


class SQLiteSummaries:
    _conn: sqlite3.Connection
    _lock: threading.RLock
    _summary_memo: dict[Hashable, tuple[tuple[int, int], Any]]
    _rows: Callable[..., list[sqlite3.Row]]

    def count_articles(self, filters: Filters | None = None) -> int:
        clauses, params = filter_clauses(filters)
        sql = "SELECT count(*) FROM articles a" + where(clauses)
        return self._memoized(("count", filters), lambda: self._rows(sql, params)[0][0])

    def sources(self) -> list[SourceInfo]:
        sql = (
            "SELECT s.name, count(a.id), max(a.published_at) FROM sources s"
            " LEFT JOIN articles a ON a.source_id = s.id GROUP BY s.id ORDER BY count(a.id) DESC, s.name"
        )
        rows = self._memoized("sources", lambda: [SourceInfo(r[0], r[1], from_utc_text(r[2])) for r in self._rows(sql)])
        return list(rows)

    def sections(self) -> list[tuple[str, int]]:
        sql = "SELECT section, count(*) FROM articles WHERE section != '' GROUP BY section ORDER BY 2 DESC"
        return list(self._memoized("sections", lambda: [(r[0], r[1]) for r in self._rows(sql)]))

    def _memoized(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, or its result from before if the database has not changed since."""
        with self._lock:
            version = (self._conn.execute("PRAGMA data_version").fetchone()[0], self._conn.total_changes)
            kept = self._summary_memo.get(key)
            if kept is not None and kept[0] == version:
                return kept[1]
            value = compute()
            if len(self._summary_memo) >= MEMO_SIZE:
                self._summary_memo.clear()
            self._summary_memo[key] = (version, value)
            return value
