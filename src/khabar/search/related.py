"""Related articles: ``إقرأ أيضاً`` (the next read) and ``مقالات مشابهة`` (ten similar).

Candidates come from the vector index (title + lead embeddings) and from BM25
on the seed's title words. Each is scored by dense cosine, same story, shared
tags, same section and closeness in time, then picked by MMR so that ten
versions of one event do not crowd out everything else. Never returned: the
article itself, a copy of it (store copy links or near-identical lead text),
two copies of one wire text, or anything under a minimum cosine (an article
that shares only generic words with the seed never gets that close).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from khabar.enrich.embeddings import Embedder, embedding_text
from khabar.model import StoredArticle, TextQuery
from khabar.search.vectors import VectorIndex, rare_terms, signature
from khabar.storage.base import Store

VECTOR_CANDIDATES, LEXICAL_CANDIDATES, QUERY_TERMS = 60, 30, 8
# Cosine floors per model family: (related at all, same event). e5 passage cosines sit in 0.7-1.0: below
# 0.80 shared generic words are all two articles have in common; 0.88+ is the same event.
FLOORS = {"e5": (0.80, 0.88)}
OTHER_FLOORS = (0.30, 0.60)  # sparse-ish embedders such as HashingEmbedder spread cosines wider
COPY_JACCARD = 0.5  # lead-word Jaccard from which two texts are one wire text
MMR_LAMBDA = 0.75
HALF_LIFE_DAYS = 3.0
W_LEXICAL, W_STORY, W_TAG, W_SECTION, W_RECENT = 1.5, 0.25, 0.05, 0.05, 0.15
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Pick:
    """One related article with its score and cosine to the seed."""

    article: StoredArticle
    score: float
    cosine: float


@dataclass(frozen=True)
class Related:
    read_also: list[Pick] = field(default_factory=list)
    similar: list[Pick] = field(default_factory=list)


@dataclass
class _Cand:
    article: StoredArticle
    cosine: float
    vec: np.ndarray
    lexical: float = 0.0
    score: float = 0.0


def related(
    store: Store,
    vectors: VectorIndex | None,
    article_id: int,
    embedder: Embedder | None = None,
    n_similar: int = 10,
    n_read_also: int = 3,
) -> Related:
    """Related articles of one stored article (empty when it does not exist)."""
    found = store.get_articles([article_id])
    if not found:
        return Related()
    seed = found[0]
    seed_vec = _seed_vector(seed, vectors, embedder)
    cands = _candidates(store, vectors, seed, seed_vec)
    seed_words = _lead_words(seed)
    floor, same_event = floors(vectors.model if vectors is not None else getattr(embedder, "name", ""))
    cands = [c for c in cands if c.cosine >= floor and not _is_copy(seed, seed_words, c.article)]
    _lexical(seed, vectors, cands)
    for c in cands:
        c.score = _score(seed, c, floor)
    similar = _mmr(cands, n_similar, floor)
    read_also = _read_also(seed, similar, n_read_also, same_event)
    return Related(read_also, [Pick(c.article, c.score, c.cosine) for c in similar])


def floors(model: str) -> tuple[float, float]:
    """(minimum cosine to be related, cosine of the same event) for an embedder name."""
    return next((v for k, v in FLOORS.items() if model.startswith(k)), OTHER_FLOORS)


def _seed_vector(seed: StoredArticle, vectors: VectorIndex | None, embedder: Embedder | None) -> np.ndarray | None:
    if vectors is not None and vectors.has(seed.id):
        return vectors.get([seed.id])[0]
    if embedder is not None:  # not embedded yet (just imported): embed it now
        return embedder.passage([embedding_text(seed.article.title, seed.article.body)])[0]
    return None


def _candidates(
    store: Store, vectors: VectorIndex | None, seed: StoredArticle, seed_vec: np.ndarray | None
) -> list[_Cand]:
    """Vector neighbours plus BM25 hits on the title words, with exact cosines."""
    ids: dict[int, None] = {}
    if vectors is not None and seed_vec is not None:
        ids.update((i, None) for i, _ in vectors.search(seed_vec, VECTOR_CANDIDATES, exclude=[seed.id]))
    # The seed's rarest title + lead stems, OR-ed: the same names, places and numbers.
    terms = tuple(t for _, t in rare_terms(seed.article.title, seed.article.body, QUERY_TERMS))
    if terms:
        hits = store.search_ids(TextQuery(terms=terms, match_any=True), LEXICAL_CANDIDATES)
        ids.update((i, None) for i, _ in hits if i != seed.id)
    articles = [a for a in store.get_articles(list(ids)) if a.id != seed.id and a.article.url != seed.article.url]
    if vectors is None or seed_vec is None or not articles:
        return []  # without vectors nothing can pass the minimum cosine: better nothing than noise
    mat = vectors.get([a.id for a in articles])
    cos = mat @ seed_vec.astype(np.float32)
    return [_Cand(a, float(c), mat[k]) for k, (a, c) in enumerate(zip(articles, cos))]


def _lexical(seed: StoredArticle, vectors: VectorIndex | None, cands: list[_Cand]) -> None:
    """IDF-weighted overlap of rare title + lead stems (stored signatures: no text analysis per candidate)."""
    if vectors is None or not cands:
        return
    s_terms, s_weights = signature(seed.article.title, seed.article.body)
    terms, weights = vectors.get_signatures([c.article.id for c in cands])
    shared = np.isin(terms, s_terms[s_terms > 0]) & (terms > 0)
    inter = (weights * shared).sum(axis=1)
    union = weights.sum(axis=1) + float(s_weights.astype(np.float32).sum()) - inter
    for c, i, u in zip(cands, inter, union):
        c.lexical = float(i / u) if u > 0 else 0.0


def _lead_words(stored: StoredArticle) -> frozenset[str]:
    """Raw words of the title and the start of the body: cheap, and copies keep them."""
    a = stored.article
    return frozenset(_WORD.findall(f"{a.title} {a.body[:400]}"))


def _is_copy(seed: StoredArticle, seed_words: frozenset[str], other: StoredArticle) -> bool:
    """Store copy links, or lead texts so alike they are one wire text."""
    s, o = seed.article.url, other.article.url
    if other.copy_of in (s, seed.copy_of or s) or seed.copy_of == o:
        return True
    return _jaccard(seed_words, _lead_words(other)) >= COPY_JACCARD


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _score(seed: StoredArticle, c: _Cand, floor: float) -> float:
    """Cosine (rescaled) plus story, tag, section and time evidence."""
    a, b = seed.article, c.article.article
    same_story = seed.story_id is not None and seed.story_id == c.article.story_id
    tags = len({t.casefold() for t in a.tags} & {t.casefold() for t in b.tags})
    recency = 0.0
    if a.published_at and b.published_at:
        days = abs((a.published_at - b.published_at).total_seconds()) / 86400
        recency = math.exp(-days * math.log(2) / HALF_LIFE_DAYS)
    return (
        (c.cosine - floor) / (1 - floor)
        + W_LEXICAL * c.lexical
        + W_STORY * same_story
        + W_TAG * min(tags, 3)
        + W_SECTION * (bool(a.section) and a.section == b.section)
        + W_RECENT * recency
    )


def _mmr(cands: list[_Cand], n: int, floor: float) -> list[_Cand]:
    """Maximal marginal relevance; a near-copy of an earlier pick is skipped outright."""
    pool = sorted(cands, key=lambda c: -c.score)
    chosen: list[_Cand] = []
    chosen_words: list[frozenset[str]] = []
    while pool and len(chosen) < n:
        best_k, best = 0, -math.inf
        for k, c in enumerate(pool):
            redundancy = max((float(c.vec @ s.vec) for s in chosen), default=0.0)
            value = MMR_LAMBDA * c.score - (1 - MMR_LAMBDA) * max(0.0, redundancy - floor) / (1 - floor)
            if value > best:
                best_k, best = k, value
        pick = pool.pop(best_k)
        words = _lead_words(pick.article)
        if any(_jaccard(words, w) >= COPY_JACCARD for w in chosen_words):
            continue  # two copies of one wire text: keep the first
        chosen.append(pick)
        chosen_words.append(words)
    return chosen


def _read_also(seed: StoredArticle, similar: list[_Cand], n: int, same_event: float) -> list[Pick]:
    """The next read: same-event picks, newest development first, then background."""
    same = [c for c in similar if c.cosine >= same_event
            or (seed.story_id is not None and c.article.story_id == seed.story_id)]
    pool = same or similar[:1]
    t0 = seed.article.published_at

    def key(c: _Cand) -> tuple[int, float]:
        t = c.article.article.published_at
        later = t0 is not None and t is not None and t > t0
        return (0 if later else 1, -c.score)

    return [Pick(c.article, c.score, c.cosine) for c in sorted(pool, key=key)[:n]]
