"""PostgreSQL's version token for the kept whole-store aggregates (:mod:`khabar.storage.summaries`).

The token is the snapshot (``pg_current_snapshot()``: xmin, xmax and the transactions in progress):
two equal snapshots see the same committed data, and any write transaction that starts or ends
moves it. An aggregate is computed in a REPEATABLE READ transaction that reads the snapshot first,
so the kept value belongs to exactly that token. Nothing is kept while this connection is inside
a caller's transaction (its own writes do not move the snapshot and may still be rolled back).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg import pq

from khabar.storage.summaries import Summaries

_SNAPSHOT = "SELECT pg_current_snapshot()::text"


class PostgresSummaries(Summaries):
    _conn: psycopg.Connection
    _lock: threading.RLock
    _placeholder = "%s"

    def _idle(self) -> bool:
        return self._conn.info.transaction_status == pq.TransactionStatus.IDLE

    def _summary_version(self) -> str | None:
        if not self._idle():
            return None
        return self._conn.execute(_SNAPSHOT).fetchone()[0]

    def _versioned_rows(self, sql: str, params: Sequence[Any]) -> tuple[str | None, list]:
        if not self._idle():
            return None, self._conn.execute(sql, params).fetchall()
        with self._conn.transaction():
            self._conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            version = self._conn.execute(_SNAPSHOT).fetchone()[0]
            return version, self._conn.execute(sql, params).fetchall()
