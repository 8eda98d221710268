"""Search quality on the gold dev day: hybrid vs lexical vs semantic vs plain FTS5, same run.

Run: ``OMP_NUM_THREADS=2 .venv/bin/python bench/search_quality.py`` (project root).

All 1,343 SaudiNewsNet articles of 2015-08-03 are imported into a fresh SQLite
store; their e5 vectors (title + lead, cached in ``bench/.cache``) go into a
:class:`VectorIndex`. Queries: for each gold event reported by two or more
outlets, the headline of its first report (crawl order). Relevant: the reports
of the *other* outlets. The query article itself and same-outlet reports of
the event are dropped from every ranking (neither right nor wrong).

* ``hybrid`` / ``lexical`` / ``semantic``: :func:`khabar.search.hybrid.hybrid_search`;
* ``fts5_plain``: SQLite FTS5 with its default ``unicode61`` tokenizer over the
  raw title and body, the headline's words OR-ed, default ``bm25()``.

Also reported: every multi-outlet report's headline as a query (``all_reports``).
Writes ``bench/results/search_quality.json``.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "2")
ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench")]

from devdata import CACHE, DEV_DAY, SNN, DevArticle, load_day, read_jsonl  # noqa: E402
from khabar.enrich.embeddings import CachedEmbedder, E5Embedder, embedding_text  # noqa: E402
from khabar.ingest.importer import import_files  # noqa: E402
from khabar.search.hybrid import hybrid_search  # noqa: E402
from khabar.search.vectors import VectorIndex  # noqa: E402
from khabar.storage import open_store  # noqa: E402

K = 10
SYSTEMS = ("hybrid", "lexical", "semantic", "fts5_plain")


def build_day_store(tmp: Path, day: list[DevArticle], passages: CachedEmbedder):
    """Import the day (SaudiNewsNet format) and index its cached title + lead vectors."""
    raw = tmp / "day.jsonl"
    with raw.open("w", encoding="utf-8") as fh:
        for r in read_jsonl(SNN):
            if r["date_extracted"].startswith(DEV_DAY):
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    store = open_store(str(tmp / "day.db"))
    import_files(store, [raw], fmt="saudinewsnet")
    ids = {a.url: store.get_article(a.url) for a in day}
    kept = [a for a in day if ids[a.url] is not None]
    vecs = passages.passage([embedding_text(a.title, a.body) for a in kept])
    index = VectorIndex(tmp / "day.db.vectors", passages.name, passages.dim)
    index.add([ids[a.url].id for a in kept], vecs)
    index.save()
    return store, index, {u: s.id for u, s in ids.items() if s is not None}


def make_queries(day: list[DevArticle], ids: dict[str, int], every: bool) -> list[dict]:
    """Headline queries of multi-outlet events: relevant = other outlets' reports."""
    clusters: dict[str, list[DevArticle]] = defaultdict(list)
    for a in day:
        if a.cluster and a.url in ids:
            clusters[a.cluster].append(a)
    queries = []
    for members in clusters.values():
        if len({m.source for m in members}) < 2:
            continue
        for q in members if every else members[:1]:
            if not q.title.strip():
                continue
            relevant = {ids[m.url] for m in members if m.source != q.source}
            ignore = {ids[m.url] for m in members if m.source == q.source}
            queries.append({"text": q.title, "relevant": relevant, "ignore": ignore})
    return queries


def plain_fts5(day: list[DevArticle], ids: dict[str, int]) -> sqlite3.Connection:
    """The baseline index: raw text, default tokenizer, no normalization or stemming."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(title, body)")
    db.executemany("INSERT INTO t (rowid, title, body) VALUES (?, ?, ?)",
                   [(ids[a.url], a.title, a.body) for a in day if a.url in ids])
    return db


def fts5_ranking(db: sqlite3.Connection, text: str, n: int) -> list[int]:
    words = list(dict.fromkeys(re.findall(r"\w+", text)))
    if not words:
        return []
    expr = " OR ".join(f'"{w}"' for w in words)
    return [r[0] for r in db.execute("SELECT rowid FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT ?", (expr, n))]


def evaluate(rankings: list[list[int]], queries: list[dict]) -> dict[str, float]:
    """MRR@10 and recall@10 after dropping the ignored ids."""
    mrr = recall = 0.0
    for ranked, q in zip(rankings, queries, strict=False):
        top = [i for i in ranked if i not in q["ignore"]][:K]
        first = next((r for r, i in enumerate(top, 1) if i in q["relevant"]), None)
        mrr += 1 / first if first else 0.0
        recall += len(q["relevant"] & set(top)) / len(q["relevant"])
    n = max(1, len(queries))
    return {"mrr@10": round(mrr / n, 4), "recall@10": round(recall / n, 4), "queries": len(queries)}


def run_systems(store, index, queries_emb, db, queries: list[dict]) -> dict[str, dict]:
    out = {}
    for system in SYSTEMS:
        t0, rankings = time.perf_counter(), []
        for q in queries:
            n = K + len(q["ignore"])
            if system == "fts5_plain":
                rankings.append(fts5_ranking(db, q["text"], n))
            else:
                hits = hybrid_search(store, index, queries_emb, q["text"], limit=n, mode=system)
                rankings.append([h.article.id for h in hits])
        out[system] = evaluate(rankings, queries) | {"seconds": round(time.perf_counter() - t0, 2)}
    return out


def main() -> None:
    day = load_day()
    passages = CachedEmbedder(E5Embedder(), CACHE / "embeddings.sqlite")  # shared with bench/stories.py
    queries_emb = CachedEmbedder(E5Embedder(), CACHE / "search_emb.sqlite")
    with tempfile.TemporaryDirectory() as tmp:
        store, index, ids = build_day_store(Path(tmp), day, passages)
        db = plain_fts5(day, ids)
        result = {"day": DEV_DAY, "articles_indexed": len(ids), "k": K}
        for name, every in (("events", False), ("all_reports", True)):
            queries = make_queries(day, ids, every)
            result[name] = run_systems(store, index, queries_emb, db, queries)
            print(name, json.dumps(result[name], indent=1), flush=True)
        store.close()
    out = ROOT / "bench" / "results" / "search_quality.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
