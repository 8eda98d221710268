"""The articles of bench/search.py and the three processes that build a scale store from them.

See bench/search.py for what is built and measured; ``base_pool`` is cached in
``bench/.cache/scale-pool.pkl`` so that the build processes share one load.
"""

from __future__ import annotations

import json
import random
import resource
import sqlite3
import sys
import time
from pathlib import Path

import numpy as np

from devdata import CACHE
from khabar.enrich.embeddings import CachedEmbedder, E5Embedder
from khabar.model import Article
from khabar.search.vectors import VectorIndex, signature
from khabar.storage import open_store

BATCH = 5000  # articles per transaction while building
PARTS = ("store", "plain", "vectors")


def base_pool() -> tuple[list[Article], np.ndarray, list]:
    """Real articles with cached e5 vectors (imported through the related bench's loaders), and their
    signatures; kept in ``bench/.cache/scale-pool.pkl`` so that the build's processes share one load."""
    import pickle
    import tempfile

    cached = CACHE / "scale-pool.pkl"
    if cached.exists():
        return pickle.loads(cached.read_bytes())
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
    pool = (out, np.vstack(vecs), [signature(a.title, a.body) for a in out])
    cached.write_bytes(pickle.dumps(pool))
    return pool


def picks(n: int, pool_size: int) -> list[int]:
    """The base article of each of the N articles: every real article once, then random re-issues."""
    rng = random.Random(7)
    return [i if i < pool_size else rng.randrange(pool_size) for i in range(n)]


def perturb(a: Article, i: int) -> Article:
    """A light re-issue (the same for the same ``i``): new url, one word fewer in title and lead, another date."""
    rng = random.Random(i)

    def drop(text: str) -> str:
        words = text.split()
        if len(words) > 4:
            del words[rng.randrange(len(words))]
        return " ".join(words)

    paragraphs = [drop(a.paragraphs[0]), *a.paragraphs[1:]] if a.paragraphs else []
    when = a.published_at + __import__("datetime").timedelta(days=rng.randint(-30, 30)) if a.published_at else None
    return Article(url=f"{a.url}#r{i}", title=drop(a.title), paragraphs=paragraphs, lead=paragraphs[0] if paragraphs
                   else "", published_at=when, source=a.source, section=a.section, language="ar")


def build_part(part: str, work: Path, n: int) -> None:
    """One of :data:`PARTS`; writes its wall and CPU seconds to ``part-<name>.json``."""
    pool, pool_vecs, sigs = base_pool()
    base = picks(n, len(pool))
    t0, cpu0 = time.perf_counter(), _cpu()
    extra = {"store": _build_store, "plain": _build_plain, "vectors": _build_vectors}[part](work, pool, pool_vecs,
                                                                                         sigs, base)
    times = {"s": round(time.perf_counter() - t0, 1), "cpu_s": round(_cpu() - cpu0, 1), **extra}
    (work / f"part-{part}.json").write_text(json.dumps(times), "utf-8")


def _batches(pool: list[Article], base: list[int]):
    for start in range(0, len(base), BATCH):
        yield start, [perturb(pool[b], i) for i, b in enumerate(base[start : start + BATCH], start)]


def _build_store(work: Path, pool, pool_vecs, sigs, base) -> dict:
    """Khabar's store through its ordinary insert path (Store.add_articles), bulk pragmas, FTS5 optimize."""
    analysis_ms = _memoize_analysis(pool)
    store = open_store(str(work / "khabar.db"))
    _bulk_pragmas(store._conn)
    t0 = time.perf_counter()
    for start, arts in _batches(pool, base):
        store.add_articles(arts)
        if (start + BATCH) % 50_000 == 0:
            print(f"store: {start + BATCH} articles, {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    t1 = time.perf_counter()
    _optimize(store._conn, "articles_fts")
    assert store.get_article(f"{pool[0].url}#r0").id == 1  # ids follow insertion order in a fresh store
    link_copies(store, base, len(pool))
    store.close()
    return {"optimize_s": round(time.perf_counter() - t1, 1), "analysis_cpu_ms_per_article_unmemoized": analysis_ms}


def link_copies(store, base: list[int], pool_size: int) -> None:
    """Store each re-issue as a copy of its base article, as an import's copy detector would
    (it flags 299 of 300 sampled re-issues: a word fewer in title and lead is still the same text)."""
    store.set_copy_of([(i + 1, b + 1) for i, b in enumerate(base) if i >= pool_size])


def _build_plain(work: Path, pool, pool_vecs, sigs, base) -> dict:
    """The baseline: a plain FTS5 table (default tokenizer) over the raw title and body."""
    plain = sqlite3.connect(str(work / "plain.db"))
    plain.execute("CREATE VIRTUAL TABLE t USING fts5(title, body)")
    _bulk_pragmas(plain)
    for start, arts in _batches(pool, base):
        with plain:
            plain.executemany("INSERT INTO t (rowid, title, body) VALUES (?, ?, ?)",
                              [(start + k + 1, a.title, a.body) for k, a in enumerate(arts)])
    _optimize(plain, "t")
    plain.close()
    return {}


def _build_vectors(work: Path, pool, pool_vecs, sigs, base) -> dict:
    """Each article's vector is its base article's plus small noise (renormalized)."""
    noise = np.random.default_rng(7)
    index = VectorIndex(work / "khabar.db.vectors", "e5-small-q4", 384)
    for start in range(0, len(base), 100_000):
        chunk = np.array(base[start : start + 100_000])
        v = pool_vecs[chunk] + noise.normal(0, 0.01, (len(chunk), pool_vecs.shape[1])).astype(np.float32)
        index.add(np.arange(start + 1, start + 1 + len(chunk)), v / np.linalg.norm(v, axis=1, keepdims=True),
                  [sigs[k] for k in chunk])
    index.save()
    return {}


def _optimize(conn: sqlite3.Connection, table: str) -> None:
    """Merge the FTS5 index into one segment (as a served index would be after maintenance)."""
    with conn:
        conn.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _memoize_analysis(pool: list[Article]) -> float:
    """Analyse each base paragraph once: the N articles are re-issues of the same 2,000.

    Exact, because analysis never crosses a paragraph break (asserted on every base body).
    Returns what a real import pays per article for it (CPU ms, unmemoized, on the base articles)."""
    import khabar.arabic.terms as terms_module
    import khabar.model as model_module

    plain = terms_module.search_tokens
    plain.cache_clear()
    cpu0 = _cpu()
    for a in pool:  # as an import does: the content hash then reuses the body's cached tokens
        terms_module.search_terms(a.title), terms_module.search_terms(a.body)
    per_article_ms = round((_cpu() - cpu0) * 1000 / len(pool), 3)
    memo = {p: plain.__wrapped__(p) for a in pool for p in a.paragraphs}

    def by_paragraph(text: str) -> tuple[str, ...]:
        parts = text.split("\n\n")
        return tuple(w for p in parts for w in (memo.get(p) or plain.__wrapped__(p)))

    assert all(by_paragraph(a.body) == plain.__wrapped__(a.body) for a in pool)
    terms_module.search_tokens = model_module.search_tokens = by_paragraph
    return per_article_ms


def _bulk_pragmas(conn: sqlite3.Connection) -> None:
    """No fsync, a large page cache and in-memory temp tables while bulk loading (not used when serving)."""
    for pragma in ("synchronous=OFF", "cache_size=-1000000", "temp_store=MEMORY"):
        conn.execute(f"PRAGMA {pragma}")


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
