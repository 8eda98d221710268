"""Train and evaluate the section classifier on the ANT corpora.

Split (fixed): articles are grouped by the hash of their folded body, so an
identical text filed under two categories never sits on both sides; a group is
in the test part when ``blake2b(key) % 5 == 0`` (~20%). Only the multi-source
corpus is tested; JawharaFM articles whose category maps to a section may be
added to the training part. The model is TF-IDF (sublinear, over
:func:`article_terms`) plus one unnormalized indicator column per outlet (its
weights are a per-outlet bias) + a linear SVM, then a second stage: a logistic
regression over the SVM's out-of-fold scores, the outlet and outlet x score,
folded into one (classes x classes) matrix per outlet; all exported as plain
numpy arrays. Features and hyperparameters are chosen on a validation part of
the training side (:func:`is_validation`, ``bench/sections.py --validate``),
never on the test part.
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
STACK_FOLDS = 5  # out-of-fold first-stage scores for the second stage
STACK_C = 1.0  # second-stage (logistic regression) regularization, chosen on the validation part


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


def _digest(article: Article) -> bytes:
    key = " ".join(fold(article.body).split()).encode("utf-8")
    return hashlib.blake2b(key, digest_size=8).digest()


def is_test(article: Article) -> bool:
    """Deterministic ~20% test membership by the folded body, so copies stay together."""
    return _digest(article)[0] % 5 == 0


def is_validation(article: Article) -> bool:
    """~20% of the training side (another byte of the same hash), where features and
    hyperparameters are chosen; the test part is only ever scored."""
    return _digest(article)[1] % 5 == 0


def split(path: Path) -> tuple[list[Article], list[Article]]:
    """(train, test) articles of the multi-source corpus."""
    train: list[Article] = []
    test: list[Article] = []
    for article in read_ant(path):
        (test if is_test(article) else train).append(article)
    return train, test


def validation_split(train: list[Article]) -> tuple[list[Article], list[Article]]:
    """(fit, validation) parts of the training side."""
    return [a for a in train if not is_validation(a)], [a for a in train if is_validation(a)]


def outlet_columns(articles: list[Article], outlets: list[str]):
    """One indicator column per known outlet (a sparse matrix), appended after the TF-IDF block."""
    import scipy.sparse as sp

    index = {name: i for i, name in enumerate(outlets)}
    rows = [(r, index[a.source]) for r, a in enumerate(articles) if a.source in index]
    data = np.ones(len(rows), dtype=np.float32)
    return sp.csr_matrix((data, ([r for r, _ in rows], [c for _, c in rows])), shape=(len(articles), len(outlets)))


def _with_plain_terms(vocabulary: dict[str, int], outlets: list[str]) -> list[str]:
    """The vocabulary without the few "outlet|term" entries whose plain term fell below the cut."""
    known = set(outlets)

    def orphan(term: str) -> bool:
        outlet, bar, plain = term.rpartition("|")
        return bool(bar) and outlet in known and plain not in vocabulary

    return sorted(t for t in vocabulary if not orphan(t))


def _features(articles: list[Article], max_features: int):
    """(TF-IDF rows + outlet columns, fitted vectorizer, outlets)."""
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = [article_terms(a) for a in articles]
    outlets = sorted({a.source for a in articles if a.source})
    vec = TfidfVectorizer(analyzer=lambda terms: terms, sublinear_tf=True, min_df=2,
                          max_features=max_features, dtype=np.float32).fit(docs)
    # refit on a vocabulary where every "outlet|term" has its plain term (inference reaches it that way)
    vec = TfidfVectorizer(analyzer=lambda terms: terms, sublinear_tf=True, dtype=np.float32,
                          vocabulary=_with_plain_terms(vec.vocabulary_, outlets))
    x = vec.fit_transform(docs)
    return sp.hstack([x, outlet_columns(articles, outlets)]).tocsr(), vec, outlets


def fit(articles: list[Article], c: float = C, max_features: int = MAX_FEATURES) -> dict[str, np.ndarray]:
    """TF-IDF + outlet columns + LinearSVC, then the per-outlet second stage, returned as
    the arrays :mod:`sections` applies."""
    from sklearn.svm import LinearSVC

    x, vec, outlets = _features(articles, max_features)
    y = np.array([a.section for a in articles])
    clf = LinearSVC(C=c, random_state=0).fit(x, y)
    n = len(vec.vocabulary_)
    vocab = sorted(vec.vocabulary_, key=vec.vocabulary_.get)
    rows = outlet_rows(articles, outlets)
    weights, bias = fit_stack(out_of_fold(x, y, articles, c), rows, y, len(outlets), list(clf.classes_))
    return {
        "vocab": np.array("\n".join(vocab)),
        "idf": vec.idf_.astype(np.float32),
        "coef": clf.coef_[:, :n].astype(np.float16),  # halves the file; scores move by <1e-3
        "intercept": clf.intercept_.astype(np.float32),
        "classes": np.array(list(clf.classes_)),
        "outlets": np.array(outlets),
        "outlet_bias": clf.coef_[:, n:].T.astype(np.float32),
        "stack_weights": weights,
        "stack_bias": bias,
    }


def outlet_rows(articles: list[Article], outlets: list[str]) -> np.ndarray:
    """Each article's outlet index; ``len(outlets)`` (the shared default row) for any other outlet."""
    index = {name: i for i, name in enumerate(outlets)}
    return np.array([index.get(a.source, len(outlets)) for a in articles], dtype=np.int64)


def out_of_fold(x, y: np.ndarray, articles: list[Article], c: float) -> np.ndarray:
    """Decision values of every training row from an SVM fitted without its fold (folds by
    another byte of the body hash, so identical texts share a fold): the second stage learns
    from scores like those of unseen articles, not from the first stage's fit to its own data."""
    from sklearn.svm import LinearSVC

    folds = np.array([_digest(a)[2] % STACK_FOLDS for a in articles])
    out = np.zeros((len(articles), len(np.unique(y))), dtype=np.float32)
    for k in range(STACK_FOLDS):
        held = folds == k
        out[held] = LinearSVC(C=c, random_state=0).fit(x[~held], y[~held]).decision_function(x[held])
    return out


def stack_inputs(scores: np.ndarray, rows: np.ndarray, n_outlets: int) -> np.ndarray:
    """Second-stage input: [scores, outlet one-hot, outlet one-hot x scores] (zeros for the default row)."""
    onehot = np.zeros((len(rows), n_outlets + 1), dtype=np.float32)
    onehot[np.arange(len(rows)), rows] = 1.0
    onehot = onehot[:, :n_outlets]
    crossed = (onehot[:, :, None] * scores[:, None, :]).reshape(len(rows), -1)
    return np.hstack([scores, onehot, crossed])


def fit_stack(scores: np.ndarray, rows: np.ndarray, y: np.ndarray, n_outlets: int,
              classes: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Logistic regression over :func:`stack_inputs`, folded into one (classes x classes) matrix
    and one bias per outlet, plus a last default row: ``M[o] @ scores + b[o]``."""
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=STACK_C, max_iter=5000).fit(stack_inputs(scores, rows, n_outlets), y)
    assert list(lr.classes_) == classes
    k = len(classes)
    w_scores, w_outlet = lr.coef_[:, :k], lr.coef_[:, k : k + n_outlets]
    w_crossed = lr.coef_[:, k + n_outlets :].reshape(k, n_outlets, k)
    weights = np.stack([w_scores + w_crossed[:, o, :] for o in range(n_outlets)] + [w_scores])
    bias = np.stack([lr.intercept_ + w_outlet[:, o] for o in range(n_outlets)] + [lr.intercept_])
    return weights.astype(np.float32), bias.astype(np.float32)


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


def by_article(test: list[Article], pred: list[str]) -> dict[str, float | int]:
    """Accuracy over distinct articles (one URL): the corpus files 10% of its rows twice, the same
    text under two sections, and Khabar stores such a URL once. A prediction naming either section
    is right; the per-row accuracy can never score both rows of such a pair."""
    labels: dict[str, set[str]] = {}
    guesses: dict[str, str] = {}
    for article, guess in zip(test, pred, strict=True):
        labels.setdefault(article.url, set()).add(article.section)
        guesses.setdefault(article.url, guess)
    right = sum(guesses[url] in sections for url, sections in labels.items())
    return {"articles": len(labels), "filed_twice": sum(len(v) > 1 for v in labels.values()),
            "accuracy": right / len(labels)}


def validate(data: Path, out: Path) -> dict:
    """Fit on the training side minus its validation part and score that part (model and baseline)."""
    from khabar.enrich import sections

    fit_part, val = validation_split(split(data)[0])
    np.savez_compressed(out, **fit(fit_part))
    gold = [a.section for a in val]
    return {"split": "validation: blake2b(folded body) byte 1 % 5 == 0 of the training side",
            "train": len(fit_part), "validation": len(val),
            "khabar": scores(gold, sections.SectionModel.load(out).predict(val)),
            "baseline_tfidf_linearsvc": scores(gold, baseline(fit_part, val))}


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
    base = baseline(train, test)
    report["baseline_tfidf_linearsvc"] = scores(gold, base)
    report["by_article"] = {"khabar": by_article(test, pred), "baseline_tfidf_linearsvc": by_article(test, base)}
    report["model_bytes"] = out.stat().st_size
    return report
