"""Whole-store aggregates of a store (listing totals, sections, outlets: every page's navigation),
computed against kept (``khabar.storage.summaries``), timed on the same store in the same run.

Used by ``bench/search_pg.py`` for both backends; ``computed`` empties the store's kept values
before each call (what every call cost before they were kept), ``kept`` calls again unchanged.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from contextlib import closing

from khabar.model import Filters
from khabar.storage import open_store

REPEAT = 7


def _p50_ms(fn: Callable[[], object], before: Callable[[], object] = lambda: None) -> float:
    times = []
    for _ in range(REPEAT):
        before()
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(times), 3)


def timed(location: str) -> dict[str, dict[str, float]]:
    """p50 wall ms of each aggregate of the store at ``location``, computed and kept."""
    with closing(open_store(location)) as store:
        return _timed(store)


def _timed(store) -> dict[str, dict[str, float]]:
    originals = Filters(originals=True)
    calls = {"count_all": store.count_articles, "count_originals": lambda: store.count_articles(originals),
             "sections": store.sections, "sources": store.sources}
    out = {}
    for name, call in calls.items():
        call()  # warm the caches of the database itself
        out[name] = {"computed_p50_ms": _p50_ms(call, store._summary_memo.clear), "kept_p50_ms": _p50_ms(call)}
    return out
