"""Benchmark Khabar's light stemmer against Snowball and Tashaphyne.

Run: ``.venv/bin/python bench/stemmer.py`` (from the project root).

1. Conflation on ``bench/data/stem_gold.tsv`` (raw spellings, normalized here
   with ``normalize_search``): pairwise precision/recall/F1 over all word pairs,
   a pair being predicted-same when the stems are equal and true-same when the
   classes are equal. Throughput is measured uncached on distinct corpus tokens.
2. Retrieval: 2,000 ANT articles (seeded sample), query = title, target = its
   own body among all 2,000 bodies, BM25 (k1=1.2, b=0.75), MRR@10.

Writes ``bench/results/stemmer.json``. SaudiNewsNet is read only to check
that gold words are attested; nothing from it is written.
"""

from __future__ import annotations

import gzip
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
import scipy.sparse as sp
import snowballstemmer
from tashaphyne.stemming import ArabicLightStemmer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from khabar.arabic.normalize import normalize_search  # noqa: E402
from khabar.arabic.stemmer import stem as khabar_stem  # noqa: E402
from khabar.arabic.tokenize import tokenize  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
ANT = DATA / "ant_multisource" / "train.jsonl.gz"
SNN = DATA / "saudinewsnet" / "saudinewsnet.jsonl.gz"
GOLD = ROOT / "bench" / "data" / "stem_gold.tsv"
OUT = ROOT / "bench" / "results" / "stemmer.json"
N_DOCS, SEED = 2000, 13
_AR_WORD = re.compile("[\u0621-\u064a]+")


def _tashaphyne(kind: str) -> Callable[[str], str]:
    st = ArabicLightStemmer()

    def run(word: str) -> str:
        st.light_stem(word)
        return (st.get_stem() if kind == "stem" else st.get_root()) or word

    return run


_SNOWBALL = snowballstemmer.stemmer("arabic")
STEMMERS: dict[str, Callable[[str], str]] = {
    "identity (normalized)": lambda w: w,
    "snowball arabic": _SNOWBALL.stemWord,
    "tashaphyne get_stem": _tashaphyne("stem"),
    "tashaphyne get_root": _tashaphyne("root"),
    "khabar": khabar_stem.__wrapped__,  # uncached, for a fair speed figure
}


def load_gold() -> list[tuple[str, str]]:
    """(normalized word, class) rows of the gold list."""
    rows = []
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, cls = line.split("\t")
            rows.append((normalize_search(word), cls))
    return rows


def attested(words: set[str]) -> set[str]:
    """Gold words that occur as tokens in ANT or SaudiNewsNet."""
    found: set[str] = set()
    for path, fields in ((ANT, ("title", "abstract", "text")), (SNN, ("title", "content"))):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                text = " ".join(row.get(f) or "" for f in fields)
                found.update(words.intersection(_AR_WORD.findall(normalize_search(text))))
        if found == words:
            break
    return found


def _pairs(counter: Counter) -> int:
    return sum(n * (n - 1) // 2 for n in counter.values())


def conflation(rows: list[tuple[str, str]], fn: Callable[[str], str]) -> dict[str, float]:
    """Pairwise precision, recall and F1 of the stems against the gold classes."""
    stems = [fn(w) for w, _ in rows]
    tp = _pairs(Counter(zip(stems, [c for _, c in rows], strict=True)))
    pred, true = _pairs(Counter(stems)), _pairs(Counter(c for _, c in rows))
    p, r = tp / pred if pred else 1.0, tp / true if true else 1.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def throughput(fn: Callable[[str], str], tokens: list[str]) -> float:
    """Tokens per second over distinct tokens (no cache hits)."""
    t0 = time.perf_counter()
    for t in tokens:
        fn(t)
    return len(tokens) / (time.perf_counter() - t0)


def sample_articles() -> list[tuple[str, str]]:
    """Seeded sample of (title, body) pairs with both non-empty."""
    with gzip.open(ANT, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    rows = [(r["title"], r["text"]) for r in rows if r.get("title") and r.get("text")]
    return random.Random(SEED).sample(rows, N_DOCS)


def bm25_mrr(queries: list[list[str]], docs: list[list[str]], k1=1.2, b=0.75) -> float:
    """MRR@10 of each query's own document under BM25 (query i targets doc i)."""
    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for i, doc in enumerate(docs):
        for term, tf in Counter(doc).items():
            rows.append(i)
            cols.append(vocab.setdefault(term, len(vocab)))
            vals.append(tf)
    tf = sp.csr_matrix((vals, (rows, cols)), shape=(len(docs), len(vocab)), dtype=np.float64)
    dl = np.asarray(tf.sum(axis=1)).ravel()
    df = np.bincount(tf.indices, minlength=len(vocab))
    idf = np.log(1 + (len(docs) - df + 0.5) / (df + 0.5))
    tf = tf.tocoo()
    norm = k1 * (1 - b + b * dl[tf.row] / dl.mean())
    w = sp.csr_matrix((tf.data * (k1 + 1) / (tf.data + norm) * idf[tf.col], (tf.row, tf.col)))
    q = sp.lil_matrix((len(queries), len(vocab)))
    for i, query in enumerate(queries):
        for term in set(query):
            if term in vocab:
                q[i, vocab[term]] = 1.0
    scores = (q.tocsr() @ w.T).toarray()
    own = scores[np.arange(len(docs)), np.arange(len(docs))]
    rank = 1 + (scores > own[:, None]).sum(axis=1)  # ties count in our favour
    return float(np.where((rank <= 10) & (own > 0), 1.0 / rank, 0.0).mean())


def retrieval(articles: list[tuple[str, str]]) -> dict[str, float]:
    """MRR@10 for raw tokens, normalized tokens and each stemmer on top."""
    raw_q = [tokenize(t) for t, _ in articles]
    raw_d = [tokenize(x) for _, x in articles]
    norm_q = [[normalize_search(t) for t in q] for q in raw_q]
    norm_d = [[normalize_search(t) for t in d] for d in raw_d]
    out = {"raw tokens": bm25_mrr(raw_q, raw_d), "normalized": bm25_mrr(norm_q, norm_d)}
    vocab = {t for d in norm_d + norm_q for t in d}
    for name, fn in STEMMERS.items():
        if name.startswith("identity"):
            continue
        table = {t: fn(t) for t in vocab}
        out[f"normalized + {name}"] = bm25_mrr(
            [[table[t] for t in q] for q in norm_q], [[table[t] for t in d] for d in norm_d]
        )
    return out


def conflation_table(gold: list[tuple[str, str]], articles) -> tuple[dict, float]:
    """Print and return gold-list scores and speeds; also the cached khabar speed."""
    tokens = sorted({normalize_search(t) for _, x in articles for t in tokenize(x)})[:50_000]
    table = {}
    print("\n| stemmer | precision | recall | F1 | tokens/s |\n|---|---|---|---|---|")
    for name, fn in STEMMERS.items():
        khabar_stem("warm")  # load the lexicon before timing
        res = conflation(gold, fn) | {"tokens_per_s": throughput(fn, tokens)}
        table[name] = res
        print(f"| {name} | {res['precision']:.3f} | {res['recall']:.3f} | {res['f1']:.3f} ", end="")
        print(f"| {res['tokens_per_s']:,.0f} |")
    khabar_stem.cache_clear()
    for t in tokens:
        khabar_stem(t)
    cached = throughput(khabar_stem, tokens)
    print(f"\nkhabar cached path: {cached:,.0f} tokens/s")
    return table, cached


def main() -> None:
    """Run both experiments, print markdown tables, write the JSON results."""
    t0 = time.time()
    gold = load_gold()
    words = {w for w, _ in gold}
    seen = attested(words)
    print(
        f"gold: {len(gold)} words, {len(set(c for _, c in gold))} classes, "
        f"{len(seen)}/{len(words)} attested in ANT or SaudiNewsNet"
    )
    articles = sample_articles()
    table, cached = conflation_table(gold, articles)
    mrr = retrieval(articles)
    print(f"\nRetrieval, {N_DOCS} ANT articles (seed {SEED}), title -> own body, BM25 k1=1.2 b=0.75")
    print("\n| terms | MRR@10 |\n|---|---|")
    for name, value in mrr.items():
        print(f"| {name} | {value:.4f} |")
    result = {
        "gold_words": len(gold),
        "gold_attested": len(seen),
        "conflation": table,
        "khabar_cached_tokens_per_s": cached,
        "retrieval_mrr10": mrr,
        "n_docs": N_DOCS,
        "seed": SEED,
        "seconds": round(time.time() - t0, 1),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {OUT.relative_to(ROOT)} in {result['seconds']} s")


if __name__ == "__main__":
    main()
