"""The ranking cap of :meth:`PostgresStore.search_ids`, as SQLite's (see :meth:`SQLiteStore.search_ids`).

``ts_rank_cd`` reads and scores the tsvector of every match: a common word matches most of a
large store, so a query matching more than ``RANKED_MAX`` articles ranks only its newest
~RANKED_MAX matches (more while a page comes out short). Whether it does is estimated by
counting the matches among the newest ``SAMPLE`` articles (counting does not rank).
SQLite's other saving, leaving very common words of an all-words query unscored
(:mod:`~khabar.storage.sqlite_scoring`), has no twin here: ``ts_rank_cd`` uses no IDF, so a
common word costs nothing beyond its matches.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from khabar.storage import limits as _limits  # RANKED_MAX and SAMPLE: one setting for both backends

Rows = Callable[..., list[tuple[Any, ...]]]


def ranking_floor(rows: Rows, tsquery: str, qparams: list[str]) -> tuple[int, int]:
    """(newest id, id above which to rank): 0 unless the newest SAMPLE articles say the query matches
    more than RANKED_MAX in all."""
    ranked_max, sample_size = _limits.RANKED_MAX, _limits.SAMPLE
    newest = rows("SELECT max(article_id) FROM article_search")[0][0] or 0
    if newest <= ranked_max:
        return newest, 0
    window = min(sample_size, newest)
    sql = f"SELECT count(*) FROM article_search s WHERE s.terms @@ {tsquery} AND s.article_id > %s"
    sample = rows(sql, [*qparams, newest - window])[0][0]
    if sample * newest <= ranked_max * window:
        return newest, 0
    return newest, newest - ranked_max * window // sample


def capped(
    rows: Rows, tsquery: str, qparams: list[str], limit: int, ranked: Callable[[int], list[tuple[Any, ...]]]
) -> list[tuple[Any, ...]]:
    """``ranked(floor)`` (the page among matches with ids above ``floor``), lowering the floor 8-fold
    towards 0 while the page comes out short."""
    newest, floor = ranking_floor(rows, tsquery, qparams)
    while True:
        found = ranked(floor)
        if len(found) >= limit or floor <= 0:
            return found
        floor = newest - 8 * (newest - floor)
