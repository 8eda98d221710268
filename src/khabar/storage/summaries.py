"""Whole-store aggregates shared by the backends (a mixin of both stores): listing totals and the
articles per section and outlet that every page's navigation shows.

Each costs a scan of the articles (~0.1-1 s at 1M), so a result is kept until the database changes.
A backend says what "changed" means with two methods: :meth:`_summary_version`, a cheap token that
moves with every committed write (``None``: do not keep anything now), and :meth:`_versioned_rows`,
which runs the aggregate and returns the token its result belongs to.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

from khabar.model import Filters, SourceInfo
from khabar.storage.rows import from_utc_text
from khabar.storage.sql import filter_clauses, where

T = TypeVar("T")
MEMO_SIZE = 256  # distinct aggregates kept (listing totals per filter, sections, sources)
_SOURCES = (
    "SELECT s.name, count(a.id), max(a.published_at) FROM sources s"
    " LEFT JOIN articles a ON a.source_id = s.id GROUP BY s.id ORDER BY count(a.id) DESC, s.name"
)
_SECTIONS = "SELECT section, count(*) FROM articles WHERE section <> '' GROUP BY section ORDER BY 2 DESC"


class Summaries:
    _lock: threading.RLock
    _placeholder: str  # the driver's parameter mark
    _summary_memo: dict[Hashable, tuple[Hashable, Any]]

    def count_articles(self, filters: Filters | None = None) -> int:
        clauses, params = filter_clauses(filters, self._placeholder)
        sql = "SELECT count(*) FROM articles a" + where(clauses)
        return self._memoized(("count", filters), sql, params, lambda rows: rows[0][0])

    def sources(self) -> list[SourceInfo]:
        to_infos = lambda rows: [SourceInfo(r[0], r[1], from_utc_text(r[2])) for r in rows]  # noqa: E731
        return list(self._memoized("sources", _SOURCES, (), to_infos))

    def sections(self) -> list[tuple[str, int]]:
        return list(self._memoized("sections", _SECTIONS, (), lambda rows: [(r[0], r[1]) for r in rows]))

    def _summary_version(self) -> Hashable | None:
        raise NotImplementedError

    def _versioned_rows(self, sql: str, params: Sequence[Any]) -> tuple[Hashable | None, list]:
        raise NotImplementedError

    def _memoized(self, key: Hashable, sql: str, params: Sequence[Any], convert: Callable[[list], T]) -> T:
        """``convert(rows of sql)``, or its result from before if the database has not changed since."""
        with self._lock:
            version = self._summary_version()
            kept = self._summary_memo.get(key)
            if version is not None and kept is not None and kept[0] == version:
                return kept[1]
            version, rows = self._versioned_rows(sql, params)
            value = convert(rows)
            if version is not None:
                if len(self._summary_memo) >= MEMO_SIZE:
                    self._summary_memo.clear()
                self._summary_memo[key] = (version, value)
            return value
