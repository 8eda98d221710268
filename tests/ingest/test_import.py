"""Import of real records in the three formats: idempotence, updates, duplicates, raw ANT files."""

from __future__ import annotations

import gzip
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from ingest_data import ANT, ANT_RAW, dumps, shown, write_jsonl

from khabar.arabic import search_terms
from khabar.ingest.importer import import_files
from khabar.ingest.records import ANT_OUTLETS, ANT_SECTIONS
from khabar.model import TextQuery
from khabar.storage.sqlite import SQLiteStore


def _finds(store: SQLiteStore, term: str, url: str) -> bool:
    """Does a one-term search return the article stored under ``url``?"""
    stored = store.get_article(url)
    assert stored is not None
    ids = [i for i, _ in store.search_ids(TextQuery(terms=(term,)), limit=1000)]
    return stored.id in ids


def _fts_rows(store: SQLiteStore) -> int:
    return store._rows("SELECT count(*) FROM articles_fts")[0][0]


@pytest.mark.parametrize("name", ["articles.jsonl", "articles.jsonl.gz"])
def test_khabar_format_imports_every_field(
    tmp_path: Path, store: SQLiteStore, khabar_records: list[dict[str, Any]], name: str
) -> None:
    path = write_jsonl(tmp_path / name, [dumps(r) for r in khabar_records])
    summary = import_files(store, [path])
    assert summary.as_dict() == {
        "imported": len(khabar_records),
        "updated": 0,
        "unchanged": 0,
        "duplicates": 0,
        "invalid": 0,
    }
    first = khabar_records[0]
    stored = store.get_article(first["url"]).article
    assert stored.title == shown(first["title"])
    assert stored.source == first["source"] and stored.section == first["section"]
    assert stored.tags == first["tags"]
    assert stored.published_at == datetime.fromisoformat(first["published_at"]).astimezone(UTC)
    assert stored.paragraphs and stored.paragraphs[0] in shown(first["body"])
    assert _fts_rows(store) == len(khabar_records)


def test_reimport_is_all_unchanged(tmp_path: Path, store: SQLiteStore, khabar_records: list[dict[str, Any]]) -> None:
    path = write_jsonl(tmp_path / "a.jsonl.gz", [dumps(r) for r in khabar_records])
    import_files(store, [path])
    again = import_files(store, [path], batch_size=7)
    assert again.as_dict() == {
        "imported": 0,
        "updated": 0,
        "unchanged": len(khabar_records),
        "duplicates": 0,
        "invalid": 0,
    }
    assert store.count_articles() == _fts_rows(store) == len(khabar_records)


def _distinct_term(text: str, *others: str) -> str:
    """A long index term of ``text`` that none of ``others`` contains."""
    taken = {t for other in others for t in search_terms(other)}
    return max((t for t in search_terms(text) if t not in taken and not t.isdigit()), key=len)


def test_changed_body_updates_article_and_index(
    tmp_path: Path, store: SQLiteStore, khabar_records: list[dict[str, Any]], ant_lines: list[str]
) -> None:
    import_files(store, [write_jsonl(tmp_path / "v1.jsonl", [dumps(r) for r in khabar_records])])
    target = khabar_records[3]
    new_body = json.loads(ant_lines[-1])["text"]  # a real body from an article not in the store
    others = [r["body"] + " " + r["title"] for r in khabar_records if r is not target]
    old_word = _distinct_term(target["body"], new_body, target["title"], *others)
    new_word = _distinct_term(new_body, target["body"], target["title"], *others)
    assert _finds(store, old_word, target["url"]) and not _finds(store, new_word, target["url"])

    changed = [dumps({**r, "body": new_body}) if r is target else dumps(r) for r in khabar_records]
    summary = import_files(store, [write_jsonl(tmp_path / "v2.jsonl", changed)])

    assert (summary.updated, summary.unchanged, summary.imported) == (1, len(khabar_records) - 1, 0)
    assert not _finds(store, old_word, target["url"])
    assert _finds(store, new_word, target["url"])
    assert store.get_article(target["url"]).article.body.startswith(shown(new_body)[:30])
    assert store.count_articles() == _fts_rows(store) == len(khabar_records)


def test_duplicate_urls_in_one_run_keep_the_first(
    tmp_path: Path, store: SQLiteStore, khabar_records: list[dict[str, Any]]
) -> None:
    first, second = khabar_records[:5], khabar_records[5:10]
    repeat = {**first[0], "body": second[0]["body"]}  # same url, other text: still a duplicate
    a = write_jsonl(tmp_path / "a.jsonl", [dumps(r) for r in first] + [dumps(repeat)])
    b = write_jsonl(tmp_path / "b.jsonl.gz", [dumps(r) for r in second + first[1:3]])
    summary = import_files(store, [a, b])
    assert (summary.imported, summary.duplicates, summary.invalid) == (10, 3, 0)
    assert store.get_article(first[0]["url"]).article.body.startswith(shown(first[0]["body"])[:30])


def test_ant_format_on_real_lines(tmp_path: Path, store: SQLiteStore, ant_lines: list[str]) -> None:
    path = write_jsonl(tmp_path / "ant.jsonl.gz", ant_lines)
    summary = import_files(store, [path], fmt="ant")
    assert summary.imported == len(ant_lines) == store.count_articles()
    raw = json.loads(ant_lines[0])
    stored = store.get_article(raw["url"]).article
    assert stored.title == shown(raw["title"])
    assert stored.source == ANT_OUTLETS[raw["src"]] and stored.section == ANT_SECTIONS[raw["cat"]]
    assert stored.author == raw["author"]
    assert stored.published_at is not None and stored.published_at.utcoffset().total_seconds() == 0


_DOCNO = re.compile(r'"docno": "([^"]+)"')


def _ant_jsonl_by_docno(docnos: set[str]) -> dict[str, dict[str, Any]]:
    """The JSONL version of the raw sample files, found by docno in train.jsonl.gz."""
    found: dict[str, dict[str, Any]] = {}
    with gzip.open(ANT, "rt", encoding="utf-8") as f:
        for line in f:
            docno = _DOCNO.search(line, 0, 400)  # docno is near the start: cheaper than parsing every line
            if docno and docno.group(1) in docnos:
                found[docno.group(1)] = json.loads(line)
                if found.keys() == docnos:
                    break
    return found


def test_ant_raw_trec_files(store: SQLiteStore) -> None:
    files = sorted(ANT_RAW.glob("*.txt"))
    assert len(files) == 10
    summary = import_files(store, files, fmt="ant")
    assert summary.as_dict()["imported"] == 10 and summary.invalid == 0
    jsonl = _ant_jsonl_by_docno({p.stem for p in files})
    for docno, obj in jsonl.items():  # the raw files give the same articles as the JSONL conversion
        stored = store.get_article(obj["url"].strip())
        assert stored is not None, docno
        assert stored.article.title == shown(obj["title"])
        assert stored.article.source == ANT_OUTLETS[obj["src"].lower()]
        assert stored.article.paragraphs and stored.article.paragraphs[-1] in shown(obj["text"])
    assert len(jsonl) >= 5  # train.jsonl.gz is a split: 6 of the 10 raw files are in it


def test_saudinewsnet_on_real_lines(tmp_path: Path, store: SQLiteStore, snn_lines: list[str]) -> None:
    path = write_jsonl(tmp_path / "snn.jsonl", snn_lines)
    summary = import_files(store, [path], fmt="saudinewsnet")
    assert summary.imported == len(snn_lines) == store.count_articles()
    raw = json.loads(snn_lines[0])
    stored = store.get_article(raw["url"]).article
    assert stored.source == raw["source"] and stored.title == shown(raw["title"])
    # date_extracted is Riyadh time (UTC+3).
    local = datetime.strptime(raw["date_extracted"], "%Y-%m-%d %H:%M:%S")
    assert stored.published_at == (local - timedelta(hours=3)).replace(tzinfo=UTC)
    again = import_files(store, [path], fmt="saudinewsnet")
    assert again.unchanged == len(snn_lines) and again.imported == 0
