"""A bad line is reported with its line number and skipped; the good lines of the same file go in."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ingest_data import SNN, dumps, read_lines, write_jsonl

from khabar.ingest.importer import import_files
from khabar.storage.sqlite import SQLiteStore


def _without(obj: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if k != key}


# Each corruption of a real record, and a fragment of the message it must produce.
KHABAR_CORRUPTIONS: dict[str, tuple[Callable[[dict[str, Any]], str], str]] = {
    "invalid_json": (lambda o: dumps(o)[: len(dumps(o)) // 2], "invalid JSON"),
    "not_an_object": (lambda o: dumps([o["url"], o["title"]]), "JSON object"),
    "no_url": (lambda o: dumps(_without(o, "url")), "no url"),
    "empty_url": (lambda o: dumps({**o, "url": "  "}), "no url"),
    "title_number": (lambda o: dumps({**o, "title": 2018}), "title must be a string"),
    "url_number": (lambda o: dumps({**o, "url": 12345}), "url must be a string"),
    "body_list": (lambda o: dumps({**o, "body": [o["body"]]}), "body must be a string"),
    "tags_string": (lambda o: dumps({**o, "tags": "sport"}), "tags must be a list"),
    "tags_numbers": (lambda o: dumps({**o, "tags": ["sport", 7]}), "tags must be a list"),
    "attributions_object": (lambda o: dumps({**o, "attributions": {"a": 1}}), "attributions must be a list"),
    "empty_body": (lambda o: dumps({**o, "body": ""}), "empty body"),
    "blank_body": (lambda o: dumps({**o, "body": " \n\n \t\n"}), "empty body"),
    "no_body": (lambda o: dumps(_without(o, "body")), "empty body"),
    "bad_published_at": (lambda o: dumps({**o, "published_at": "18 Feb 2018"}), "published_at"),
    "impossible_date": (lambda o: dumps({**o, "published_at": "2018-02-30T10:00:00"}), "published_at"),
    "published_at_number": (lambda o: dumps({**o, "published_at": 1518978943}), "published_at must be a string"),
}


def _mixed_file(records: list[dict[str, Any]], corruptions: dict) -> tuple[list[str], dict[int, str], set[str]]:
    """Good and corrupted real records interleaved (plus blank lines, which count as lines).

    Returns the lines, ``{line number: expected message fragment}`` and the good urls."""
    lines: list[str] = []
    expected: dict[int, str] = {}
    good: set[str] = set()
    kinds = list(corruptions.items())
    for i, obj in enumerate(records):
        if i % 2 and kinds:
            _, (corrupt, fragment) = kinds.pop()
            lines.append(corrupt(obj))
            expected[len(lines)] = fragment
        else:
            lines.append(dumps(obj))
            good.add(obj["url"])
        if i % 5 == 4:
            lines.append("")  # blank lines are ignored but still numbered
    assert not kinds, "need more records than corruptions"
    return lines, expected, good


@pytest.mark.parametrize("name", ["mixed.jsonl", "mixed.jsonl.gz"])
def test_every_bad_kind_reported_with_its_line_and_skipped(
    tmp_path: Path, store: SQLiteStore, khabar_records: list[dict[str, Any]], name: str
) -> None:
    records = khabar_records + [{**r, "url": r["url"] + "?copy"} for r in khabar_records[:6]]
    lines, expected, good = _mixed_file(records, KHABAR_CORRUPTIONS)
    path = write_jsonl(tmp_path / name, lines)

    summary = import_files(store, [path])

    assert summary.invalid == len(KHABAR_CORRUPTIONS)
    assert summary.imported == len(good) == store.count_articles()
    reported = {e.line: e.message for e in summary.errors}
    assert sorted(reported) == sorted(expected)
    for line, fragment in expected.items():
        assert fragment in reported[line], (line, reported[line])
    assert all(e.path == str(path) for e in summary.errors)
    assert all(store.get_article(url) is not None for url in good)


ANT_CORRUPTIONS: dict[str, tuple[Callable[[dict[str, Any]], str], str]] = {
    "invalid_json": (lambda o: dumps(o)[:-40], "invalid JSON"),
    "no_url": (lambda o: dumps(_without(o, "url")), "no url"),
    "empty_text": (lambda o: dumps({**o, "text": ""}), "empty body"),
    "text_number": (lambda o: dumps({**o, "text": 42}), "not an ANT record"),
    "bad_time": (lambda o: dumps({**o, "time": "yesterday"}), "time is not RFC 822"),
}


def test_ant_bad_lines(tmp_path: Path, store: SQLiteStore, ant_lines: list[str]) -> None:
    records = [json.loads(line) for line in ant_lines[:14]]
    lines, expected, good = _mixed_file(records, ANT_CORRUPTIONS)
    summary = import_files(store, [write_jsonl(tmp_path / "ant.jsonl", lines)], fmt="ant")
    reported = {e.line: e.message for e in summary.errors}
    assert sorted(reported) == sorted(expected)
    for line, fragment in expected.items():
        assert fragment in reported[line]
    assert summary.imported == len(good) == store.count_articles()


SNN_CORRUPTIONS: dict[str, tuple[Callable[[dict[str, Any]], str], str]] = {
    "empty_content": (lambda o: dumps({**o, "content": ""}), "empty body"),
    "no_url": (lambda o: dumps({**o, "url": ""}), "no url"),
    "bad_date": (lambda o: dumps({**o, "date_extracted": "2015/07/21"}), "date_extracted"),
    "invalid_json": (lambda o: "{" + dumps(o), "invalid JSON"),
}


def test_saudinewsnet_bad_lines(tmp_path: Path, store: SQLiteStore, snn_lines: list[str]) -> None:
    records = [json.loads(line) for line in snn_lines[:12]]
    lines, expected, good = _mixed_file(records, SNN_CORRUPTIONS)
    summary = import_files(store, [write_jsonl(tmp_path / "snn.jsonl.gz", lines)], fmt="saudinewsnet")
    reported = {e.line: e.message for e in summary.errors}
    assert sorted(reported) == sorted(expected)
    for line, fragment in expected.items():
        assert fragment in reported[line]
    assert summary.imported == len(good) == store.count_articles()


def test_real_empty_content_lines_of_saudinewsnet_are_invalid(tmp_path: Path, store: SQLiteStore) -> None:
    """SaudiNewsNet really has 133 records with empty content: take the first few as they are."""

    lines = read_lines(SNN, 4000)
    empty = [i for i, line in enumerate(lines) if not json.loads(line)["content"].strip()][:3]
    assert empty, "expected real empty-content records in the first 4,000 lines"
    chosen = [lines[i] for i in range(empty[-1] + 3) if i in empty or i % 97 == 0]
    path = write_jsonl(tmp_path / "snn.jsonl", chosen)
    summary = import_files(store, [path], fmt="saudinewsnet")
    bad_lines = [n for n, line in enumerate(chosen, 1) if not json.loads(line)["content"].strip()]
    assert [e.line for e in summary.errors] == bad_lines
    assert all(e.message == "empty body" for e in summary.errors)
    assert store.count_articles() == summary.imported == len(chosen) - len(bad_lines) - summary.duplicates
