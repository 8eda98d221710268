"""Story clustering on the dev gold set: Khabar vs the char n-gram baseline, same run.

Run: ``OMP_NUM_THREADS=2 .venv/bin/python bench/stories.py [--no-emb]`` (from the project root).

* **baseline**: TF-IDF cosine on char_wb 3–5-grams (sublinear tf, IDF fitted on
  all 31,030 SaudiNewsNet articles) of normalized title + first 300 characters;
  connected components at each threshold 0.20–0.70; best threshold reported.
* **khabar**: :class:`khabar.enrich.stories.StoryClusterer` over the 502 gold
  articles in crawl order, IDF warmed with all 1,343 articles of the day; the
  pair scorer (logistic regression over the :data:`FEATURES`) and the threshold
  are learned, with and without e5 embeddings (title + lead, cached in
  ``bench/.cache``), with and without the periodic merge/split pass
  (``+refine``); for comparison, the features before the title-cover pair
  ("old-features") and average link ("mean-link"). ``--only NAME…`` runs some.

Honest numbers: 5-fold cross-validation over *clusters* (params learned on
4/5 of the clusters; all 502 articles clustered; only the held-out fifth is
scored) next to in-sample numbers (fitted and scored on all of dev). A pair
whose ends lie in two different folds is scored in both folds' clusterings at
weight 1/2 each (every pair counts once; see ``held_out_counts``); the older
convention, such pairs counted twice, is printed below each CV row. ``by_fold_seed``: the text
variant and the baseline under other splits of the clusters into folds (``--fold-seeds``), and
their means: the spread says how large a change must be to count. For the
"text" variant, the CV pairwise errors are listed by gold cluster with the F1
that fixing each would add (``cv_errors`` in the JSON).
Writes ``bench/results/stories.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import NamedTuple

os.environ.setdefault("OMP_NUM_THREADS", "2")
import numpy as np  # noqa: E402
from scipy.sparse.csgraph import connected_components  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench")]

from collections import Counter  # noqa: E402

from clustering_metrics import from_counts, held_out_counts, pair_errors, scores  # noqa: E402
from devdata import CACHE, SNN, DevArticle, load_day, read_jsonl  # noqa: E402
from khabar.arabic import normalize_search, tokenize  # noqa: E402
from khabar.enrich.embeddings import CachedEmbedder, E5Embedder, embedding_text  # noqa: E402
from khabar.enrich.stories import Item, PairScorer, StoryClusterer  # noqa: E402
from khabar.enrich.vectorize import Vectorizer  # noqa: E402

THRESHOLDS = [round(0.2 + 0.05 * i, 2) for i in range(11)]
P_THRESHOLDS = [0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]


def _objective(s: dict) -> float:
    return (s["bcubed"]["f1"] + s["pairwise"]["f1"]) / 2


def _restrict(labels: dict[str, object], keep: set[str]) -> dict[str, object]:
    return {k: v for k, v in labels.items() if k in keep}


# -- baseline --------------------------------------------------------------------------
def _base_text(title: str, body: str) -> str:
    return " ".join(tokenize(normalize_search(f"{title} {body[:300]}")))


def _cc_train(sims: np.ndarray, t: float, urls: list[str], train: list[int]) -> dict[str, int]:
    """Components of the training articles alone (held-out articles cannot bridge them)."""
    return components(sims[np.ix_(train, train)], t, [urls[i] for i in train])


def baseline_sims(gold: list[DevArticle]) -> np.ndarray:
    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=1)
    vec.fit(_base_text(r["title"] or "", r["content"] or "") for r in read_jsonl(SNN))
    x = vec.transform([_base_text(a.title, a.body) for a in gold])
    return (x @ x.T).toarray()


def components(sims: np.ndarray, t: float, urls: list[str]) -> dict[str, int]:
    _, lab = connected_components(sims >= t, directed=False)
    return dict(zip(urls, lab.tolist(), strict=True))


# -- khabar ----------------------------------------------------------------------------
def make_items(day: list[DevArticle], gold: list[DevArticle], emb: np.ndarray | None):
    """Items of the gold articles (ids = positions in ``gold``) and an IDF-warmed vectorizer."""
    vectorizer = Vectorizer()
    for a in day:
        vectorizer.observe(vectorizer.counts(a.title, a.body))
    items = [Item(i, a.title, a.body, a.source, a.time.timestamp(), None if emb is None else emb[i])
             for i, a in enumerate(gold)]
    return items, vectorizer


FEATURES = ("cos", "emb", "same_outlet", "title", "cover_max", "cover_min")  # PairScorer fields, in column order


def pair_features(items: list[Item], vectorizer: Vectorizer, idx: list[int]) -> tuple[np.ndarray, list]:
    """Pair feature rows (columns as :data:`FEATURES`), computed by the clusterer's own code."""
    sc = StoryClusterer(vectorizer=vectorizer)
    for i in idx:
        sc.add(items[i], observe=False)
    feats, pairs = [], []
    for x, i in enumerate(idx):
        for j in idx[x + 1 :]:
            e = float(items[i].embedding @ items[j].embedding) if items[i].embedding is not None else 0.0
            feats.append((sc.vecs[i].dot(sc.vecs[j]), e, float(items[i].outlet == items[j].outlet),
                          sc.title_cos(i, j), *sc.cover(i, j)))
            pairs.append((i, j))
    return np.array(feats), pairs


def fit_scorer(items, vectorizer, idx, labels, use_emb: bool, features: tuple[str, ...]) -> PairScorer:
    x, pairs = pair_features(items, vectorizer, idx)
    y = np.array([labels[i] == labels[j] for i, j in pairs])
    names = [f for f in features if f != "emb" or use_emb]
    cols = [FEATURES.index(f) for f in names]
    # Standardize so that regularization treats the narrow-ranged e5 cosine fairly; map back to raw units.
    mu, sd = x[:, cols].mean(axis=0), x[:, cols].std(axis=0) + 1e-9
    lr = LogisticRegression(C=1.0, max_iter=2000).fit((x[:, cols] - mu) / sd, y)
    raw = lr.coef_[0] / sd
    weights = {"emb": 0.0, **dict(zip(names, raw.tolist(), strict=True))}
    return PairScorer(bias=float(lr.intercept_[0] - raw @ mu), **weights)


class Variant(NamedTuple):
    """One Khabar configuration scored by the bench."""

    name: str
    use_emb: bool = False
    refine: bool = False
    link: str = "max"
    features: tuple[str, ...] = ("cos", "emb", "same_outlet", "title", "cover_max", "cover_min")


def cluster(items, vectorizer, idx, scorer, threshold, v: Variant) -> dict[int, int]:
    sc = StoryClusterer(scorer, threshold, vectorizer, link=v.link)
    for i in sorted(idx, key=lambda k: (items[k].time, k)):
        sc.add(items[i], observe=False)
    if v.refine:
        sc.refine()
    return sc.labels()


def tune(items, vectorizer, idx, labels, v: Variant) -> tuple[PairScorer, float]:
    """Pair scorer and threshold learned on the articles ``idx`` alone."""
    scorer = fit_scorer(items, vectorizer, idx, labels, v.use_emb, v.features)
    gold = {i: labels[i] for i in idx}
    best = max(P_THRESHOLDS, key=lambda t: _objective(scores(cluster(items, vectorizer, idx, scorer, t, v), gold)))
    return scorer, best


OLD = ("cos", "emb", "same_outlet", "title")  # the features before the cover pair
VARIANTS = [
    Variant("text"), Variant("text old-features", features=OLD), Variant("text+refine", refine=True),
    Variant("text+emb", use_emb=True), Variant("text+emb+refine", use_emb=True, refine=True),
    Variant("text mean-link", link="mean"), Variant("text+emb old-features", use_emb=True, features=OLD),
]


def folds(labels: list[str], k: int = 5, seed: int = 0) -> list[set[int]]:
    """k groups of article positions, whole gold clusters kept together."""
    clusters = sorted(set(labels))
    random.Random(seed).shuffle(clusters)
    fold_of = {c: n % k for n, c in enumerate(clusters)}
    return [{i for i, c in enumerate(labels) if fold_of[c] == f} for f in range(k)]


def run_khabar(items, vectorizer, labels, v: Variant, seed: int = 0) -> dict:
    everything = list(range(len(items)))
    gold = dict(enumerate(labels))
    cv_scores, pooled, runs = [], Counter(), []
    for test in folds(labels, seed=seed):
        train = [i for i in everything if i not in test]
        scorer, t = tune(items, vectorizer, train, labels, v)
        runs.append((cluster(items, vectorizer, everything, scorer, t, v), test))
        counts = held_out_counts(runs[-1][0], gold, test)
        cv_scores.append({"threshold": t, **from_counts(counts)})
        pooled.update(counts)
    scorer, t = tune(items, vectorizer, everything, labels, v)
    t0 = time.perf_counter()
    full = cluster(items, vectorizer, everything, scorer, t, v)
    ms = (time.perf_counter() - t0) / len(items) * 1000
    return {
        "cv_pooled": from_counts(pooled),
        "cv_folds": cv_scores,
        "cv_errors": pair_errors(runs, gold),
        "in_sample": {"threshold": t, "scorer": scorer.__dict__, "ms_per_article": ms, **scores(full, gold)},
    }


def run_baseline(gold: list[DevArticle], seed: int = 0) -> dict:
    sims = baseline_sims(gold)
    urls = [a.url for a in gold]
    labels = {a.url: a.cluster for a in gold}
    sweep = {t: scores(components(sims, t, urls), labels) for t in THRESHOLDS}
    best_t = max(sweep, key=lambda t: sweep[t]["pairwise"]["f1"])
    pooled = Counter()
    for test in folds([a.cluster for a in gold], seed=seed):
        train = [i for i in range(len(urls)) if i not in test]
        gold_train = {urls[i]: labels[urls[i]] for i in train}
        t = max(THRESHOLDS, key=lambda t: _objective(scores(_cc_train(sims, t, urls, train), gold_train)))
        pooled.update(held_out_counts(components(sims, t, urls), labels, {urls[i] for i in test}))
    return {"best_threshold": best_t, "best": sweep[best_t], "cv_pooled": from_counts(pooled),
            "sweep": {str(t): s for t, s in sweep.items()}}


def embeddings(gold: list[DevArticle]) -> np.ndarray:
    emb = CachedEmbedder(E5Embedder(threads=2), CACHE / "embeddings.sqlite")
    vecs = emb.passage([embedding_text(a.title, a.body) for a in gold])
    print(f"embeddings: {len(gold)} texts, {emb.computed} computed, rest cached", file=sys.stderr)
    return vecs


def _row(name: str, s: dict) -> str:
    b, p = s["bcubed"], s["pairwise"]
    return (f"{name:<34} {b['precision']:.3f} {b['recall']:.3f} {b['f1']:.3f}   "
            f"{p['precision']:.3f} {p['recall']:.3f} {p['f1']:.3f}")


def _full(s: dict) -> dict:
    return {"bcubed": s["bcubed"], "pairwise": s["pairwise_full"]}


def _print_errors(errors: dict) -> None:
    print("\nkhabar text CV, pairwise errors (pairs; pairwise F1 gained if only that were fixed):")
    for e in errors["missed"]:
        print(f"  missed  {e['cluster']:<8} (size {e['size']}) {e['pairs']:5.1f}  +{e['f1_gain']:.3f}")
    for e in errors["false"]:
        print(f"  false   {'+'.join(e['clusters']):<17} (sizes {e['sizes'][0]},{e['sizes'][1]}) "
              f"{e['pairs']:5.1f}  +{e['f1_gain']:.3f}")


def by_fold_seed(day: list[DevArticle], gold: list[DevArticle], seeds: list[int]) -> dict:
    """The "text" variant and the baseline under other random splits of the clusters into folds:
    which clusters share a fold moves pooled pairwise F1 by a few points (a big cluster is all or
    nothing), so a change is judged against this spread."""
    items, vectorizer = make_items(day, gold, None)
    labels = [a.cluster for a in gold]
    f1s = lambda s: {"bcubed_f1": round(s["bcubed"]["f1"], 4), "pairwise_f1": round(s["pairwise"]["f1"], 4)}  # noqa: E731
    runs = {str(seed): {"khabar_text": f1s(run_khabar(items, vectorizer, labels, Variant("text"), seed)["cv_pooled"]),
                        "baseline": f1s(run_baseline(gold, seed)["cv_pooled"])} for seed in seeds}
    metrics = ("bcubed_f1", "pairwise_f1")
    mean = {name: {m: round(sum(r[name][m] for r in runs.values()) / len(runs), 4) for m in metrics}
            for name in ("khabar_text", "baseline")}
    return {"seeds": runs, "mean": mean}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-emb", action="store_true", help="skip the embedding runs")
    ap.add_argument("--only", nargs="*", help="variant names to run (default: all)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "stories.json"))
    ap.add_argument("--fold-seeds", type=int, nargs="*", default=[0, 1, 2, 3],
                    help="also score the text variant and the baseline with these fold splits (none: skip)")
    args = ap.parse_args()
    day = load_day()
    gold = [a for a in day if a.cluster]
    labels = [a.cluster for a in gold]
    results: dict = {"articles": len(gold), "day_articles": len(day), "baseline": run_baseline(gold)}
    emb = None if args.no_emb else embeddings(gold)
    variants = [v for v in VARIANTS if (emb is not None or not v.use_emb) and (not args.only or v.name in args.only)]
    for v in variants:
        items, vectorizer = make_items(day, gold, emb if v.use_emb else None)
        results[f"khabar_{v.name}"] = run_khabar(items, vectorizer, labels, v)
    print(f"{'':<34} BCubed P     R     F1      pairwise P  R     F1")
    bl = results["baseline"]
    print(_row(f"baseline best (t={bl['best_threshold']}, in-sample)", bl["best"]))
    print(_row("baseline CV (t per fold)", bl["cv_pooled"]))
    print(_row("  cross-fold pairs counted twice", _full(bl["cv_pooled"])))
    for name, *_ in variants:
        r = results[f"khabar_{name}"]
        print(_row(f"khabar {name} CV", r["cv_pooled"]))
        print(_row("  cross-fold pairs counted twice", _full(r["cv_pooled"])))
        print(_row(f"khabar {name} in-sample (t={r['in_sample']['threshold']})", r["in_sample"]))
    if "khabar_text" in results:
        _print_errors(results["khabar_text"]["cv_errors"])
    if args.fold_seeds:
        results["by_fold_seed"] = by_fold_seed(day, gold, args.fold_seeds)
        print("\nby fold seed (BCubed F1, pairwise F1):", json.dumps(results["by_fold_seed"]))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
