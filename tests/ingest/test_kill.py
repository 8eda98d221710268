"""An import killed with SIGKILL mid-way and run again ends exactly like an uninterrupted one."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from ingest_data import SNN, read_lines, write_jsonl

from cli_run import KHABAR_BIN
from khabar.search.query import parse_query
from khabar.storage.sqlite import SQLiteStore

N_LINES = 1500  # real SaudiNewsNet lines, as published (empty bodies and repeated urls included)
BATCH = "50"  # small transactions, so the kill lands between many commits


def _start(db: Path, sample: Path) -> subprocess.Popen[str]:
    # --no-enrich: enrichment runs before the batch transaction, so it does not change what a kill can do
    cmd = [
        str(KHABAR_BIN),
        "--db",
        str(db),
        "import",
        "--format",
        "saudinewsnet",
        "--quiet",
        "--no-enrich",
        "--batch",
        BATCH,
    ]
    return subprocess.Popen([*cmd, str(sample)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _count(db: Path) -> int:
    """Committed articles, read the way another process sees them (0 before the schema exists)."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def _kill_midway(db: Path, sample: Path, at_least: int) -> int:
    """Start an import, SIGKILL it once ``at_least`` articles are committed, return the count left."""
    proc = _start(db, sample)
    deadline = time.monotonic() + 120
    while _count(db) < at_least:
        assert proc.poll() is None, "the import finished before it could be killed"
        assert time.monotonic() < deadline, "the import made no progress"
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    return _count(db)


def _summary(proc: subprocess.Popen[str]) -> dict[str, int]:
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    last = out.strip().splitlines()[-1]
    return {k: int(v) for k, v in (part.split(": ") for part in last.split(", "))}


def _snapshot(db: Path) -> dict[str, object]:
    with sqlite3.connect(db) as conn:
        return {
            "articles": conn.execute("SELECT count(*) FROM articles").fetchone()[0],
            "fts": conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0],
            "rows": set(conn.execute("SELECT url, content_hash, title FROM articles")),
            "integrity": conn.execute("PRAGMA integrity_check").fetchone()[0],
            "unindexed": conn.execute(
                "SELECT count(*) FROM articles a LEFT JOIN articles_fts_docsize d ON d.id = a.id WHERE d.id IS NULL"
            ).fetchone()[0],
        }


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("kill")
    return write_jsonl(folder / "snn.jsonl.gz", read_lines(SNN, N_LINES, skip=3000))


def test_kill_9_then_rerun_equals_uninterrupted_import(tmp_path: Path, sample: Path) -> None:
    reference = _start(tmp_path / "reference.db", sample)  # runs alongside the killed import
    killed_db = tmp_path / "killed.db"
    left = _kill_midway(killed_db, sample, at_least=N_LINES // 4)
    expected = _summary(reference)
    assert 0 < left < expected["imported"], "the kill must land between the first and the last commit"

    rerun = _summary(_start(killed_db, sample))

    assert rerun["unchanged"] == left  # whole articles survived the kill; none half-written
    assert rerun["imported"] + rerun["unchanged"] == expected["imported"]
    assert (rerun["invalid"], rerun["duplicates"]) == (expected["invalid"], expected["duplicates"])
    want, got = _snapshot(tmp_path / "reference.db"), _snapshot(killed_db)
    assert got["integrity"] == want["integrity"] == "ok"
    assert got["articles"] == want["articles"] == got["fts"] == want["fts"] == expected["imported"]
    assert got["rows"] == want["rows"]  # same urls, same content, no duplicates
    assert got["unindexed"] == 0
    _assert_titles_find_their_articles(killed_db, [row[2] for row in sorted(got["rows"])[::40] if row[2]])


def _assert_titles_find_their_articles(db: Path, titles: list[str]) -> None:
    """A search for each title finds an article with that title (the FTS rows are whole)."""
    with SQLiteStore(str(db)) as store:
        for title in titles:
            found = store.search(parse_query(title), limit=200)
            assert title in {a.article.title for a, _ in found}, title
    assert len(titles) >= 20


def test_fts_index_is_consistent_after_kill(tmp_path: Path, sample: Path) -> None:
    """FTS5's own integrity check passes on the store left by a kill (before any re-run)."""
    db = tmp_path / "killed.db"
    assert _kill_midway(db, sample, at_least=200) > 0
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        counts = conn.execute("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM articles_fts)").fetchone()
    assert counts[0] == counts[1]
