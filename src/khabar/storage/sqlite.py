"""SQLite backend: one file, WAL, foreign keys, one writer, FTS5 search."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Hashable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from khabar.arabic import search_terms
from khabar.arabic.fingerprint import analyzer_fingerprint
from khabar.model import Article, Filters, StoredArticle
from khabar.storage.base import IMPORTED, UPDATED, Analyzer, Store
from khabar.storage.fts5rank import RankConnection
from khabar.storage.migrate import migrations
from khabar.storage.rows import article_values, fts_text, row_to_stored, tag_key
from khabar.storage.sql import LATEST_ORDER, SELECT_ARTICLE, filter_clauses, where
from khabar.storage.sqlite_entities import SQLiteEntities
from khabar.storage.sqlite_feeds import SQLiteFeeds
from khabar.storage.sqlite_related import SQLiteHeads
from khabar.storage.sqlite_scoring import fts5_match
from khabar.storage.sqlite_search import SQLiteSearch
from khabar.storage.sqlite_stories import SQLiteStories
from khabar.storage.sqlite_summaries import SQLiteSummaries
from khabar.storage.story_glances import StoryGlances

log = logging.getLogger(__name__)


__all__ = ["SQLiteStore", "fts5_match"]


class SQLiteStore(
    SQLiteSearch, SQLiteSummaries, SQLiteFeeds, SQLiteStories, SQLiteEntities, SQLiteHeads, StoryGlances, Store
):
    """Store in a single SQLite file. Safe to share between threads (one lock)."""

    def __init__(
        self,
        path: str,
        analyzer: Analyzer = search_terms,
        title_weight: float = 5.0,
        analyzer_version: str | None = None,
    ) -> None:
        self.path = path
        self._analyzer = analyzer
        self._title_weight = float(title_weight)
        self._lock = threading.RLock()
        self._source_ids: dict[str, int] = {}
        self.ranking = RankConnection(path)  # search's khabar_bm25 connection (see storage.fts5rank)
        self._hits_memo: dict[tuple[str, int], float] = {}
        self._summary_memo: dict[Hashable, tuple[Hashable, Any]] = {}
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
        self._conn.row_factory = sqlite3.Row
        for pragma in ("busy_timeout=30000", "foreign_keys=ON", "synchronous=NORMAL"):
            self._conn.execute(f"PRAGMA {pragma}")
        self._enable_wal()
        self._migrate()
        self._check_index(analyzer_version or analyzer_fingerprint())

    # -- schema -----------------------------------------------------------
    def _enable_wal(self, attempts: int = 50) -> None:
        """Switch to WAL. The switch fails at once (no busy handler) while another process
        is creating the same file, so it is retried briefly."""
        for attempt in range(attempts):
            try:
                self._conn.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == attempts - 1:
                    raise
                time.sleep(0.1)
    def _migrate(self) -> None:
        with self._lock:
            self._conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT)")
            done = {r[0] for r in self._conn.execute("SELECT version FROM schema_migrations")}
            for version, name, sql in migrations("sqlite"):
                if version in done:
                    continue
                with self._transaction():
                    # BEGIN IMMEDIATE holds the write lock: another process may have just applied it.
                    if self._conn.execute("SELECT 1 FROM schema_migrations WHERE version = ?", (version,)).fetchone():
                        continue
                    for statement in _statements(sql):
                        self._conn.execute(statement)
                    self._conn.execute("INSERT INTO schema_migrations VALUES (?, ?)", (version, name))

    def _check_index(self, version: str) -> None:
        """Rebuild the text index when it was built by another analyzer version."""
        row = self._conn.execute("SELECT value FROM meta WHERE key = 'analyzer'").fetchone()
        if row is not None and row[0] == version:
            return
        if row is not None:
            log.warning("search index was built by another analyzer version: rebuilding it")
            self.rebuild_index()
        with self._lock, self._transaction():
            self._conn.execute("INSERT OR REPLACE INTO meta VALUES ('analyzer', ?)", (version,))

    def rebuild_index(self) -> int:
        """Re-derive every article's index terms; returns the number of articles indexed."""
        with self._lock, self._transaction():
            self._conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('delete-all')")
            rows = self._conn.execute("SELECT id, title, paragraphs FROM articles").fetchall()
            for row in rows:
                self._index(row["id"], row["title"], "\n\n".join(json.loads(row["paragraphs"])))
        return len(rows)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    # -- writing ----------------------------------------------------------
    def add_articles(self, articles: Sequence[Article], feed_url: str | None = None) -> list[str]:
        with self._lock:
            try:
                with self._transaction():
                    feed_id = self._feed_id(feed_url)
                    return [self._add_one(a, feed_id) for a in articles]
            except BaseException:
                self._source_ids.clear()  # outlets created in the rolled-back batch are gone
                raise

    def _add_one(self, article: Article, feed_id: int | None = None) -> str:
        values = article_values(article)
        values["source_id"] = self._source_id(article.source)
        if feed_id is not None:  # without a feed, a re-import keeps the article's feed link
            values["feed_id"] = feed_id
        old = self._conn.execute("SELECT * FROM articles WHERE url = ?", (article.url,)).fetchone()
        if old is not None and all(old[k] == v for k, v in values.items() if k != "input_hash"):
            return self._refresh_labels(old, article)
        if old is None:
            cols = ", ".join(values)
            marks = ", ".join("?" * len(values))
            cur = self._conn.execute(f"INSERT INTO articles ({cols}) VALUES ({marks})", tuple(values.values()))
            article_id, status = cur.lastrowid, IMPORTED
        else:
            article_id, status = old["id"], UPDATED
            self._unindex(article_id, old["title"], old["paragraphs"])
            sets = ", ".join(f"{k} = ?" for k in values)
            self._conn.execute(f"UPDATE articles SET {sets} WHERE id = ?", (*values.values(), article_id))
            self._drop_stale_links(old, values)  # a new text drops its copy/story links (sqlite_stories)
        self._index(article_id, article.title, article.body)
        self._set_tags(article_id, article.tags, fresh=status == IMPORTED)
        self._set_entities(article_id, article.entities, fresh=status == IMPORTED)
        return status

    def _index(self, article_id: int, title: str, body: str) -> None:
        self._conn.execute(
            "INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)",
            (article_id, fts_text(self._analyzer, title), fts_text(self._analyzer, body)),
        )

    def _unindex(self, article_id: int, title: str, paragraphs_json: str) -> None:
        body = "\n\n".join(json.loads(paragraphs_json))
        self._conn.execute(
            "INSERT INTO articles_fts (articles_fts, rowid, title, body) VALUES ('delete', ?, ?, ?)",
            (article_id, fts_text(self._analyzer, title), fts_text(self._analyzer, body)),
        )

    def _source_id(self, name: str) -> int | None:
        if not name:
            return None
        if name not in self._source_ids:
            self._conn.execute("INSERT OR IGNORE INTO sources (name) VALUES (?)", (name,))
            row = self._conn.execute("SELECT id FROM sources WHERE name = ?", (name,)).fetchone()
            self._source_ids[name] = row[0]
        return self._source_ids[name]

    def _set_tags(self, article_id: int, tags: list[str], fresh: bool = False) -> None:
        if not fresh:  # a row just inserted has no tags yet: skip a DELETE per imported article
            self._conn.execute("DELETE FROM article_tags WHERE article_id = ?", (article_id,))
        for name in tags:
            key = tag_key(name)
            if not key:
                continue
            self._conn.execute("INSERT OR IGNORE INTO tags (name, key) VALUES (?, ?)", (name, key))
            self._conn.execute(
                "INSERT OR IGNORE INTO article_tags SELECT ?, id FROM tags WHERE key = ?", (article_id, key)
            )

    # -- reading ----------------------------------------------------------
    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def _stored(self, rows: list[sqlite3.Row]) -> list[StoredArticle]:
        ids = [r["id"] for r in rows]
        tags: dict[int, list[str]] = {i: [] for i in ids}
        if ids:
            marks = ",".join("?" * len(ids))
            sql = (
                "SELECT at.article_id, t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id"
                f" WHERE at.article_id IN ({marks}) ORDER BY at.rowid"
            )
            for aid, name in self._rows(sql, ids):
                tags[aid].append(name)
        entities = self._entities_of(ids)
        return [row_to_stored(dict(r), tags[r["id"]], entities[r["id"]]) for r in rows]

    def get_article(self, url: str) -> StoredArticle | None:
        rows = self._rows(SELECT_ARTICLE + " WHERE a.url = ?", (url,)) or self._rows(
            SELECT_ARTICLE + " WHERE a.canonical_url = ? LIMIT 1", (url,)
        )
        return self._stored(rows)[0] if rows else None

    def get_articles(self, ids: Sequence[int]) -> list[StoredArticle]:
        if not ids:
            return []
        rows = self._rows(SELECT_ARTICLE + f" WHERE a.id IN ({','.join('?' * len(ids))})", list(ids))
        by_id = {a.id: a for a in self._stored(rows)}
        return [by_id[i] for i in ids if i in by_id]

    def article_ids(self, filters: Filters | None = None, after_id: int = 0, limit: int = 1000) -> list[int]:
        clauses, params = filter_clauses(filters)
        sql = "SELECT a.id FROM articles a" + where([*clauses, "a.id > ?"]) + " ORDER BY a.id LIMIT ?"
        return [r[0] for r in self._rows(sql, [*params, after_id, limit])]

    def latest(self, limit: int = 20, offset: int = 0, filters: Filters | None = None) -> list[StoredArticle]:
        clauses, params = filter_clauses(filters)
        sql = SELECT_ARTICLE + where(clauses) + LATEST_ORDER + " LIMIT ? OFFSET ?"
        return self._stored(self._rows(sql, [*params, limit, offset]))

    def stats(self) -> dict[str, Any]:
        counts = {t: self._rows(f"SELECT count(*) FROM {t}")[0][0] for t in _COUNTED}
        size = sum(os.path.getsize(p) for p in (self.path, self.path + "-wal") if os.path.exists(p))
        return {"backend": "sqlite", "location": self.path, **counts, "bytes": size}

    def close(self) -> None:
        with self._lock:
            self.ranking.close()
            self._conn.close()


_COUNTED = ("articles", "sources", "feeds", "tags", "stories")


def _statements(sql: str) -> list[str]:
    """Split a migration file into statements (no semicolons inside our DDL)."""
    lines = [ln for ln in sql.splitlines() if not ln.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
