"""Numbered migrations: the loader, and how stores apply them."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

from khabar.storage import Store
from khabar.storage.migrate import migrations

DIALECTS = ("sqlite", "postgres")


def test_loader_returns_numbered_files_in_order() -> None:
    for dialect in DIALECTS:
        found = migrations(dialect)
        versions = [v for v, _, _ in found]
        assert versions == list(range(1, len(found) + 1)), dialect  # 1, 2, 3 … without gaps
        for version, name, sql in found:
            assert re.fullmatch(rf"{version:04d}_[\w-]+\.sql", name)
            assert "CREATE " in sql.upper()  # a table or an index


def test_dialects_stay_in_step() -> None:
    """Each schema change lands in both dialects under the same number."""
    names = {d: [n for _, n, _ in migrations(d)] for d in DIALECTS}
    assert names["sqlite"] == names["postgres"]


def _versions(store: Store) -> list[int]:
    return [r[0] for r in store._rows("SELECT version FROM schema_migrations ORDER BY version")]  # type: ignore[attr-defined]


def test_store_records_every_migration_once(open_new: Callable[..., Store], store_location: str) -> None:
    dialect = "postgres" if "://" in store_location else "sqlite"
    wanted = [v for v, _, _ in migrations(dialect)]
    assert _versions(open_new()) == wanted
    assert _versions(open_new()) == wanted  # reopening applies nothing twice


def test_concurrent_first_opens(open_new: Callable[..., Store]) -> None:
    """Two stores opening a fresh database at once both end up migrated."""
    errors: list[BaseException] = []

    def opener() -> None:
        try:
            open_new()
        except BaseException as exc:  # collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=opener) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert open_new().count_articles() == 0


def _assert_index_serves(store: Store, location: str, index: str, column: str, query: str, params: tuple) -> None:
    """PostgreSQL: the index exists on ``column``; SQLite: the plan of ``query`` uses it."""
    if "://" in location:
        sql = "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = %s"
        assert f"({column})" in store._rows(sql, (index,))[0][0]  # type: ignore[attr-defined]
        return
    plan = store._rows("EXPLAIN QUERY PLAN " + query, params)  # type: ignore[attr-defined]
    assert any(f"INDEX {index}" in row[-1] for row in plan)


def test_copies_of_an_article_are_found_through_an_index(open_new: Callable[..., Store], store_location: str) -> None:
    """copies_of and a deleted original's ON DELETE SET NULL look articles up by copy_of (migration 0005)."""
    query = "SELECT id FROM articles WHERE copy_of = ?"
    _assert_index_serves(open_new(), store_location, "articles_copy_of", "copy_of", query, (1,))


def test_hot_stories_find_recent_stories_through_an_index(open_new: Callable[..., Store], store_location: str) -> None:
    """Hot stories start from the stories updated in the window (migration 0006), not from its articles."""
    query = "SELECT id FROM stories WHERE outlet_count >= ? AND last_updated >= ?"
    params = (2, "2018-05-01T00:00:00Z")
    _assert_index_serves(open_new(), store_location, "stories_recent", "last_updated", query, params)
