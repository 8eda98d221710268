"""What related-article ranking reads, for :class:`~khabar.storage.sqlite.SQLiteStore` (a mixin).

Related articles rank ~50 candidates per request and show ten: decoding every candidate's
paragraphs (JSON, several KB of text each), tags and entities was most of a request's time.
Instead candidates are read as heads (no body, tags or entities), their shared entities and
tags with the seed are counted by index probes, and bodies are read only for the likely picks.
The same read tells which candidates' vectors are stale (their text changed since they were embedded:
``versions``), so serving a related list needs no separate version query. :mod:`.postgres_related`
reuses the SQL.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from khabar.model import StoredArticle
from khabar.storage.rows import row_to_stored, text_version

SELECT_HEAD = """
SELECT a.id, a.url, a.canonical_url, a.title, a.title_inferred, a.lead, '[]' AS paragraphs, a.published_at,
       a.fetched_at, a.author, a.image, a.language, a.section, '[]' AS attributions, a.input_hash, a.story_id,
       s.name AS source, c.url AS copy_of_url, a.content_hash
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


def heads_in_order(
    rows: Iterable[Any], ids: Sequence[int], versions: Mapping[int, int] | None = None
) -> list[StoredArticle]:
    """Head rows as :class:`StoredArticle` (tags and entities empty), in the order of ``ids``; with
    ``versions`` (see :meth:`~khabar.storage.base.Store.article_heads`) only those whose text is that version."""
    heads = _head_rows(rows)
    if versions is not None:
        heads = [r for r in heads if _current(versions.get(r["id"], -1), r["title"], r["content_hash"])]
    by_id = {a.id: a for a in (row_to_stored(r, []) for r in heads)}
    return [by_id[i] for i in ids if i in by_id]


def _current(version: int, title: str, content_hash: str) -> bool:
    """A vector of ``version`` matches the article's present text (0: a vector of unknown version, served)."""
    return version == 0 or version == text_version(title, content_hash)


def _head_rows(rows: Iterable[Any]) -> list[dict[str, Any]]:
    """Head rows as dicts with their constant empty lists given as lists: nothing to decode (``'[]'`` is only
    there to keep the column order of a full row). A ``sqlite3.Row`` is zipped with the column names read
    once: looking each name up in the row costs more than building the rest of the article."""
    rows = list(rows)
    if rows and not isinstance(rows[0], dict):
        names = rows[0].keys()
        out = [dict(zip(names, r, strict=True)) for r in rows]
    else:
        out = [dict(r) for r in rows]
    for r in out:
        r["paragraphs"], r["attributions"] = [], []
    return out


class SQLiteHeads:
    """:meth:`~khabar.storage.base.Store.article_heads` and its companions for SQLite."""

    _rows: Callable[..., list[Any]]

    def article_heads(self, ids: Sequence[int], versions: Mapping[int, int] | None = None) -> list[StoredArticle]:
        if not ids:
            return []
        rows = self._rows(SELECT_HEAD + f" WHERE a.id IN ({_marks(ids)})", list(ids))
        return heads_in_order(rows, ids, versions)

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
