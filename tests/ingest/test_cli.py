"""``khabar import`` end to end, as a user runs it (a subprocess of the installed command)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from ingest_data import dumps, write_jsonl

from cli_run import khabar


def _summary(stdout: str) -> dict[str, int]:
    """The ``imported: N, updated: N, …`` line printed last."""
    last = stdout.strip().splitlines()[-1]
    return {k: int(v) for k, v in (part.split(": ") for part in last.split(", "))}


def test_import_prints_summary_and_bad_lines(
    tmp_path: Path, khabar_records: list[dict[str, Any]], ant_lines: list[str]
) -> None:
    lines = [dumps(r) for r in khabar_records[:10]]
    lines[4] = lines[4][:100]  # a truncated line: invalid JSON on line 5
    lines.append(dumps({**khabar_records[10], "body": ""}))  # empty body on line 11
    path = write_jsonl(tmp_path / "mixed.jsonl.gz", lines)
    db = tmp_path / "k.db"

    done = khabar(db, "import", str(path))

    assert done.returncode == 0, done.stderr
    assert _summary(done.stdout) == {"imported": 9, "updated": 0, "unchanged": 0, "duplicates": 0, "invalid": 2}
    assert f"{path}:5: invalid JSON" in done.stderr
    assert f"{path}:11: empty body" in done.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 9

    again = khabar(db, "import", "--quiet", str(path))
    assert again.returncode == 0
    assert _summary(again.stdout)["unchanged"] == 9 and _summary(again.stdout)["imported"] == 0


def test_import_ant_format_then_search(tmp_path: Path, ant_lines: list[str]) -> None:
    path = write_jsonl(tmp_path / "ant.jsonl", ant_lines[:15])
    db = tmp_path / "k.db"
    done = khabar(db, "import", "--format", "ant", "--batch", "4", str(path))
    assert done.returncode == 0, done.stderr
    assert _summary(done.stdout)["imported"] == 15
    title = json.loads(ant_lines[0])["title"]
    found = khabar(db, "search", title, "--json", "--limit", "3")
    assert json.loads(ant_lines[0])["url"].strip() in [hit["url"] for hit in json.loads(found.stdout)]


def test_missing_file_is_a_clear_error(tmp_path: Path, ant_lines: list[str]) -> None:
    good = write_jsonl(tmp_path / "good.jsonl", ant_lines[:3])
    missing = tmp_path / "no-such-file.jsonl.gz"
    done = khabar(tmp_path / "k.db", "import", "--format", "ant", str(good), str(missing))
    assert done.returncode == 2
    assert "cannot read" in done.stderr and str(missing) in done.stderr
    assert "Traceback" not in done.stderr
    with sqlite3.connect(tmp_path / "k.db") as conn:  # nothing is imported when one input is missing
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 0


def test_unknown_format_is_refused(tmp_path: Path, ant_lines: list[str]) -> None:
    good = write_jsonl(tmp_path / "good.jsonl", ant_lines[:1])
    done = khabar(tmp_path / "k.db", "import", "--format", "trec", str(good))
    assert done.returncode == 2 and "invalid choice" in done.stderr
