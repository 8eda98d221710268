"""Site pages at scale: home, sections, outlets and articles of a large store, through the real web app.

Run: ``.venv/bin/python bench/pages.py [--n 100000] [--baseline-src DIR]`` (project root; ``--n`` names
a ``bench/.cache/scale-N`` build of ``bench/search.py``). ``--baseline-src`` times another tree's
``src`` (say the previous release: ``git worktree add /tmp/khabar-prev REV``) on the same store, in
its own process of the same run, for the ratio. The minimum any site must do is timed beside them:
plain SQL for the newest 20 rows (``plain_newest_20``).

Each page is requested through the ASGI app (routing, store, Jinja2 rendering): once on a fresh app
(``first_ms``: nothing kept yet) and then ``--repeat`` times (``again_p50_ms``, ``again_max_ms``);
article pages are 20 random articles, each requested once. Wall ms; the machine's load is recorded.
Writes ``bench/results/pages.json`` (one entry per N and code tree).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "pages.json"
CACHE = ROOT / "bench" / ".cache"
PAGES = ["/", "/?page=5", "/?format=atom", "/sections/international", "/sections/economy?page=5", "/sources",
         "/sources/{source}"]


def _ms(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return round((time.perf_counter() - t0) * 1000, 2)


def _client(db: Path):
    from starlette.testclient import TestClient

    from khabar.settings import load_settings
    from khabar.web.app import create_app

    return TestClient(create_app(load_settings(db=str(db), vectors_dir=str(db) + ".vectors")))


def _get(client, path: str) -> None:
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path}: HTTP {response.status_code}")


def time_pages(db: Path, repeat: int) -> dict:
    """First and repeated request times of each page; then 20 random article pages."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        source = conn.execute("SELECT s.name FROM sources s JOIN articles a ON a.source_id = s.id"
                              " GROUP BY s.id ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
        newest = conn.execute("SELECT max(id) FROM articles").fetchone()[0]
    out: dict = {}
    client = _client(db)
    for page in PAGES:
        path = page.format(source=source)
        first = _ms(lambda p=path: _get(client, p))
        again = [_ms(lambda p=path: _get(client, p)) for _ in range(repeat)]
        out[page] = {"first_ms": first, "again_p50_ms": statistics.median(again), "again_max_ms": max(again)}
    ids = random.Random(7).sample(range(1, newest + 1), 20)
    articles = [_ms(lambda i=i: _get(client, f"/articles/{i}")) for i in ids]
    out["/articles/{id}"] = {"p50_ms": statistics.median(articles), "max_ms": max(articles)}
    return out


def plain_newest(db: Path) -> float:
    """The floor: the newest 20 rows by plain SQL on the same file (median of 11)."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        sql = "SELECT id, title FROM articles ORDER BY published_at DESC LIMIT 20"
        return statistics.median(_ms(lambda: conn.execute(sql).fetchall()) for _ in range(11))


def run_tree(src: Path, n: int, repeat: int) -> dict:
    """This script's ``--serve`` in a fresh process importing Khabar from ``src``."""
    env = os.environ | {"PYTHONPATH": str(src)}
    command = [sys.executable, __file__, "--serve", "--n", str(n), "--repeat", str(repeat)]
    run = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    if run.returncode:
        raise SystemExit(run.stderr[-3000:])
    return json.loads(run.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--baseline-src", type=Path, help="another tree's src/ to time on the same store")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)  # (internal) time in this process
    args = parser.parse_args()
    db = CACHE / f"scale-{args.n}" / "khabar.db"
    if not db.exists():
        raise SystemExit(f"{db} is missing: build it with .venv/bin/python bench/search.py --n {args.n}")
    if args.serve:
        print(json.dumps(time_pages(db, args.repeat)))
        return
    result = {"khabar": run_tree(ROOT / "src", args.n, args.repeat), "plain_newest_20_ms": plain_newest(db)}
    if args.baseline_src:
        result["baseline"] = run_tree(args.baseline_src.resolve(), args.n, args.repeat)
        result["baseline_src"] = str(args.baseline_src)
    result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(result, indent=1))
    data = json.loads(RESULTS.read_text("utf-8")) if RESULTS.exists() else {}
    data[str(args.n)] = result
    RESULTS.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
