"""Benchmark ``khabar import`` against a plain sqlite3 FTS5 baseline.

Run: ``.venv/bin/python bench/import.py [--n 20000] [--corpus ant|saudinewsnet] [--batch 500]``
(from the project root).

Both sides read the same temporary JSONL file of N real articles (the first N
lines of ANT ``train.jsonl.gz`` or SaudiNewsNet) and parse each line as JSON:

* **khabar**: :func:`khabar.ingest.importer.import_files` into a fresh SQLite
  store (validation, display normalization, content hash, search
  normalization + tokenizing + stemming for the index, tags, sources).
* **baseline**: the same ``(url, title, body)`` rows inserted with ``sqlite3``
  into a regular table plus a plain FTS5 table (default ``unicode61``
  tokenizer), no Khabar processing, same pragmas and batch size.

Prints a table and writes ``bench/results/import.json``. The temporary file
and databases are deleted: nothing from the research-only corpora is kept.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import sqlite3
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from khabar.ingest.importer import import_files  # noqa: E402
from khabar.storage.sqlite import SQLiteStore  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
CORPORA = {
    "ant": (DATA / "ant_multisource" / "train.jsonl.gz", "text"),
    "saudinewsnet": (DATA / "saudinewsnet" / "saudinewsnet.jsonl.gz", "content"),
}
OUT = ROOT / "bench" / "results" / "import.json"
MIN_RATIO = 1 / 3


def write_sample(corpus: str, n: int, folder: Path) -> Path:
    """Copy the first ``n`` lines of a corpus into a plain JSONL file in ``folder``."""
    src, _ = CORPORA[corpus]
    out = folder / f"{corpus}.jsonl"
    with gzip.open(src, "rt", encoding="utf-8") as fin, out.open("w", encoding="utf-8") as fout:
        fout.writelines(islice(fin, n))
    return out


class Clock:
    """Wall-clock and CPU seconds of a block: the machine may be shared, CPU time shows the work itself."""

    def __enter__(self) -> Clock:
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self._wall
        self.cpu = time.process_time() - self._cpu


def time_khabar(sample: Path, corpus: str, db: Path, batch: int) -> tuple[Clock, dict[str, int]]:
    """Timing of ``import_files`` into a fresh store, and its summary."""
    store = SQLiteStore(str(db))
    try:
        with Clock() as clock:
            summary = import_files(store, [sample], fmt=corpus, batch_size=batch)
        assert store.count_articles() == summary.imported
    finally:
        store.close()
    return clock, summary.as_dict()


_BASELINE_SCHEMA = (
    "CREATE TABLE docs (id INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE, title TEXT, body TEXT)",
    "CREATE VIRTUAL TABLE docs_fts USING fts5(title, body)",
)


def _baseline_rows(sample: Path, body_key: str):
    """``(url, title, body)`` of every line that has a url and a body, like the importer keeps."""
    with sample.open(encoding="utf-8") as f:
        for line in f:
            obj = json.loads(line)
            if obj.get("url") and obj.get(body_key):
                yield obj["url"], obj.get("title") or "", obj[body_key]


def time_baseline(sample: Path, corpus: str, db: Path, batch: int) -> tuple[Clock, int]:
    """Timing of plain sqlite3 inserts of the same rows, and the row count."""
    conn = sqlite3.connect(db, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL"):
        conn.execute(f"PRAGMA {pragma}")
    for statement in _BASELINE_SCHEMA:
        conn.execute(statement)
    with Clock() as clock:
        rows = _baseline_rows(sample, CORPORA[corpus][1])
        while chunk := list(islice(rows, batch)):
            conn.execute("BEGIN IMMEDIATE")
            for url, title, body in chunk:
                # INSERT OR IGNORE: the corpora repeat some urls; first one wins, as in Khabar.
                cur = conn.execute("INSERT OR IGNORE INTO docs (url, title, body) VALUES (?, ?, ?)", (url, title, body))
                if cur.rowcount:
                    conn.execute(
                        "INSERT INTO docs_fts (rowid, title, body) VALUES (?, ?, ?)", (cur.lastrowid, title, body)
                    )
            conn.execute("COMMIT")
    count = conn.execute("SELECT count(*) FROM docs").fetchone()[0]
    conn.close()
    return clock, count


def _cold_caches() -> None:
    """Forget memoized stems so every round pays for its own analysis."""
    from khabar.arabic import stemmer, terms

    terms._memo.clear()
    terms.search_tokens.cache_clear()
    stemmer.stem.cache_clear()


def _best(a: Clock | None, b: Clock) -> Clock:
    return b if a is None or b.wall < a.wall else a


def run(corpus: str, n: int, batch: int, rounds: int = 3) -> dict:
    """Time both sides on the same sample, alternating ``rounds`` times; keep each side's best round."""
    load_before = os.getloadavg()[0]
    khabar = base = None
    with tempfile.TemporaryDirectory(prefix="khabar-bench-") as tmp:
        folder = Path(tmp)
        sample = write_sample(corpus, n, folder)
        for r in range(rounds):
            _cold_caches()
            clock, summary = time_khabar(sample, corpus, folder / f"khabar{r}.db", batch)
            khabar = _best(khabar, clock)
            clock, base_rows = time_baseline(sample, corpus, folder / f"baseline{r}.db", batch)
            base = _best(base, clock)
    lines = sum(summary.values())
    ratio = round(base.wall / khabar.wall, 3)  # = khabar's rate / the baseline's rate
    return {
        "corpus": corpus,
        "lines": lines,
        "batch": batch,
        "rounds": rounds,
        "khabar": {**_rates(khabar, lines), **summary},
        "baseline": {**_rates(base, lines), "rows": base_rows},
        "ratio": ratio,
        "ratio_cpu": round(base.cpu / khabar.cpu, 3),
        "meets_one_third": ratio >= MIN_RATIO,
        # A shared machine slows both sides unevenly: the load says how far to trust the wall clock.
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }


def _rates(clock: Clock, lines: int) -> dict[str, float]:
    return {
        "seconds": round(clock.wall, 2),
        "articles_per_s": round(lines / clock.wall, 1),
        "cpu_seconds": round(clock.cpu, 2),
        "articles_per_cpu_s": round(lines / clock.cpu, 1),
    }


def print_table(result: dict) -> None:
    """The result as a small fixed-width table."""
    print(
        f"import of {result['lines']:,} {result['corpus']} lines, batches of {result['batch']},"
        f" best of {result['rounds']} alternating rounds"
    )
    print(f"{'':<10}{'seconds':>10}{'articles/s':>12}{'cpu s':>10}{'articles/cpu s':>16}")
    for side in ("khabar", "baseline"):
        r = result[side]
        print(
            f"{side:<10}{r['seconds']:>10.2f}{r['articles_per_s']:>12,.1f}"
            f"{r['cpu_seconds']:>10.2f}{r['articles_per_cpu_s']:>16,.1f}"
        )
    verdict = "ok" if result["meets_one_third"] else "BELOW 1/3"
    print(f"load average {result['load_average'][0]} -> {result['load_average'][1]} on {result['cpus']} cpus")
    print(
        f"ratio khabar/baseline: {result['ratio']:.3f} wall ({verdict}, target >= {MIN_RATIO:.3f}), "
        f"{result['ratio_cpu']:.3f} cpu"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000, help="articles to import (default 20,000)")
    parser.add_argument("--corpus", choices=sorted(CORPORA), default="ant")
    parser.add_argument("--batch", type=int, default=500, help="articles per transaction (both sides)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds; the best of each side counts")
    args = parser.parse_args()
    result = run(args.corpus, args.n, args.batch, args.rounds)
    print_table(result)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0 if result["meets_one_third"] else 1


if __name__ == "__main__":
    sys.exit(main())
