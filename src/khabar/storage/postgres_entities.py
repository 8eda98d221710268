"""Entities, re-import fingerprints and text versions: the PostgreSQL side of those Store methods."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import psycopg

from khabar.model import NamedEntity
from khabar.storage.dialect import PostgresDialect
from khabar.storage.rows import entity_rows, text_version
from khabar.storage.sqlite_entities import LabelRefresh

_ENTITIES = (
    "SELECT article_id, key, text, type FROM article_entities WHERE article_id = ANY(%s)"
    " ORDER BY article_id, position"
)
_TAG_KEYS = (
    "SELECT t.key FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = %s ORDER BY at.position"
)


class PostgresEntities(PostgresDialect, LabelRefresh):
    """Entity rows of articles and the look-ups that let a re-import skip unchanged articles."""

    _conn: psycopg.Connection
    _rows: Callable[..., list[tuple[Any, ...]]]

    # -- writing (inside the add_articles transaction) ----------------------
    def _set_entities(self, article_id: int, entities: Sequence[NamedEntity]) -> None:
        self._conn.execute("DELETE FROM article_entities WHERE article_id = %s", (article_id,))
        rows = [(article_id, key, text, kind, pos) for pos, (key, text, kind) in enumerate(entity_rows(entities))]
        if rows:
            self._conn.cursor().executemany("INSERT INTO article_entities VALUES (%s, %s, %s, %s, %s)", rows)

    def _stored_labels(self, article_id: int) -> tuple[list[str], list[tuple[str, str, str]]]:
        tags = [r[0] for r in self._conn.execute(_TAG_KEYS, (article_id,))]
        return tags, [(r[1], r[2], r[3]) for r in self._conn.execute(_ENTITIES, ([article_id],))]

    def _save_input_hash(self, article_id: int, input_hash: str) -> None:
        self._conn.execute("UPDATE articles SET input_hash = %s WHERE id = %s", (input_hash, article_id))

    # -- reading ---------------------------------------------------------------
    def _entities_of(self, ids: Sequence[int]) -> dict[int, list[NamedEntity]]:
        found: dict[int, list[NamedEntity]] = {i: [] for i in ids}
        if ids:
            for aid, _key, text, kind in self._rows(_ENTITIES, (list(ids),)):
                found[aid].append(NamedEntity(text, kind))
        return found

    def known_tags(self, keys: Iterable[str]) -> set[str]:
        wanted = list(dict.fromkeys(keys))
        if not wanted:
            return set()
        sql = (
            "SELECT t.key FROM tags t WHERE t.key = ANY(%s)"
            " AND EXISTS (SELECT 1 FROM article_tags at WHERE at.tag_id = t.id)"
        )
        return {r[0] for r in self._rows(sql, (wanted,))}

    def text_versions(self, ids: Iterable[int] | None = None) -> dict[int, int]:
        sql = "SELECT id, title, content_hash FROM articles"
        rows = self._rows(sql) if ids is None else self._rows(sql + " WHERE id = ANY(%s)", (list(ids),))
        return {r[0]: text_version(r[1], r[2]) for r in rows}
