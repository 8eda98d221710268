"""What related-article ranking reads, for :class:`~khabar.storage.sqlite.SQLiteStore` (a mixin).

Related articles rank ~50 candidates per request and show ten: decoding every candidate's
paragraphs (JSON, several KB of text each), tags and entities was most of a request's time.
Instead candidates are read as heads (no body, tags or entities), their shared entities and
tags with the seed are counted by index probes, and bodies are read only for the likely picks.
:mod:`.postgres_related` reuses the SQL.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from khabar.model import StoredArticle
from khabar.storage.rows import row_to_stored

SELECT_HEAD = """
SELECT a.id, a.url, a.canonical_url, a.title, a.title_inferred, a.lead, '[]' AS paragraphs, a.published_at,
       a.fetched_at, a.author, a.image, a.language, a.section, '[]' AS attributions, a.input_hash, a.story_id,
       s.name AS source, c.url AS copy_of_url
FROM articles a
LEFT JOIN sources s ON s.id = a.source_id
LEFT JOIN articles c ON c.id = a.copy_of
"""
# {ids} and {keys}: the placeholders of both lists
SHARED_ENTITIES = (
    "SELECT article_id, count(DISTINCT key) FROM article_entities"
    " WHERE article_id IN ({ids}) AND key IN ({keys}) GROUP BY article_id"
)
SHARED_TAGS = (
    "SELECT article_id, count(*) FROM article_tags"
    " WHERE article_id IN ({ids}) AND tag_id IN (SELECT id FROM tags WHERE key IN ({keys})) GROUP BY article_id"
)


def heads_in_order(rows: Iterable[Any], ids: Sequence[int]) -> list[StoredArticle]:
    """Head rows as :class:`StoredArticle` (tags and entities empty), in the order of ``ids``."""
    by_id = {a.id: a for a in (row_to_stored(_head_row(r), []) for r in rows)}
    return [by_id[i] for i in ids if i in by_id]


def _head_row(row: Any) -> dict[str, Any]:
    """A head row with its constant empty lists given as lists: nothing to decode (``'[]'`` is only there
    to keep the column order of a full row)."""
    out = dict(row)
    out["paragraphs"], out["attributions"] = [], []
    return out


class SQLiteHeads:
    """:meth:`~khabar.storage.base.Store.article_heads` and its companions for SQLite."""

    _rows: Callable[..., list[Any]]

    def article_heads(self, ids: Sequence[int]) -> list[StoredArticle]:
        if not ids:
            return []
        return heads_in_order(self._rows(SELECT_HEAD + f" WHERE a.id IN ({_marks(ids)})", list(ids)), ids)

    def article_bodies(self, ids: Sequence[int]) -> dict[int, list[str]]:
        if not ids:
            return {}
        rows = self._rows(f"SELECT id, paragraphs FROM articles WHERE id IN ({_marks(ids)})", list(ids))
        return {r[0]: json.loads(r[1]) for r in rows}

    def shared_labels(
        self, ids: Sequence[int], entity_keys: Iterable[str], tag_keys: Iterable[str]
    ) -> dict[int, tuple[int, int]]:
        counts = []
        for sql, keys in ((SHARED_ENTITIES, list(entity_keys)), (SHARED_TAGS, list(tag_keys))):
            query = sql.format(ids=_marks(ids), keys=_marks(keys))
            counts.append(dict(self._rows(query, [*ids, *keys])) if ids and keys else {})
        return {i: (counts[0].get(i, 0), counts[1].get(i, 0)) for i in ids}


def _marks(items: Sequence[Any]) -> str:
    return ",".join("?" * len(items))
