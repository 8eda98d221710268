"""Word clusters from unlabeled ANT news text, used as NER features.

Arabic has no capital letters, so a tagger must learn that an unseen word
"behaves like a name". Clusters of words with similar contexts carry that
signal from 25k unlabeled articles into the 4k labeled ANERcorp sentences.
Recipe (cheap, ~1 min on 2 cores): left/right co-occurrence counts with the
most frequent context words, PPMI, a truncated SVD, then k-means at two
granularities. The result is derived only from the Apache-2.0 ANT corpus, so
it may be shipped (``models/word_clusters.tsv.gz``: ``word\\tcoarse\\tfine``).
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path

import numpy as np

from khabar.arabic import normalize_search, tokenize

CLUSTERS_FILE = "models/word_clusters.tsv.gz"
OFFSETS = (-2, -1, 1, 2)  # context positions; left and right kept apart


def ant_texts(path: str | Path, limit: int | None = None) -> Iterator[str]:
    """Title + body of the articles of an ANT JSONL(.gz) file."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for number, line in enumerate(fh):
            if limit is not None and number >= limit:
                return
            obj = json.loads(line)
            yield f"{obj.get('title') or ''}\n{obj.get('text') or ''}"


def _cooccurrence(docs: list[list[int]], n_words: int, n_ctx: int):
    """Sparse (n_words, len(OFFSETS) * n_ctx) counts of context ids at each offset."""
    from scipy import sparse

    ids = np.concatenate([np.append(np.asarray(d, dtype=np.int64), -1) for d in docs])
    rows, cols = [], []
    for slot, off in enumerate(OFFSETS):
        a, b = (ids[:-off], ids[off:]) if off > 0 else (ids[-off:], ids[:off])
        keep = (a >= 0) & (a < n_words) & (b >= 0) & (b < n_ctx)
        rows.append(a[keep])
        cols.append(slot * n_ctx + b[keep])
    r, c = np.concatenate(rows), np.concatenate(cols)
    shape = (n_words, len(OFFSETS) * n_ctx)
    return sparse.coo_matrix((np.ones(len(r), dtype=np.float32), (r, c)), shape=shape).tocsr()


def _ppmi_svd(counts, dims: int) -> np.ndarray:
    """Row-normalized truncated-SVD vectors of the positive PMI matrix (sparse in, dense out)."""
    from sklearn.utils.extmath import randomized_svd

    coo = counts.tocoo()
    row = np.asarray(counts.sum(1)).ravel()
    col = np.asarray(counts.sum(0)).ravel() ** 0.75  # context smoothing (Levy et al.)
    pmi = np.log(coo.data * col.sum() / (row[coo.row] * col[coo.col]))
    keep = pmi > 0
    ppmi = type(coo)((pmi[keep], (coo.row[keep], coo.col[keep])), shape=coo.shape).tocsr()
    u, s, _ = randomized_svd(ppmi, dims, random_state=0)
    vecs = u * np.sqrt(s)
    return vecs / (np.linalg.norm(vecs, axis=1, keepdims=True) + 1e-9)


def build_clusters(
    texts: Iterable[str], n_words: int = 30000, n_ctx: int = 1500, dims: int = 100, seed: int = 0
) -> dict[str, tuple[int, int]]:
    """Map the ``n_words`` most frequent search-normalized words to (coarse, fine) cluster ids."""
    from sklearn.cluster import MiniBatchKMeans

    docs = [tokenize(normalize_search(t)) for t in texts]
    vocab = [w for w, _ in Counter(w for d in docs for w in d).most_common(n_words)]
    index = {w: i for i, w in enumerate(vocab)}
    encoded = [[index.get(w, len(vocab)) for w in d] for d in docs]
    vecs = _ppmi_svd(_cooccurrence(encoded, len(vocab), n_ctx), dims)
    out: dict[str, list[int]] = {w: [] for w in vocab}
    for k in (64, 512):
        labels = MiniBatchKMeans(k, random_state=seed, n_init=3, batch_size=4096).fit_predict(vecs)
        for w, lab in zip(vocab, labels, strict=True):
            out[w].append(int(lab))
    return {w: (c[0], c[1]) for w, c in out.items()}


def save_clusters(clusters: dict[str, tuple[int, int]], path: str | Path) -> None:
    """Write ``word\\tcoarse\\tfine`` lines, gzipped."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for w, (c, f) in clusters.items():
            fh.write(f"{w}\t{c}\t{f}\n")


def load_clusters(path: str | Path | None = None) -> dict[str, tuple[int, int]]:
    """Read a clusters file; by default the one shipped in the package."""
    ref = Path(path) if path else resources.files("khabar.enrich").joinpath(CLUSTERS_FILE)
    with ref.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        rows = (line.rstrip("\n").split("\t") for line in fh)
        return {w: (int(c), int(f)) for w, c, f in rows}
