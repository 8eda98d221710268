"""Entities, re-import fingerprints and text versions: the SQLite side of those Store methods."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from khabar.model import Article, NamedEntity
from khabar.storage.base import UNCHANGED, UPDATED
from khabar.storage.dialect import SQLiteDialect, chunks
from khabar.storage.rows import entity_rows, tag_keys, text_version

_ENTITIES = "SELECT article_id, key, text, type FROM article_entities WHERE article_id IN ({}) ORDER BY position"

_TAG_KEYS = (
    "SELECT t.key FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = ? ORDER BY at.rowid"
)


class LabelRefresh:
    """``_refresh_labels`` for both backends, over their ``_stored_labels`` / ``_save_input_hash``."""

    _set_tags: Callable[..., None]
    _set_entities: Callable[..., None]
    _stored_labels: Callable[[int], tuple[list[str], list[tuple[str, str, str]]]]
    _save_input_hash: Callable[[int, str], None]
    _by_url: Callable[[str, Iterable[str]], dict[str, Any]]

    def input_hashes(self, urls: Iterable[str]) -> dict[str, str]:
        return self._by_url("input_hash", urls)

    def _refresh_labels(self, old: Any, article: Article) -> str:
        """Same stored fields: replace tags and entities only where they changed; keep a new fingerprint."""
        article_id = old["id"]
        if article.input_hash and old["input_hash"] != article.input_hash:
            self._save_input_hash(article_id, article.input_hash)
        tags, entities = self._stored_labels(article_id)
        same_tags, same_entities = tags == tag_keys(article.tags), entities == entity_rows(article.entities)
        if not same_tags:
            self._set_tags(article_id, article.tags)
        if not same_entities:
            self._set_entities(article_id, article.entities)
        return UNCHANGED if same_tags and same_entities else UPDATED


class SQLiteEntities(SQLiteDialect, LabelRefresh):
    """Entity rows of articles and the look-ups that let a re-import skip unchanged articles."""

    _conn: sqlite3.Connection
    _rows: Callable[..., list[sqlite3.Row]]

    # -- writing (inside the add_articles transaction) ----------------------
    def _set_entities(self, article_id: int, entities: Sequence[NamedEntity], fresh: bool = False) -> None:
        if not fresh:  # a row just inserted has no entities yet
            self._conn.execute("DELETE FROM article_entities WHERE article_id = ?", (article_id,))
        rows = [(article_id, key, text, kind, pos) for pos, (key, text, kind) in enumerate(entity_rows(entities))]
        self._conn.executemany("INSERT INTO article_entities VALUES (?, ?, ?, ?, ?)", rows)

    def _stored_labels(self, article_id: int) -> tuple[list[str], list[tuple[str, str, str]]]:
        tags = [r[0] for r in self._conn.execute(_TAG_KEYS, (article_id,))]
        return tags, [(r[1], r[2], r[3]) for r in self._conn.execute(_ENTITIES.format("?"), (article_id,))]

    def _save_input_hash(self, article_id: int, input_hash: str) -> None:
        self._conn.execute("UPDATE articles SET input_hash = ? WHERE id = ?", (input_hash, article_id))

    # -- reading ---------------------------------------------------------------
    def _entities_of(self, ids: Sequence[int]) -> dict[int, list[NamedEntity]]:
        found: dict[int, list[NamedEntity]] = {i: [] for i in ids}
        for batch in chunks(ids):
            for aid, _key, text, kind in self._rows(_ENTITIES.format(",".join("?" * len(batch))), batch):
                found[aid].append(NamedEntity(text, kind))
        return found

    def known_tags(self, keys: Iterable[str]) -> set[str]:
        found: set[str] = set()
        for batch in chunks(dict.fromkeys(keys)):
            sql = (
                f"SELECT t.key FROM tags t WHERE t.key IN ({','.join('?' * len(batch))})"
                " AND EXISTS (SELECT 1 FROM article_tags at WHERE at.tag_id = t.id)"
            )
            found.update(r[0] for r in self._rows(sql, batch))
        return found

    def text_versions(self, ids: Iterable[int] | None = None) -> dict[int, int]:
        sql = "SELECT id, title, content_hash FROM articles"
        if ids is None:
            return {r[0]: text_version(r[1], r[2]) for r in self._rows(sql)}
        found: dict[int, int] = {}
        for batch in chunks(dict.fromkeys(ids)):
            rows = self._rows(sql + f" WHERE id IN ({','.join('?' * len(batch))})", batch)
            found.update((r[0], text_version(r[1], r[2])) for r in rows)
        return found
