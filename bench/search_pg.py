"""PostgreSQL at scale: Khabar's lexical search, hybrid search and related lists on a PostgreSQL store of
N articles, timed beside the SQLite store of ``bench/search.py`` in the same process.

Run: ``scripts/with-postgres.sh .venv/bin/python bench/search_pg.py [--n 100000]`` (project root;
``--n`` must name an existing ``bench/.cache/scale-N`` build: ``.venv/bin/python bench/search.py --n N``).

Build: the same N articles in the same order as the SQLite build (``search_build.picks``, ``_batches``:
5,000 a transaction through ``Store.add_articles``, each base paragraph analysed once as there), the
same copy links (``link_copies``), then ``VACUUM (ANALYZE)``: the insert-triggered autovacuum would
do it soon after a bulk load anyway, and doing it first keeps it out of the timings. Ids come from a
sequence: the url -> id map is asserted equal to the SQLite store's, so the SQLite build's vector
sidecar serves both. Server defaults are kept. Reported: wall, client CPU and server CPU (the
connection's backend process, from ``/proc/<pid>/schedstat``) seconds, ``pg_database_size`` beside
the SQLite file.

Serving (one process, one shared vector sidecar, the build's 200 queries in an order rotating
between systems: ``search._timed_rotating``): ``sqlite_lexical`` / ``pg_lexical``
(:func:`khabar.search.search`), ``sqlite_hybrid`` / ``pg_hybrid`` (query vectors precomputed),
then ``sqlite_related`` / ``pg_related`` over 200 random seeds. ``cpu_*`` is this process only;
for PostgreSQL most work runs in the server, so ``server_cpu_*`` (its backend) and ``total_cpu_*``
(client + server, per call) are added. ``lexical_top10_overlap``: mean share of the top 10 both
backends return (they rank differently: ts_rank_cd against BM25), also counted as base texts (the
store holds ~N/2,000 near-identical re-issues of each). ``plan_check``: EXPLAIN ANALYZE of the id-window
statements of ``PostgresStore.search_ids`` as planned and with ``enable_indexscan`` off, after the timings.
``aggregates``: listing totals, sections and outlets of both stores, computed and kept (``bench/aggregates.py``).
Writes ``bench/results/search_pg.json`` (one entry per N) and prints a markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import sys
import time
from contextlib import closing
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "2")
import numpy as np  # noqa: E402
import psycopg  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench")]

import aggregates  # noqa: E402
from devdata import CACHE  # noqa: E402
from khabar.search.vectors import VectorIndex  # noqa: E402
from khabar.storage import open_store  # noqa: E402
from search import _Fixed, _in_use, _timed_rotating  # noqa: E402
from search_build import BATCH, _batches, _cpu, _memoize_analysis, base_pool, link_copies, picks  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "search_pg.json"
NEEDED = ("khabar.db", "khabar.db.vectors", "queries.json", "qvecs.npy")
WARM = 10  # calls _timed_rotating makes per system before timing


class BackendClock:
    """CPU seconds the PostgreSQL backend serving ``conn`` has used (ns resolution: schedstat)."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self.path = Path(f"/proc/{conn.info.backend_pid}/schedstat")

    def __call__(self) -> float:
        return int(self.path.read_text().split()[0]) / 1e9


class CpuProbe:
    """Wraps a timed call: records server and client + server CPU ms of every call."""

    def __init__(self, fn, clock: BackendClock) -> None:
        self.fn, self.clock = fn, clock
        self.server: list[float] = []
        self.total: list[float] = []

    def __call__(self, item):
        s0, c0 = self.clock(), time.process_time()
        out = self.fn(item)
        server = (self.clock() - s0) * 1000
        self.server.append(server)
        self.total.append(server + (time.process_time() - c0) * 1000)
        return out

    def figures(self) -> dict[str, float]:
        """Percentiles over the timed calls (the warm-up calls dropped)."""
        pct = lambda ms, q: round(float(np.percentile(ms[WARM:], q)), 2)  # noqa: E731
        return {"server_cpu_p50_ms": pct(self.server, 50), "server_cpu_p95_ms": pct(self.server, 95),
                "total_cpu_p50_ms": pct(self.total, 50), "total_cpu_p95_ms": pct(self.total, 95)}


def check_build(work: Path) -> None:
    """Stop with a clear message when the SQLite build of this size is missing."""
    missing = [name for name in NEEDED if not (work / name).exists()]
    if missing:
        n = work.name.removeprefix("scale-")
        raise SystemExit(f"no SQLite build in {work} (missing {', '.join(missing)}): "
                         f"build it first with .venv/bin/python bench/search.py --n {n}")


def build_pg(url: str, n: int) -> dict:
    """The PostgreSQL store of the N articles of the SQLite build, loaded as ``search_build`` loads it."""
    pool, _, _ = base_pool()
    base = picks(n, len(pool))
    import khabar.arabic.terms as terms_module
    import khabar.model as model_module

    plain = terms_module.search_tokens
    analysis_ms = _memoize_analysis(pool)  # as the SQLite build: each base paragraph analysed once
    try:
        store = open_store(url)
        clock = BackendClock(store._conn)
        t0, c0, s0 = time.perf_counter(), _cpu(), clock()
        for start, arts in _batches(pool, base):
            store.add_articles(arts)
            if (start + BATCH) % 10_000 == 0:
                print(f"pg: {start + BATCH} articles, {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
        link_copies(store, base, len(pool))
        out = {"load_s": round(time.perf_counter() - t0, 1), "load_client_cpu_s": round(_cpu() - c0, 1),
               "load_server_cpu_s": round(clock() - s0, 1)}
        store.close()
    finally:
        terms_module.search_tokens = model_module.search_tokens = plain  # serve with the real analyzer
    t1 = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
    return out | {"vacuum_analyze_s": round(time.perf_counter() - t1, 1),
                  "analysis_cpu_ms_per_article_unmemoized": analysis_ms}


def check_ids(url: str, sqlite_path: Path) -> int:
    """Assert both stores give every url the same id (so one vector sidecar serves both)."""
    sql = "SELECT id, url FROM articles ORDER BY id"
    with psycopg.connect(url) as conn:
        pg_rows = conn.execute(sql).fetchall()
    with closing(sqlite3.connect(str(sqlite_path))) as conn:
        sqlite_rows = conn.execute(sql).fetchall()
    assert [tuple(r) for r in pg_rows] == sqlite_rows, "PostgreSQL ids differ from the SQLite build's"
    return len(pg_rows)


def sizes(url: str, work: Path) -> dict:
    """MB on disk: the PostgreSQL database and its largest relations, the SQLite file and its pages in use."""
    mb = lambda b: round(b / 2**20, 1)  # noqa: E731
    with psycopg.connect(url) as conn:
        db = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        rels = conn.execute(
            "SELECT relname, pg_total_relation_size(oid) FROM pg_class WHERE relkind IN ('r', 'i')"
            " AND relnamespace = 'public'::regnamespace ORDER BY 2 DESC LIMIT 8").fetchall()
    return {"pg_database": mb(db), "pg_relations_with_toast_and_indexes": {r: mb(s) for r, s in rels},
            "sqlite_file": mb((work / "khabar.db").stat().st_size), "sqlite_in_use": _in_use(work / "khabar.db"),
            "vectors_sidecar": mb(sum(p.stat().st_size for p in (work / "khabar.db.vectors").iterdir()))}


def server_info(url: str) -> dict:
    """Version and the (default) settings that shape these plans."""
    names = ("server_version", "shared_buffers", "work_mem", "effective_cache_size", "jit",
             "max_parallel_workers_per_gather", "random_page_cost")
    with psycopg.connect(url) as conn:
        return {n: conn.execute(f"SHOW {n}").fetchone()[0] for n in names}


def serve(url: str, work: Path) -> dict:
    """Time the six rows (see the module docstring) and the lexical top-10 overlap."""
    from khabar.search import search
    from khabar.search.hybrid import hybrid_search
    from khabar.search.related import related

    queries = json.loads((work / "queries.json").read_text("utf-8"))
    fixed = _Fixed(queries, np.load(work / "qvecs.npy"))
    sq, pg, vectors = open_store(str(work / "khabar.db")), open_store(url), VectorIndex(work / "khabar.db.vectors")
    clock, n = BackendClock(pg._conn), sq.count_articles()
    seeds = random.Random(3).sample(range(1, n + 1), len(queries))
    probes = {"pg_lexical": CpuProbe(lambda q: search(pg, q, 10), clock),
              "pg_hybrid": CpuProbe(lambda q: hybrid_search(pg, vectors, fixed, q, 10), clock),
              "pg_related": CpuProbe(lambda i: related(pg, vectors, i), clock)}
    out = _timed_rotating({"sqlite_lexical": lambda q: search(sq, q, 10), "pg_lexical": probes["pg_lexical"],
                           "sqlite_hybrid": lambda q: hybrid_search(sq, vectors, fixed, q, 10),
                           "pg_hybrid": probes["pg_hybrid"]}, queries)
    out |= _timed_rotating({"sqlite_related": lambda i: related(sq, vectors, i), "pg_related": probes["pg_related"]},
                           seeds)
    for name, probe in probes.items():
        assert len(probe.total) == WARM + len(queries)
        out[name] |= probe.figures()
    for name in ("sqlite_lexical", "sqlite_hybrid", "sqlite_related"):  # all in this process
        out[name] |= {"server_cpu_p50_ms": 0.0, "server_cpu_p95_ms": 0.0,
                      "total_cpu_p50_ms": out[name]["cpu_p50_ms"], "total_cpu_p95_ms": out[name]["cpu_p95_ms"]}
    overlap = top10_overlap(sq, pg, queries, search, picks(n, len(base_pool()[0])))
    sq.close()
    pg.close()
    return {"timings": out, **overlap}


def top10_overlap(sq, pg, queries: list[str], search, base: list[int]) -> dict:
    """Mean share of the lexical top 10 the two backends have in common (queries where either found
    something): as articles, and as base texts (``base``: each id's base article; a store of re-issues
    holds ~N/2,000 near-identical copies of each text, between which the two rankings break ties apart);
    and how many queries each answered with fewer than 10."""
    shares, texts, short = [], [], {"sqlite": 0, "pg": 0}
    for q in queries:
        a, b = ({h.article.id for h in search(s, q, 10)} for s in (sq, pg))
        short["sqlite"] += len(a) < 10
        short["pg"] += len(b) < 10
        if a or b:
            shares.append(len(a & b) / max(len(a), len(b)))
            ta, tb = ({base[i - 1] for i in ids} for ids in (a, b))
            texts.append(len(ta & tb) / max(len(ta), len(tb)))
    return {"lexical_top10_overlap": round(float(np.mean(shares)), 4),
            "lexical_top10_overlap_base_texts": round(float(np.mean(texts)), 4), "queries_with_fewer_than_10": short}


def plan_check(url: str, queries: list[str]) -> dict:
    """EXPLAIN ANALYZE of the two statements of ``PostgresStore.search_ids`` that rank within an id window
    (``postgres_search``: the sample count and the capped ranking), as run (the store's own SQL, captured)
    and with ``SET LOCAL enable_indexscan = off`` (GIN bitmap AND the id range): server ms and buffers."""
    from dataclasses import replace

    from khabar.search import parse_query

    store = open_store(url)
    found: dict[str, list[tuple[float, int, bool]]] = {}
    real = store._rows

    def explained(sql: str, params=()):
        if "s.article_id > %s" in sql:
            kind = "ranked" if "ts_rank_cd" in sql else "sample_count"
            for setting in ("on", "off"):
                found.setdefault(f"{kind}_indexscan_{setting}", []).append(_explain(store._conn, sql, params, setting))
        return real(sql, params)

    store._rows = explained
    for q in queries:
        query = parse_query(q)
        store.search_ids(query, 50)
        if len(query.terms) > 1:
            store.search_ids(replace(query, match_any=True), 50)  # hybrid's (and search's) any-word fallback
    store.close()
    return {k: {"statements": len(v), "p50_ms": round(float(np.percentile([m for m, _, _ in v], 50)), 2),
                "p95_ms": round(float(np.percentile([m for m, _, _ in v], 95)), 2),
                "mean_buffers": round(float(np.mean([b for _, b, _ in v]))),
                "pkey_range_plans": sum(p for _, _, p in v)} for k, v in found.items()}


def _explain(conn: psycopg.Connection, sql: str, params, indexscan: str) -> tuple[float, int, bool]:
    """(execution ms, buffers, whether the plan scans the id range of the primary key without the GIN index)."""
    with conn.transaction():
        conn.execute(f"SET LOCAL enable_indexscan = {indexscan}")
        plan = conn.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, params).fetchone()[0][0]
    text = json.dumps(plan)
    top = plan["Plan"]
    return (plan["Execution Time"], top["Shared Hit Blocks"] + top["Shared Read Blocks"],
            "article_search_pkey" in text and "article_search_terms" not in text)


def table(result: dict) -> str:
    """The markdown summary printed at the end."""
    rows = ["| row | p50 ms | p95 ms | CPU p50 ms (client) | CPU p95 ms (client) | CPU p50 ms (+server) "
            "| CPU p95 ms (+server) |", "|---|---|---|---|---|---|---|"]
    for name, t in result["timings"].items():
        rows.append(f"| {name} | {t['p50_ms']} | {t['p95_ms']} | {t['cpu_p50_ms']} | {t['cpu_p95_ms']} "
                    f"| {t['total_cpu_p50_ms']} | {t['total_cpu_p95_ms']} |")
    b, s = result["build"], result["sizes_mb"]
    rows.append(f"\nPostgreSQL build: {b['load_s']} s load (client CPU {b['load_client_cpu_s']} s, server CPU "
                f"{b['load_server_cpu_s']} s) + {b['vacuum_analyze_s']} s VACUUM ANALYZE; database "
                f"{s['pg_database']} MB vs SQLite file {s['sqlite_file']} MB ({s['sqlite_in_use']} MB in use); "
                f"lexical top-10 overlap {result['lexical_top10_overlap']} (as base texts "
                f"{result['lexical_top10_overlap_base_texts']})\n")
    rows += [f"{k}: {v}" for k, v in result["plan_check"].items()]
    rows += [f"aggregates {k}: {v}" for k, v in result.get("aggregates", {}).items()]
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="articles: an existing bench/.cache/scale-N build")
    parser.add_argument("--out", type=Path, default=RESULTS, help="results file (default: %(default)s)")
    args = parser.parse_args()
    work = CACHE / f"scale-{args.n}"
    check_build(work)
    url = os.environ.get("KHABAR_TEST_PG")
    if not url:
        raise SystemExit("KHABAR_TEST_PG is not set: run under scripts/with-postgres.sh")
    t0 = time.perf_counter()
    result = {"articles": args.n, "server": server_info(url), "build": build_pg(url, args.n)}
    result["build"]["wall_s"] = round(time.perf_counter() - t0, 1)
    result["ids_checked"] = check_ids(url, work / "khabar.db")
    result["sizes_mb"] = sizes(url, work)
    result["load_average_before_serving"] = [round(x, 2) for x in os.getloadavg()]
    result |= serve(url, work)
    result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    result["plan_check"] = plan_check(url, json.loads((work / "queries.json").read_text("utf-8")))
    result["aggregates"] = {name: aggregates.timed(location) for name, location in
                            (("sqlite", str(work / "khabar.db")), ("pg", url))}
    result["command"] = f"scripts/with-postgres.sh .venv/bin/python bench/search_pg.py --n {args.n}"
    data = json.loads(args.out.read_text("utf-8")) if args.out.exists() else {}
    data[str(args.n)] = result
    args.out.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(result))


if __name__ == "__main__":
    main()
