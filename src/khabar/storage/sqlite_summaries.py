"""SQLite's version token for the kept whole-store aggregates (:mod:`khabar.storage.summaries`):
``PRAGMA data_version`` moves when another connection commits, ``total_changes`` when this one writes.
Nothing is kept while this connection holds a transaction open: its writes may still be rolled back.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from khabar.storage.summaries import Summaries


class SQLiteSummaries(Summaries):
    _conn: sqlite3.Connection
    _rows: Callable[..., list[sqlite3.Row]]
    _placeholder = "?"

    def _summary_version(self) -> tuple[int, int] | None:
        if self._conn.in_transaction:
            return None
        return self._conn.execute("PRAGMA data_version").fetchone()[0], self._conn.total_changes

    def _versioned_rows(self, sql: str, params: Sequence[Any]) -> tuple[tuple[int, int] | None, list]:
        # The token is read first: a commit landing during the query moves it, so the next call recomputes.
        version = self._summary_version()
        return version, self._rows(sql, params)
