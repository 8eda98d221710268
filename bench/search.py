"""Scale: build a store of N articles with vectors, then time search and related beside plain FTS5.

Run: ``OMP_NUM_THREADS=2 .venv/bin/python bench/search.py [--n 100000] [--queries 200] [--reuse]``
(project root; ``--reuse`` re-times serving on the last build of that size; with it, ``--search-only``
or ``--related-only`` re-time only those, merged into the stored entry).

Articles: the ~2,000 real articles whose e5 vectors are cached in ``bench/.cache``
(the SaudiNewsNet dev day and the ANT sample's 14-18 May) are re-issued N times
in total with new urls, one title word and one lead word dropped at random and the
date moved by up to ±30 days; each copy's vector is the original's plus small
Gaussian noise (renormalized), so nothing new is embedded. Each re-issue is stored as a copy
of its base article, as an import's copy detector would link it (``search_build.link_copies``). A plain FTS5 table
(default tokenizer, raw text) over the same articles is the baseline.

Build: three processes at once (``--part``): Khabar's store through ``Store.add_articles``
(5,000 articles a transaction, no fsync and a big page cache while loading, FTS5 ``optimize``
at the end), the plain FTS5 table, and the vector sidecar. Each base paragraph is analysed
once (:func:`_memoize_analysis`; what analysis costs a real import per article is reported).

Serving is measured in a fresh process (``--serve``): peak RSS, and p50/p95 of
``fts5_plain`` (implicit AND, bm25), ``khabar_lexical`` (:func:`khabar.search.search`), the same with
FTS5's own ``bm25()`` instead of ``khabar_bm25`` (``khabar_lexical_fts5_bm25``, and how much of the top 10
the two share, ``khabar_lexical_top10_vs_exact_bm25``),
``hybrid`` (query vectors precomputed; e5 query embedding timed separately) and
``related`` (the three searches query by query, in an order rotating with the query: none is
always first on cold pages); resident memory split into private (``rss_anon_mb``) and file-backed pages
(``rss_file_mb``: the memory-mapped sidecar, page cache the kernel can drop). Caveat:
every re-issue is a linked copy of its base article, so the nearest neighbours of most
related seeds are all copies of the seed's base and are rejected before ranking
(``related_seeds_with_picks``): ``related`` times that path, not a full ranking (which
``bench/related.py`` times on real stores). Writes ``bench/results/search.json`` (one entry per N).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "2")
import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench")]

from devdata import CACHE  # noqa: E402
from khabar.enrich.embeddings import CachedEmbedder, E5Embedder  # noqa: E402
from khabar.model import Article  # noqa: E402
from khabar.search.vectors import VectorIndex  # noqa: E402
from khabar.storage import open_store  # noqa: E402
from search_build import PARTS, base_pool, build_part  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "search.json"
RANKED_SEEDS, MAX_DRAWS = 200, 20_000


def build(work: Path, n: int, n_queries: int) -> dict:
    """Store, plain FTS5 and vector sidecar of N articles, built by three processes at once; query
    strings and their e5 vectors."""
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    pool, _, _ = base_pool()
    t0 = time.perf_counter()
    runs = [subprocess.Popen([sys.executable, __file__, "--part", part, "--n", str(n), "--work", str(work)])
            for part in PARTS]
    if any(run.wait() for run in runs):
        raise SystemExit("a build part failed")
    out = {"articles": n, "build_wall_s": round(time.perf_counter() - t0, 1)}
    for part in PARTS:
        out |= {f"{part}_{k}": v for k, v in json.loads((work / f"part-{part}.json").read_text("utf-8")).items()}
    queries = make_queries(pool, n_queries, random.Random(11))
    qvecs = CachedEmbedder(E5Embedder(), CACHE / "search_emb.sqlite").query(queries)
    np.save(work / "qvecs.npy", qvecs)
    (work / "queries.json").write_text(json.dumps(queries, ensure_ascii=False), "utf-8")
    return out | {"disk_mb": _disk(work)}


def make_queries(pool: list[Article], n: int, rng: random.Random) -> list[str]:
    """1-3 words taken from real titles: what people type."""
    out = []
    while len(out) < n:
        words = [w for w in re.findall(r"\w{3,}", rng.choice(pool).title) if not w.isdigit()]
        if words:
            k = min(len(words), rng.choice((1, 2, 2, 3)))
            out.append(" ".join(rng.sample(words, k)))
    return out


def _disk(work: Path) -> dict[str, float]:
    mb = lambda paths: round(sum(p.stat().st_size for p in paths if p.is_file()) / 2**20, 1)  # noqa: E731
    return {"store": mb(work.glob("khabar.db*")), "store_in_use": _in_use(work / "khabar.db"),
            "vectors": mb((work / "khabar.db.vectors").iterdir()), "plain_fts5": mb([work / "plain.db"]),
            "plain_fts5_in_use": _in_use(work / "plain.db")}


def _in_use(path: Path) -> float:
    """MB of pages holding data (bulk loading and ``optimize`` leave free pages a VACUUM would drop)."""
    with closing(sqlite3.connect(str(path))) as conn:
        pages, free, size = (conn.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_count", "freelist_count",
                                                                                 "page_size"))
    return round((pages - free) * size / 2**20, 1)


class _Fixed:
    """An embedder answering with precomputed query vectors (the e5 cost is timed apart)."""

    name, dim = "e5-small-q4", 384

    def __init__(self, queries: list[str], vecs: np.ndarray) -> None:
        self.rows = {q: v for q, v in zip(queries, vecs, strict=False)}

    def query(self, texts):
        return np.vstack([self.rows[t] for t in texts])


def _timed(fn, items) -> dict[str, float]:
    """Wall and CPU (this process) p50/p95: on a shared, loaded machine the CPU figures are the stable ones."""
    for item in items[:10]:
        fn(item)  # warm caches (page cache, stems) as a running server would be
    wall, cpu = [], []
    for item in items:
        t0, c0 = time.perf_counter(), time.process_time()
        fn(item)
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return _percentiles(wall, cpu)


def _timed_rotating(fns: dict, items) -> dict[str, dict[str, float]]:
    """:func:`_timed` of several systems over the same items, each item on every system in an order that
    rotates with the item: systems sharing a store meet its pages cold or warm equally often."""
    names = list(fns)
    for item in items[:10]:
        for fn in fns.values():
            fn(item)
    wall: dict[str, list[float]] = {n: [] for n in names}
    cpu: dict[str, list[float]] = {n: [] for n in names}
    for k, item in enumerate(items):
        for name in names[k % len(names) :] + names[: k % len(names)]:
            t0, c0 = time.perf_counter(), time.process_time()
            fns[name](item)
            wall[name].append((time.perf_counter() - t0) * 1000)
            cpu[name].append((time.process_time() - c0) * 1000)
    return {n: _percentiles(wall[n], cpu[n]) for n in names}


def _percentiles(wall: list[float], cpu: list[float]) -> dict[str, float]:
    pct = lambda ms, q: round(float(np.percentile(ms, q)), 2)  # noqa: E731
    return {"p50_ms": pct(wall, 50), "p95_ms": pct(wall, 95), "cpu_p50_ms": pct(cpu, 50), "cpu_p95_ms": pct(cpu, 95)}


def time_ranked(store, vectors, n_articles: int) -> dict:
    """Related over random seeds until ``RANKED_SEEDS`` get a non-empty list (their list came from ranking);
    each seed is timed at its first call, after ten warm-up calls on other seeds."""
    from khabar.search.related import related

    draws = random.Random(5).sample(range(1, n_articles + 1), min(n_articles, MAX_DRAWS + 10))
    for i in draws[:10]:
        related(store, vectors, i)
    times: list[tuple[float, float, bool]] = []
    for i in draws[10:]:
        t0, c0 = time.perf_counter(), time.process_time()
        ranked = bool(related(store, vectors, i).similar)
        times.append(((time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000, ranked))
        if sum(r for _, _, r in times) >= RANKED_SEEDS:
            break
    picked = [t for t in times if t[2]]
    return {"related_ranked": _percentiles([w for w, _, _ in picked], [c for _, c, _ in picked]),
            "related_ranked_seeds": len(picked), "related_seeds_drawn": len(times),
            "related_seeds_with_picks": round(len(picked) / len(times), 4),
            "related_drawn": _percentiles([w for w, _, _ in times], [c for _, c, _ in times])}


def top10_agreement(store, bm25_store, queries: list[str]) -> float:
    """Mean share of the lexical top 10 that FTS5's bm25() with exact counts, every word scored, also
    ranks in its top 10: what estimating the counts from the newest articles changes."""
    from khabar.search import parse_query
    from khabar.storage import sqlite_scoring

    common, sqlite_scoring.COMMON_DOCS = sqlite_scoring.COMMON_DOCS, 10**12  # score every word, as khabar_bm25 does
    shares = []
    try:
        for text in queries:
            query = parse_query(text)
            ours = {i for i, _ in store.search_ids(query, 10)}
            exact = {i for i, _ in bm25_store.search_ids(query, 10)}
            if ours or exact:
                shares.append(len(ours & exact) / max(len(ours), len(exact)))
    finally:
        sqlite_scoring.COMMON_DOCS = common
    return round(float(np.mean(shares)), 4)


def serve(work: Path, only: str = "") -> dict:
    """Open what a server opens and time the four operations (``only``: "related" or "search").

    ``hybrid_with_embedding`` is hybrid search as a server runs it, the query's embedding included."""
    from khabar.search import search
    from khabar.search.hybrid import hybrid_search
    from khabar.search.related import related

    queries = json.loads((work / "queries.json").read_text("utf-8"))
    fixed = _Fixed(queries, np.load(work / "qvecs.npy"))
    store, vectors = open_store(str(work / "khabar.db")), VectorIndex(work / "khabar.db.vectors")
    plain = sqlite3.connect(str(work / "plain.db"))
    sql = "SELECT rowid FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT 10"
    plain_q = lambda q: plain.execute(sql, (" ".join(f'"{w}"' for w in q.split()),)).fetchall()  # noqa: E731
    n_articles = store.count_articles()
    seeds = random.Random(3).sample(range(1, n_articles + 1), len(queries))
    if only == "related":
        timed = _timed(lambda i: related(store, vectors, i), seeds)
        return {"related": timed} | time_ranked(store, vectors, n_articles)
    bm25_store = open_store(str(work / "khabar.db"))
    bm25_store.ranking.enabled = False  # FTS5's own bm25(), as Khabar ranked before khabar_bm25
    out = _timed_rotating({
        "fts5_plain": plain_q,
        "khabar_lexical": lambda q: search(store, q, 10),
        "khabar_lexical_fts5_bm25": lambda q: search(bm25_store, q, 10),
        "hybrid": lambda q: hybrid_search(store, vectors, fixed, q, 10),
    }, queries)
    out["khabar_lexical_top10_vs_exact_bm25"] = top10_agreement(store, bm25_store, queries)
    e5 = E5Embedder()  # what hybrid adds to a query in a server: its embedding
    e5.query(["تجربة"])
    out["e5_query_embedding"] = _timed(lambda q: e5.query([q]), queries[:100])
    out["hybrid_with_embedding"] = _timed(lambda q: hybrid_search(store, vectors, e5, q, 10), queries[:100])
    if only == "search":
        return out
    out["related"] = _timed(lambda i: related(store, vectors, i), seeds)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out | _rss_parts() | time_ranked(store, vectors, n_articles)  # after the memory figures


def _rss_parts() -> dict[str, float]:
    """Resident MB now: private (anonymous) and file-backed (the mapped sidecar and libraries: page
    cache the kernel may drop, shared with other processes; peak RSS counts both)."""
    status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    mb = lambda key: round(int(status.get(key, "0 kB").split()[0]) / 1024, 1)  # noqa: E731
    return {"rss_anon_mb": mb("RssAnon"), "rss_file_mb": mb("RssFile")}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--work", type=Path, default=None, help="build directory (default bench/.cache/scale-N)")
    parser.add_argument("--serve", action="store_true", help="(internal) time a built directory")
    parser.add_argument("--reuse", action="store_true", help="time an earlier build again (its build figures kept)")
    parser.add_argument("--part", choices=PARTS, help="(internal) build one part")
    parser.add_argument("--related-only", action="store_true",
                        help="with --reuse: re-time only related, merged into the stored entry")
    parser.add_argument("--search-only", action="store_true",
                        help="with --reuse: re-time only the three searches, merged into the stored entry")
    parser.add_argument("--only", default="", help=argparse.SUPPRESS)  # (internal) what --serve times
    args = parser.parse_args()
    only = args.only or ("related" if args.related_only else "search" if args.search_only else "")
    work = args.work or CACHE / f"scale-{args.n}"
    if args.serve:
        print(json.dumps(serve(work, only)))
        return
    if args.part:
        build_part(args.part, work, args.n)
        return
    if args.reuse and (work / "build.json").exists():
        result = json.loads((work / "build.json").read_text("utf-8")) | {"disk_mb": _disk(work)}
    else:
        result = build(work, args.n, args.queries)
        (work / "build.json").write_text(json.dumps(result), "utf-8")
    print(json.dumps(result), flush=True)
    command = [sys.executable, __file__, "--serve", "--work", str(work), "--only", only]
    run = subprocess.run(command, capture_output=True, text=True)
    if run.returncode:
        raise SystemExit(run.stderr)
    data = json.loads(RESULTS.read_text("utf-8")) if RESULTS.exists() else {}
    if only:
        result = data.get(str(args.n), result) | result
    result |= json.loads(run.stdout.strip().splitlines()[-1])
    result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(result, indent=1))
    data[str(args.n)] = result
    RESULTS.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
