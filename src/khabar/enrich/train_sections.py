"""Train and evaluate the section classifier on the ANT corpora.

Split (fixed): articles are grouped by the hash of their folded body, so an
identical text filed under two categories never sits on both sides; a group is
in the test part when ``blake2b(key) % 5 == 0`` (~20%). Only the multi-source
corpus is tested; JawharaFM articles whose category maps to a section may be
added to the training part. The model is TF-IDF (sublinear, over
:func:`article_terms`) plus one unnormalized indicator column per outlet (its
weights are a per-outlet bias) + a linear SVM, exported as plain numpy arrays.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from khabar.enrich.section_features import article_terms, fold
from khabar.ingest.records import ANT_SECTIONS, BadRecord, ant_article
from khabar.model import Article

C = 1.0  # LinearSVC regularization, chosen on a validation part of the training side
MAX_FEATURES = 300_000  # most frequent terms kept; bounds the shipped file size


def read_ant(path: Path) -> Iterator[Article]:
    """Articles of an ANT JSONL(.gz) file whose category is one of the six sections."""
    with gzip.open(path, "rt", encoding="utf-8") if str(path).endswith(".gz") else open(path) as fh:
        for line in fh:
            obj = json.loads(line)
            if obj.get("cat") not in ANT_SECTIONS:
                continue
            if obj.get("time") and "T" in str(obj["time"]):
                obj.pop("time")  # JawharaFM dates are ISO 8601, not RFC 822; the date is not a feature
            try:
                yield ant_article(obj)
            except BadRecord:
                continue  # two rows have no text; nothing to learn from them


def is_test(article: Article) -> bool:
    """Deterministic ~20% test membership by the folded body, so copies stay together."""
    key = " ".join(fold(article.body).split()).encode("utf-8")
    return hashlib.blake2b(key, digest_size=8).digest()[0] % 5 == 0


def split(path: Path) -> tuple[list[Article], list[Article]]:
    """(train, test) articles of the multi-source corpus."""
    train: list[Article] = []
    test: list[Article] = []
    for article in read_ant(path):
        (test if is_test(article) else train).append(article)
    return train, test


def outlet_columns(articles: list[Article], outlets: list[str]):
    """One indicator column per known outlet (a sparse matrix), appended after the TF-IDF block."""
    import scipy.sparse as sp

    index = {name: i for i, name in enumerate(outlets)}
    rows = [(r, index[a.source]) for r, a in enumerate(articles) if a.source in index]
    data = np.ones(len(rows), dtype=np.float32)
    return sp.csr_matrix((data, ([r for r, _ in rows], [c for _, c in rows])), shape=(len(articles), len(outlets)))


def fit(articles: list[Article], c: float = C, max_features: int = MAX_FEATURES) -> dict[str, np.ndarray]:
    """TF-IDF + outlet columns + LinearSVC, returned as the arrays :mod:`sections` applies."""
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    vec = TfidfVectorizer(analyzer=lambda terms: terms, sublinear_tf=True, min_df=2,
                          max_features=max_features, dtype=np.float32)
    x = vec.fit_transform([article_terms(a) for a in articles])
    outlets = sorted({a.source for a in articles if a.source})
    x = sp.hstack([x, outlet_columns(articles, outlets)]).tocsr()
    clf = LinearSVC(C=c).fit(x, [a.section for a in articles])
    n = len(vec.vocabulary_)
    vocab = sorted(vec.vocabulary_, key=vec.vocabulary_.get)
    return {
        "vocab": np.array("\n".join(vocab)),
        "idf": vec.idf_.astype(np.float32),
        "coef": clf.coef_[:, :n].astype(np.float16),  # halves the file; scores move by <1e-3
        "intercept": clf.intercept_.astype(np.float32),
        "classes": np.array(list(clf.classes_)),
        "outlets": np.array(outlets),
        "outlet_bias": clf.coef_[:, n:].T.astype(np.float32),
    }


def baseline(train: list[Article], test: list[Article]) -> list[str]:
    """The reference: TF-IDF over title + body words (sklearn's default tokens) + LinearSVC."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    vec = TfidfVectorizer(sublinear_tf=True, min_df=2)
    x = vec.fit_transform([f"{a.title}\n{a.body}" for a in train])
    clf = LinearSVC().fit(x, [a.section for a in train])
    return list(clf.predict(vec.transform([f"{a.title}\n{a.body}" for a in test])))


def scores(gold: list[str], pred: list[str]) -> dict[str, float]:
    """Accuracy and macro-F1."""
    from sklearn.metrics import accuracy_score, f1_score

    return {"accuracy": float(accuracy_score(gold, pred)), "macro_f1": float(f1_score(gold, pred, average="macro"))}


def run(data: Path, extra: list[Path], out: Path) -> dict:
    """Fit on the train part (+ mapped extra corpora), report on the test part, save ``out``."""
    from khabar.enrich import sections

    train, test = split(data)
    for path in extra:
        train += list(read_ant(path))
    gold = [a.section for a in test]
    report: dict = {"split": "blake2b(folded body) % 5 == 0 -> test", "train": len(train), "test": len(test)}
    t0 = time.perf_counter()
    arrays = fit(train)
    report["train_seconds"] = round(time.perf_counter() - t0, 1)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, **arrays)
    model = sections.SectionModel.load(out)
    model.predict(test[:500])  # warm the stem cache, as a running server would be
    t0, c0 = time.perf_counter(), time.process_time()
    pred = model.predict(test)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    # CPU time is reported too: on a shared machine wall time mostly measures the neighbours
    report["khabar"] = {**scores(gold, pred), "articles_per_s": round(len(test) / wall),
                        "articles_per_cpu_s": round(len(test) / cpu)}
    report["baseline_tfidf_linearsvc"] = scores(gold, baseline(train, test))
    report["model_bytes"] = out.stat().st_size
    return report
