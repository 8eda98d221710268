"""The ranking cap of :meth:`PostgresStore.search_ids`, as SQLite's (see :meth:`SQLiteStore.search_ids`).

``ts_rank_cd`` reads and scores the tsvector of every match: a common word matches most of a
large store, so a query matching more than ``RANKED_MAX`` articles ranks only its newest
~RANKED_MAX matches (more while a page comes out short). Whether it does is estimated by
counting the matches among the newest ``SAMPLE`` articles (counting does not rank).
SQLite's other saving, leaving very common words of an all-words query unscored
(:mod:`~khabar.storage.sqlite_scoring`), has no twin here: ``ts_rank_cd`` uses no IDF, so a
common word costs nothing beyond its matches.

The id-window statements (the sample count, and the capped ranking when no filter joins the
articles) run with plain index scans off (:func:`window_rows`): the planner otherwise walks the
primary key over the whole window and unpacks every row's tsvector to test ``@@`` (26k buffers,
24 ms for one sample count at 100k articles), where a bitmap of the search index ANDed with the id
range reads a few hundred (1.4 ms); same rows, same order (``bench/search_pg.py``'s ``plan_check``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import psycopg
from psycopg.pq import TransactionStatus

from khabar.storage import limits as _limits  # RANKED_MAX and SAMPLE: one setting for both backends

Rows = Callable[..., list[tuple[Any, ...]]]


def window_rows(conn: psycopg.Connection, lock: threading.RLock) -> Rows:
    """``rows(sql, params)`` for an id-window search statement, planned with plain index scans off
    (see the module docstring). Inside a caller's transaction the setting would outlive the
    statement, so there the statement is planned as usual."""

    def rows(sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
        with lock:
            if conn.info.transaction_status != TransactionStatus.IDLE:
                return conn.execute(sql, params).fetchall()
            with conn.transaction():
                conn.execute("SET LOCAL enable_indexscan = off")
                return conn.execute(sql, params).fetchall()

    return rows


def ranking_floor(rows: Rows, tsquery: str, qparams: list[str], counted: Rows | None = None) -> tuple[int, int]:
    """(newest id, id above which to rank): 0 unless the newest SAMPLE articles say the query matches
    more than RANKED_MAX in all (counted through ``counted``, e.g. :func:`window_rows`, when given)."""
    ranked_max, sample_size = _limits.RANKED_MAX, _limits.SAMPLE
    newest = rows("SELECT max(article_id) FROM article_search")[0][0] or 0
    if newest <= ranked_max:
        return newest, 0
    window = min(sample_size, newest)
    sql = f"SELECT count(*) FROM article_search s WHERE s.terms @@ {tsquery} AND s.article_id > %s"
    sample = (counted or rows)(sql, [*qparams, newest - window])[0][0]
    if sample * newest <= ranked_max * window:
        return newest, 0
    return newest, newest - ranked_max * window // sample


def capped(
    rows: Rows,
    tsquery: str,
    qparams: list[str],
    limit: int,
    ranked: Callable[[int], list[tuple[Any, ...]]],
    counted: Rows | None = None,
) -> list[tuple[Any, ...]]:
    """``ranked(floor)`` (the page among matches with ids above ``floor``), lowering the floor 8-fold
    towards 0 while the page comes out short; the floor's sample is counted through ``counted``."""
    newest, floor = ranking_floor(rows, tsquery, qparams, counted)
    while True:
        found = ranked(floor)
        if len(found) >= limit or floor <= 0:
            return found
        floor = newest - 8 * (newest - floor)
