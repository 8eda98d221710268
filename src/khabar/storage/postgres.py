"""PostgreSQL backend: native types, GIN-indexed tsvector of Khabar's own terms.

PostgreSQL's ``arabic`` text-search configuration is Snowball without
stopwords (وزير→زير), so the index holds the injected analyzer's normalized,
stemmed terms, parsed with the ``simple`` configuration (title weight A, body
weight D). Queries go through the same analyzer, so both sides agree.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Hashable, Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg.rows import dict_row

from khabar.arabic import search_terms
from khabar.arabic.fingerprint import analyzer_fingerprint
from khabar.model import Article, Filters, StoredArticle, TextQuery
from khabar.storage.base import IMPORTED, UPDATED, Analyzer, Store
from khabar.storage.migrate import migrations
from khabar.storage.postgres_entities import PostgresEntities
from khabar.storage.postgres_feeds import PostgresFeeds
from khabar.storage.postgres_related import PostgresHeads
from khabar.storage.postgres_search import capped, window_rows
from khabar.storage.postgres_stories import PostgresStories
from khabar.storage.postgres_summaries import PostgresSummaries
from khabar.storage.rows import article_values, fts_text, row_to_stored, tag_key, to_utc_text
from khabar.storage.sql import LATEST_ORDER, SELECT_ARTICLE, filter_clauses, where
from khabar.storage.story_glances import StoryGlances

log = logging.getLogger(__name__)

# pg_advisory_xact_lock key serializing migrations between processes ("khabar").
MIGRATION_LOCK = 0x6B6861626172
_INSERT_TERMS = (
    "INSERT INTO article_search (article_id, terms)"
    " VALUES (%s, setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'D'))"
    " ON CONFLICT (article_id) DO UPDATE SET terms = EXCLUDED.terms"
)
_COUNTED = ("articles", "sources", "feeds", "tags", "stories")


def tsquery_parts(query: TextQuery) -> tuple[str, list[str]]:
    """Compile a :class:`TextQuery` into a tsquery SQL expression and its parameters.

    Every term is a bound parameter of ``phraseto_tsquery('simple', …)`` (which
    ignores tsquery syntax), so user text never becomes SQL or tsquery
    operators; only the fixed ``&&``/``||``/``!!`` skeleton is built here."""
    one = "phraseto_tsquery('simple', %s)"
    params = [*query.terms, *(" ".join(p) for p in query.phrases)]
    if not params:
        return "", []
    expr = "(" + (" || " if query.match_any else " && ").join([one] * len(params)) + ")"
    if query.excluded:
        expr = f"({expr} && !!(" + " || ".join([one] * len(query.excluded)) + "))"
        params += list(query.excluded)
    return expr, params


def rank_weights(title_weight: float) -> list[float]:
    """ts_rank weights ``{D, C, B, A}``: title (A) counts ``title_weight`` × body (D).

    PostgreSQL rejects weights above 1, so the larger of the two is 1."""
    top = max(title_weight, 1.0)
    return [1.0 / top, 0.0, 0.0, title_weight / top]


def _redacted(url: str) -> str:
    """The URL without its password, for display."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def _comparable(row: dict[str, Any]) -> dict[str, Any]:
    """An ``articles`` row in the shape of :func:`article_values` (for "unchanged")."""
    out = dict(row)
    for key in ("published_at", "fetched_at"):
        out[key] = to_utc_text(row[key])
    for key in ("paragraphs", "attributions"):
        out[key] = json.dumps(row[key], ensure_ascii=False)
    out["title_inferred"] = int(row["title_inferred"])
    return out


def _same_row(values: dict[str, Any], old: dict[str, Any]) -> bool:
    """The stored row already holds ``values`` (the input fingerprint aside)."""
    stored = _comparable(old)
    return all(stored.get(k) == v for k, v in values.items() if k != "input_hash")


class PostgresStore(
    PostgresSummaries, PostgresFeeds, PostgresStories, PostgresEntities, PostgresHeads, StoryGlances, Store
):
    """Store in a PostgreSQL database. Safe to share between threads (one lock)."""

    def __init__(
        self,
        url: str,
        analyzer: Analyzer = search_terms,
        title_weight: float = 5.0,
        analyzer_version: str | None = None,
    ) -> None:
        self.url = url
        self._analyzer = analyzer
        self._title_weight = float(title_weight)
        self._lock = threading.RLock()
        self._source_ids: dict[str, int] = {}
        self._summary_memo: dict[Hashable, tuple[Hashable, Any]] = {}
        # autocommit: reads never leave a transaction open; writes use transaction().
        self._conn = psycopg.connect(url, autocommit=True)
        self._migrate()
        self._check_index(analyzer_version or analyzer_fingerprint())

    # -- schema -----------------------------------------------------------
    def _migrate(self) -> None:
        """Apply missing migrations in one transaction, under an advisory lock
        so two processes opening a fresh database at once do not collide."""
        with self._lock, self._conn.transaction():
            self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)"
            )
            done = {r[0] for r in self._conn.execute("SELECT version FROM schema_migrations")}
            for version, name, sql in migrations("postgres"):
                if version not in done:
                    self._conn.execute(sql)  # no parameters: several statements are fine
                    self._conn.execute("INSERT INTO schema_migrations VALUES (%s, %s)", (version, name))

    def _check_index(self, version: str) -> None:
        """Rebuild the text index when it was built by another analyzer version."""
        row = self._rows("SELECT value FROM meta WHERE key = 'analyzer'")
        if row and row[0][0] == version:
            return
        if row:
            log.warning("search index was built by another analyzer version: rebuilding it")
            self.rebuild_index()
        self._conn.execute(
            "INSERT INTO meta VALUES ('analyzer', %s) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            (version,),
        )

    def rebuild_index(self) -> int:
        """Re-derive every article's index terms; returns the number of articles indexed."""
        with self._lock, self._conn.transaction():
            self._conn.execute("DELETE FROM article_search")
            rows = self._rows("SELECT id, title, paragraphs FROM articles")
            params = [(i, *self._terms(title, "\n\n".join(paragraphs))) for i, title, paragraphs in rows]
            self._conn.cursor().executemany(_INSERT_TERMS, params)
        return len(rows)

    # -- writing ----------------------------------------------------------
    def add_articles(self, articles: Sequence[Article], feed_url: str | None = None) -> list[str]:
        with self._lock:
            try:
                with self._conn.transaction():
                    feed_id = self._feed_id(feed_url)
                    return [self._add_one(a, feed_id) for a in articles]
            except BaseException:
                self._source_ids.clear()  # ids of sources created in the rolled-back batch are gone
                raise

    def _add_one(self, article: Article, feed_id: int | None = None) -> str:
        values = article_values(article)
        values["source_id"] = self._source_id(article.source)
        if feed_id is not None:  # without a feed, a re-import keeps the article's feed link
            values["feed_id"] = feed_id
        cur = self._conn.cursor(row_factory=dict_row)
        old = cur.execute("SELECT * FROM articles WHERE url = %s", (article.url,)).fetchone()
        if old is not None and _same_row(values, old):
            return self._refresh_labels(old, article)
        values["title_inferred"] = bool(values["title_inferred"])
        if old is None:
            cols, marks = ", ".join(values), ", ".join(["%s"] * len(values))
            sql = f"INSERT INTO articles ({cols}) VALUES ({marks}) RETURNING id"
            article_id, status = cur.execute(sql, tuple(values.values())).fetchone()["id"], IMPORTED
        else:
            article_id, status = old["id"], UPDATED
            sets = ", ".join(f"{k} = %s" for k in values)
            cur.execute(f"UPDATE articles SET {sets} WHERE id = %s", (*values.values(), article_id))
            self._drop_stale_links(old, values)  # a new text drops its copy/story links (postgres_stories)
        self._index(article_id, article.title, article.body)
        self._set_tags(article_id, article.tags)
        self._set_entities(article_id, article.entities)
        return status

    def _terms(self, title: str, body: str) -> tuple[str, str]:
        return fts_text(self._analyzer, title), fts_text(self._analyzer, body)

    def _index(self, article_id: int, title: str, body: str) -> None:
        self._conn.execute(_INSERT_TERMS, (article_id, *self._terms(title, body)))

    def _source_id(self, name: str) -> int | None:
        if not name:
            return None
        if name not in self._source_ids:
            self._conn.execute("INSERT INTO sources (name) VALUES (%s) ON CONFLICT (name) DO NOTHING", (name,))
            row = self._conn.execute("SELECT id FROM sources WHERE name = %s", (name,)).fetchone()
            self._source_ids[name] = row[0]
        return self._source_ids[name]

    def _set_tags(self, article_id: int, tags: list[str]) -> None:
        self._conn.execute("DELETE FROM article_tags WHERE article_id = %s", (article_id,))
        for position, name in enumerate(tags):
            key = tag_key(name)
            if not key:
                continue
            self._conn.execute("INSERT INTO tags (name, key) VALUES (%s, %s) ON CONFLICT (key) DO NOTHING", (name, key))
            self._conn.execute(
                "INSERT INTO article_tags (article_id, tag_id, position) SELECT %s, id, %s FROM tags WHERE key = %s"
                " ON CONFLICT DO NOTHING",
                (article_id, position, key),
            )

    # -- reading ----------------------------------------------------------
    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def _dicts(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with self._lock:
            return self._conn.cursor(row_factory=dict_row).execute(sql, params).fetchall()

    def _stored(self, rows: list[dict[str, Any]]) -> list[StoredArticle]:
        ids = [r["id"] for r in rows]
        tags: dict[int, list[str]] = {i: [] for i in ids}
        if ids:
            sql = (
                "SELECT at.article_id, t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id"
                " WHERE at.article_id = ANY(%s) ORDER BY at.article_id, at.position"
            )
            for aid, name in self._rows(sql, (ids,)):
                tags[aid].append(name)
        entities = self._entities_of(ids)
        return [row_to_stored(r, tags[r["id"]], entities[r["id"]]) for r in rows]

    def get_article(self, url: str) -> StoredArticle | None:
        rows = self._dicts(SELECT_ARTICLE + " WHERE a.url = %s", (url,)) or self._dicts(
            SELECT_ARTICLE + " WHERE a.canonical_url = %s ORDER BY a.id LIMIT 1", (url,)
        )
        return self._stored(rows)[0] if rows else None

    def get_articles(self, ids: Sequence[int]) -> list[StoredArticle]:
        if not ids:
            return []
        rows = self._dicts(SELECT_ARTICLE + " WHERE a.id = ANY(%s)", (list(ids),))
        by_id = {a.id: a for a in self._stored(rows)}
        return [by_id[i] for i in ids if i in by_id]

    def article_ids(self, filters: Filters | None = None, after_id: int = 0, limit: int = 1000) -> list[int]:
        clauses, params = filter_clauses(filters, "%s")
        sql = "SELECT a.id FROM articles a" + where([*clauses, "a.id > %s"]) + " ORDER BY a.id LIMIT %s"
        return [r[0] for r in self._rows(sql, [*params, after_id, limit])]

    def latest(self, limit: int = 20, offset: int = 0, filters: Filters | None = None) -> list[StoredArticle]:
        clauses, params = filter_clauses(filters, "%s")
        sql = SELECT_ARTICLE + where(clauses) + LATEST_ORDER + " LIMIT %s OFFSET %s"
        return self._stored(self._dicts(sql, [*params, limit, offset]))

    def search_ids(
        self, query: TextQuery, limit: int = 10, offset: int = 0, filters: Filters | None = None
    ) -> list[tuple[int, float]]:
        tsquery, qparams = tsquery_parts(query)
        if not tsquery:
            return []
        clauses, params = filter_clauses(filters, "%s")
        # Normalization 1: divide by 1 + log(length), so long bodies do not win by size alone.
        sql = (
            "SELECT s.article_id, ts_rank_cd(%s::float4[], s.terms, q.q, 1) AS score"
            f" FROM article_search s CROSS JOIN (SELECT {tsquery} AS q) q"
            + (" JOIN articles a ON a.id = s.article_id" if clauses else "")
            + where(["s.terms @@ q.q", *clauses, "s.article_id > %s"])
            + " ORDER BY score DESC, s.article_id DESC LIMIT %s OFFSET %s"
        )
        weights = rank_weights(self._title_weight)  # newest matches only, for a common word: see postgres_search
        window = window_rows(self._conn, self._lock)
        rank_rows = self._rows if clauses else window  # a join to articles is planned as usual
        ranked = lambda floor: rank_rows(sql, [weights, *qparams, *params, floor, limit, offset])  # noqa: E731
        return [(r[0], float(r[1])) for r in capped(self._rows, tsquery, qparams, limit, ranked, window)]

    def stats(self) -> dict[str, Any]:
        counts = {t: self._rows(f"SELECT count(*) FROM {t}")[0][0] for t in _COUNTED}
        tables = [*_COUNTED, "article_tags", "article_entities", "article_search", "meta", "schema_migrations"]
        # Our tables only (the database may hold other schemas); regclass follows search_path.
        size = self._rows(
            "SELECT sum(pg_total_relation_size(t::regclass))::bigint FROM unnest(%s::text[]) t", (tables,)
        )
        return {"backend": "postgres", "location": _redacted(self.url), **counts, "bytes": size[0][0] or 0}

    def close(self) -> None:
        with self._lock:
            self._conn.close()
