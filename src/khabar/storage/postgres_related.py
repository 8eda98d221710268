"""What related-article ranking reads, for :class:`~khabar.storage.postgres.PostgresStore` (a mixin);
see :mod:`.sqlite_related` (the same SQL with ``= ANY(%s)`` for lists)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from khabar.model import StoredArticle
from khabar.storage.sqlite_related import SELECT_HEAD, SHARED_ENTITIES, SHARED_TAGS, heads_in_order


def _any(sql: str) -> str:
    return sql.replace(" IN ({ids})", " = ANY(%s)").replace(" IN ({keys})", " = ANY(%s)")


class PostgresHeads:
    """:meth:`~khabar.storage.base.Store.article_heads` and its companions for PostgreSQL."""

    _rows: Callable[..., list[tuple[Any, ...]]]
    _dicts: Callable[..., list[dict[str, Any]]]

    def article_heads(self, ids: Sequence[int], versions: Mapping[int, int] | None = None) -> list[StoredArticle]:
        if not ids:
            return []
        return heads_in_order(self._dicts(SELECT_HEAD + " WHERE a.id = ANY(%s)", (list(ids),)), ids, versions)

    def article_bodies(self, ids: Sequence[int]) -> dict[int, list[str]]:
        if not ids:
            return {}
        return dict(self._rows("SELECT id, paragraphs FROM articles WHERE id = ANY(%s)", (list(ids),)))

    def shared_labels(
        self, ids: Sequence[int], entity_keys: Iterable[str], tag_keys: Iterable[str]
    ) -> dict[int, tuple[int, int]]:
        counts = []
        for sql, keys in ((SHARED_ENTITIES, list(entity_keys)), (SHARED_TAGS, list(tag_keys))):
            counts.append(dict(self._rows(_any(sql), (list(ids), keys))) if ids and keys else {})
        return {i: (counts[0].get(i, 0), counts[1].get(i, 0)) for i in ids}
