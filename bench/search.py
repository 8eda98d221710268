"""Scale: build a store of N articles with vectors, then time search and related beside plain FTS5.

Run: ``OMP_NUM_THREADS=2 .venv/bin/python bench/search.py [--n 100000] [--queries 200]`` (project root).

Articles: the ~2,000 real articles whose e5 vectors are cached in ``bench/.cache``
(the SaudiNewsNet dev day and the ANT sample's 14-18 May) are re-issued N times
in total with new urls, one title word and one lead word dropped at random and the
date moved by up to ±30 days; each copy's vector is the original's plus small
Gaussian noise (renormalized), so nothing new is embedded. A plain FTS5 table
(default tokenizer, raw text) over the same articles is the baseline.

Serving is measured in a fresh process (``--serve``): peak RSS, and p50/p95 of
``fts5_plain`` (implicit AND, bm25), ``khabar_lexical`` (:func:`khabar.search.search`),
``hybrid`` (query vectors precomputed; e5 query embedding timed separately) and
``related``. Writes ``bench/results/search.json`` (one entry per N).
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
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "2")
import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench")]

from devdata import CACHE  # noqa: E402
from khabar.enrich.embeddings import CachedEmbedder, E5Embedder  # noqa: E402
from khabar.model import Article  # noqa: E402
from khabar.search.vectors import VectorIndex, signature  # noqa: E402
from khabar.storage import open_store  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "search.json"


def base_pool() -> tuple[list[Article], np.ndarray]:
    """Real articles with cached e5 vectors (imported through the related bench's loaders)."""
    import tempfile

    import related as rel  # bench/related.py: the same two datasets, the same caches

    out: list[Article] = []
    vecs = []
    with tempfile.TemporaryDirectory() as tmp:
        for loader, cache in ((rel.snn_day_all, "embeddings.sqlite"), (rel.ant_dataset, "search_emb.sqlite")):
            store, index, _ = loader(Path(tmp), CachedEmbedder(E5Embedder(), CACHE / cache))
            arts = store.latest(100_000)
            out += [a.article for a in arts]
            vecs.append(index.get([a.id for a in arts]))
            store.close()
    return out, np.vstack(vecs)


def perturb(a: Article, i: int, rng: random.Random) -> Article:
    """A light re-issue: new url, one word fewer in title and lead, another date."""
    def drop(text: str) -> str:
        words = text.split()
        if len(words) > 4:
            del words[rng.randrange(len(words))]
        return " ".join(words)

    paragraphs = [drop(a.paragraphs[0]), *a.paragraphs[1:]] if a.paragraphs else []
    when = a.published_at + __import__("datetime").timedelta(days=rng.randint(-30, 30)) if a.published_at else None
    return Article(url=f"{a.url}#r{i}", title=drop(a.title), paragraphs=paragraphs, lead=paragraphs[0] if paragraphs
                   else "", published_at=when, source=a.source, section=a.section, language="ar")


def build(work: Path, n: int, n_queries: int) -> dict:
    """Store + sidecar + plain FTS5 of N articles; query strings and their e5 vectors."""
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    pool, pool_vecs = base_pool()
    sigs = [signature(a.title, a.body) for a in pool]
    rng, noise = random.Random(7), np.random.default_rng(7)
    store = open_store(str(work / "khabar.db"))
    plain = sqlite3.connect(str(work / "plain.db"))
    plain.execute("CREATE VIRTUAL TABLE t USING fts5(title, body)")
    t0, picks = time.perf_counter(), []
    for start in range(0, n, 1000):
        # Every real article once, then random re-issues.
        batch = [(i, i if i < len(pool) else rng.randrange(len(pool))) for i in range(start, min(n, start + 1000))]
        arts = [perturb(pool[b], i, rng) for i, b in batch]
        store.add_articles(arts)
        with plain:
            plain.executemany("INSERT INTO t (rowid, title, body) VALUES (?, ?, ?)",
                              [(i + 1, a.title, a.body) for (i, _), a in zip(batch, arts, strict=False)])
        picks += [b for _, b in batch]
    store_s = time.perf_counter() - t0
    assert store.get_article(f"{pool[0].url}#r0").id == 1  # ids follow insertion order in a fresh store
    store.close()
    t0 = time.perf_counter()
    index = VectorIndex(work / "khabar.db.vectors", "e5-small-q4", 384)
    for start in range(0, n, 100_000):
        chunk = np.array(picks[start : start + 100_000])
        v = pool_vecs[chunk] + noise.normal(0, 0.01, (len(chunk), pool_vecs.shape[1])).astype(np.float32)
        index.add(np.arange(start + 1, start + 1 + len(chunk)), v / np.linalg.norm(v, axis=1, keepdims=True),
                  [sigs[k] for k in chunk])
    index.save()
    vectors_s = time.perf_counter() - t0
    queries = make_queries(pool, n_queries, rng)
    qvecs = CachedEmbedder(E5Embedder(), CACHE / "search_emb.sqlite").query(queries)
    np.save(work / "qvecs.npy", qvecs)
    (work / "queries.json").write_text(json.dumps(queries, ensure_ascii=False), "utf-8")
    return {"articles": n, "build_store_s": round(store_s, 1), "build_vectors_s": round(vectors_s, 1),
            "build_total_s": round(store_s + vectors_s, 1), "disk_mb": _disk(work)}


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
    return {"store": mb(work.glob("khabar.db*")), "vectors": mb((work / "khabar.db.vectors").iterdir()),
            "plain_fts5": mb([work / "plain.db"])}


class _Fixed:
    """An embedder answering with precomputed query vectors (the e5 cost is timed apart)."""

    name, dim = "e5-small-q4", 384

    def __init__(self, queries: list[str], vecs: np.ndarray) -> None:
        self.rows = {q: v for q, v in zip(queries, vecs, strict=False)}

    def query(self, texts):
        return np.vstack([self.rows[t] for t in texts])


def _timed(fn, items) -> dict[str, float]:
    for item in items[:10]:
        fn(item)  # warm caches (page cache, stems) as a running server would be
    ms = []
    for item in items:
        t0 = time.perf_counter()
        fn(item)
        ms.append((time.perf_counter() - t0) * 1000)
    return {"p50_ms": round(float(np.percentile(ms, 50)), 2), "p95_ms": round(float(np.percentile(ms, 95)), 2)}


def serve(work: Path) -> dict:
    """Open what a server opens and time the four operations."""
    from khabar.search import search
    from khabar.search.hybrid import hybrid_search
    from khabar.search.related import related

    queries = json.loads((work / "queries.json").read_text("utf-8"))
    fixed = _Fixed(queries, np.load(work / "qvecs.npy"))
    store, vectors = open_store(str(work / "khabar.db")), VectorIndex(work / "khabar.db.vectors")
    plain = sqlite3.connect(str(work / "plain.db"))
    sql = "SELECT rowid FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT 10"
    plain_q = lambda q: plain.execute(sql, (" ".join(f'"{w}"' for w in q.split()),)).fetchall()  # noqa: E731
    seeds = random.Random(3).sample(range(1, store.count_articles() + 1), len(queries))
    out = {
        "fts5_plain": _timed(plain_q, queries),
        "khabar_lexical": _timed(lambda q: search(store, q, 10), queries),
        "hybrid": _timed(lambda q: hybrid_search(store, vectors, fixed, q, 10), queries),
        "related": _timed(lambda i: related(store, vectors, i), seeds),
    }
    e5 = E5Embedder()
    e5.query(["تجربة"])
    out["e5_query_embedding"] = _timed(lambda q: e5.query([q]), queries[:40])
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--work", type=Path, default=None, help="build directory (default bench/.cache/scale-N)")
    parser.add_argument("--serve", action="store_true", help="(internal) time a built directory")
    args = parser.parse_args()
    work = args.work or CACHE / f"scale-{args.n}"
    if args.serve:
        print(json.dumps(serve(work)))
        return
    result = build(work, args.n, args.queries)
    print(json.dumps(result), flush=True)
    run = subprocess.run([sys.executable, __file__, "--serve", "--work", str(work)], capture_output=True, text=True)
    if run.returncode:
        raise SystemExit(run.stderr)
    result |= json.loads(run.stdout.strip().splitlines()[-1])
    result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(result, indent=1))
    data = json.loads(RESULTS.read_text("utf-8")) if RESULTS.exists() else {}
    data[str(args.n)] = result
    RESULTS.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
