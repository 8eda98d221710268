"""Ranked full-text search over SQLite's FTS5 index (a mixin of :class:`~khabar.storage.sqlite.SQLiteStore`).

BM25, title weighted. A query matching more than :data:`~khabar.storage.limits.RANKED_MAX` articles
ranks only its newest ~RANKED_MAX matches (more while a page comes out short): BM25 costs 1-6 µs a
match (more for words a text repeats); among that many matches of a common word the newest serve a
reader best. How many a query, or one of its words, matches is estimated by counting among the
newest articles (counting skips BM25: ~0.1 µs a match).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Sequence
from typing import Any

from khabar.model import Filters, TextQuery
from khabar.storage import limits
from khabar.storage.fts5rank import RankConnection, Ranker, rank_call
from khabar.storage.sqlite_scoring import common_terms, fts5_match, phrase_exprs, ranked_sql, without

HITS_MEMO = 4096  # (phrase, newest id) -> estimated matches, reused by paging and the any-word retry

Rows = Callable[[str, Sequence[Any]], Sequence[Any]]


class SQLiteSearch:
    _conn: sqlite3.Connection
    _lock: threading.RLock
    _title_weight: float
    ranking: RankConnection
    _hits_memo: dict[tuple[str, int], float]
    _rows: Callable[..., list[sqlite3.Row]]

    def search_ids(
        self, query: TextQuery, limit: int = 10, offset: int = 0, filters: Filters | None = None
    ) -> list[tuple[int, float]]:
        """(id, BM25 score) best first; see the module docstring for what a broad query ranks."""
        if query.is_empty:
            return []
        newest = self._rows("SELECT max(id) FROM articles")[0][0] or 0
        match = fts5_match(query)
        floor = self._ranking_floor(match, newest)
        ranker = self._ranker()
        if ranker is not None:
            rank = rank_call(self._title_weight, self._phrase_hits(query, newest))
            return self._capped(self._locked(ranker), rank, match, None, newest, floor, (limit, offset, filters))
        window = min(limits.SAMPLE, newest) or 1
        unscored = common_terms(query, lambda t: self._count_above(f'"{t}"', newest - window) / window, newest)
        required, scored = (match, fts5_match(without(query, unscored))) if unscored else (None, match)
        rank = rank_call(self._title_weight, None)
        return self._capped(self._rows, rank, scored, required, newest, floor, (limit, offset, filters))

    def _capped(self, rows: Rows, rank: str, scored: str, required: str | None, newest: int, floor: int,
                page: tuple[int, int, Filters | None]) -> list[tuple[int, float]]:
        """The page among matches above ``floor``, lowering the floor 8-fold towards 0 while it comes out short."""
        limit, offset, filters = page
        while True:
            sql, params = ranked_sql(rank, filters, floor, required)
            found = rows(sql, [scored, *params, limit, offset])
            if len(found) >= limit or floor <= 0:
                return [(r[0], float(r[1])) for r in found]
            floor = newest - 8 * (newest - floor)

    def _ranker(self) -> Ranker | None:
        """The ``khabar_bm25`` connection, unless this connection holds uncommitted writes it would not see."""
        return None if self._conn.in_transaction else self.ranking.get()

    def _locked(self, ranker: Ranker) -> Rows:
        def rows(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
            with self._lock:
                return ranker.rows(sql, list(params))

        return rows

    def _count_above(self, match: str, floor: int) -> int:
        """Matches with ids above ``floor``."""
        sql = "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ? AND rowid > ?"
        return self._rows(sql, (match, floor))[0][0]

    def _ranking_floor(self, match: str, newest: int) -> int:
        """The id above which to rank: 0 unless the newest SAMPLE articles say the query matches more
        than RANKED_MAX in all."""
        if newest <= limits.RANKED_MAX:
            return 0
        window = min(limits.SAMPLE, newest)
        sample = self._count_above(match, newest - window)
        if sample * newest <= limits.RANKED_MAX * window:
            return 0
        return newest - limits.RANKED_MAX * window // sample

    def _phrase_hits(self, query: TextQuery, newest: int) -> list[float]:
        """Estimated matches of each phrase of the query's MATCH expression, in its order (exclusions 0:
        a returned row never holds them)."""
        return [self._estimated_hits(p, newest) for p in phrase_exprs(query)] + [0.0] * len(query.excluded)

    def _estimated_hits(self, phrase: str, newest: int) -> float:
        """Matches among the newest SAMPLE ids, widened tenfold until MIN_SEEN are seen, scaled to the
        store: exact in a store of at most SAMPLE articles and for rare words."""
        key = (phrase, newest)
        if key in self._hits_memo:
            return self._hits_memo[key]
        window = min(limits.SAMPLE, newest)
        seen = self._count_above(phrase, newest - window)
        while seen < limits.MIN_SEEN and window < newest:
            window = min(window * 10, newest)
            seen = self._count_above(phrase, newest - window)
        if len(self._hits_memo) >= HITS_MEMO:
            self._hits_memo.clear()
        self._hits_memo[key] = hits = seen * newest / window if window else 0.0
        return hits
