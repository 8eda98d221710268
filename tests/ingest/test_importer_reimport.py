"""Re-imports with enrichment: unchanged articles are neither enriched, written nor linked again.

Real ANT articles, the real enrichment pipeline (its section and keyword models; entities too when
a NER model is installed), a real SQLite store. The enricher is only wrapped to record its calls.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from ingest_data import dumps, write_jsonl

from khabar.enrich.pipeline import Enricher
from khabar.ingest.importer import import_files
from khabar.model import Article
from khabar.storage.sqlite import SQLiteStore


class Recording:
    """The real enricher, remembering which urls it enriched."""

    def __init__(self, enricher: Enricher, version: str | None = None) -> None:
        self.enricher, self.calls = enricher, []
        self.version = enricher.version if version is None else version

    def __call__(self, article: Article) -> Article:
        self.calls.append(article.url)
        return self.enricher(article)


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    return Enricher()


@pytest.fixture
def records(khabar_records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [dict(r) for r in khabar_records[:12]]


def _import(store: SQLiteStore, path: Path, enrich: Any) -> tuple[dict[str, int], list[int]]:
    linked: list[int] = []
    summary = import_files(store, [path], batch_size=5, enrich=enrich, after_batch=linked.extend)
    return summary.as_dict(), linked


def _labels(store: SQLiteStore) -> dict[str, tuple]:
    return {s.article.url: (s.article.section, s.article.tags, s.article.entities) for s in store.latest(100)}


def test_unchanged_reimport_skips_enrichment_and_linking(
    tmp_path: Path, store: SQLiteStore, records: list[dict[str, Any]], enricher: Enricher
) -> None:
    path = write_jsonl(tmp_path / "a.jsonl.gz", [dumps(r) for r in records])
    first = Recording(enricher)
    summary, linked = _import(store, path, first)
    assert summary["imported"] == len(records) and len(first.calls) == len(records) and len(linked) == len(records)
    labels = _labels(store)
    assert all(tags for _, tags, _ in labels.values())  # enrichment did run the first time

    again = Recording(enricher)
    summary, linked = _import(store, path, again)
    assert summary == {"imported": 0, "updated": 0, "unchanged": len(records), "duplicates": 0, "invalid": 0}
    assert again.calls == [] and linked == []
    assert _labels(store) == labels


def test_changed_articles_are_enriched_and_linked_again(
    tmp_path: Path, store: SQLiteStore, records: list[dict[str, Any]], enricher: Enricher
) -> None:
    _import(store, write_jsonl(tmp_path / "a.jsonl.gz", [dumps(r) for r in records]), Recording(enricher))
    body = records[3]["body"].split("\n")
    records[3]["body"] = "\n".join(body[: max(1, len(body) // 2)])  # the article was cut short
    records[7]["published_at"] = records[8]["published_at"]  # metadata only
    changed = write_jsonl(tmp_path / "b.jsonl.gz", [dumps(r) for r in records])

    rec = Recording(enricher)
    summary, linked = _import(store, changed, rec)
    assert rec.calls == [records[3]["url"], records[7]["url"]]
    assert summary["updated"] == 2 and summary["unchanged"] == len(records) - 2
    assert linked == list(store.ids_for_urls([records[3]["url"], records[7]["url"]]).values())
    fresh = SQLiteStore(str(tmp_path / "fresh.db"))  # the changed file imported into an empty store
    try:
        _import(fresh, changed, Recording(enricher))
        assert _labels(store) == _labels(fresh)
    finally:
        fresh.close()


def test_new_enrichment_version_enriches_again(
    tmp_path: Path, store: SQLiteStore, records: list[dict[str, Any]], enricher: Enricher
) -> None:
    """E.g. a NER model installed since: the same input is enriched again, once."""
    path = write_jsonl(tmp_path / "a.jsonl.gz", [dumps(r) for r in records])
    _import(store, path, Recording(enricher, version="sections+tags"))
    rec = Recording(enricher, version="sections+entities+tags")
    summary, linked = _import(store, path, rec)
    assert len(rec.calls) == len(records) and summary["imported"] == 0
    assert len(linked) == len(records)
    rec = Recording(enricher, version="sections+entities+tags")
    assert _import(store, path, rec)[0]["unchanged"] == len(records) and rec.calls == []


def test_plain_import_then_enriched_import(
    tmp_path: Path, store: SQLiteStore, records: list[dict[str, Any]], enricher: Enricher
) -> None:
    """An archive loaded with --no-enrich is enriched by a later import with enrichment."""
    path = write_jsonl(tmp_path / "a.jsonl.gz", [dumps(r) for r in records])
    assert _import(store, path, None)[0]["imported"] == len(records)
    assert set(store.input_hashes(r["url"] for r in records).values()) == {""}
    rec = Recording(enricher)
    summary, _ = _import(store, path, rec)
    assert len(rec.calls) == len(records) and summary["updated"] == len(records)
    assert all(json.dumps(h) != '""' for h in store.input_hashes(r["url"] for r in records).values())
