"""Related articles: ``إقرأ أيضاً`` (the next read) and ``مقالات مشابهة`` (ten similar).

Candidates come from the vector index (title + lead embeddings) and from BM25
on the seed's rarest title + lead stems. They are first ranked from the
sidecar alone (dense cosine + IDF-weighted overlap of stored rare-term
signatures: no text is re-read), then the best few are fetched and scored with
same story, shared tags, same section and closeness in time, and picked by MMR
so that ten versions of one event do not crowd out everything else.

Never returned: the article itself, a copy of it (store copy links or
near-identical lead text), two copies of one wire text, or anything under a
minimum cosine (an article sharing only generic words never gets that close).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from khabar.arabic import normalize_search, search_terms, tokenize
from khabar.enrich.embeddings import Embedder, embedding_text
from khabar.model import StoredArticle, TextQuery
from khabar.search.vectors import VectorIndex, rare_terms, signature
from khabar.storage.base import Store

VECTOR_CANDIDATES, LEXICAL_CANDIDATES, QUERY_TERMS, FETCHED = 60, 30, 8, 60
NAME_TERMS, NAME_CHARS = 12, 300  # the seed's rarest title + lead stems: who and where it is about
# Cosine floors per model family: (related at all, same event). e5 passage cosines sit in 0.7-1.0: below
# 0.80 shared generic words are all two articles have in common; 0.88+ is the same event.
FLOORS = {"e5": (0.80, 0.88)}
OTHER_FLOORS = (0.30, 0.60)  # embedders that spread cosines wider, such as HashingEmbedder
COPY_JACCARD = 0.7  # lead-word Jaccard from which two texts are one wire text
COPY_CONTAINMENT = 0.65  # share of the shorter body's word pairs found in the other: a reprint with a new intro
MMR_LAMBDA = 0.9  # mild: copies are removed outright, so MMR only spreads over sub-topics
HALF_LIFE_DAYS = 3.0
W_LEXICAL, W_STORY, W_TAG, W_SECTION, W_RECENT, W_NAMES = 3.0, 0.25, 0.05, 0.05, 0.15, 2.0
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


def floors(model: str) -> tuple[float, float]:
    """(minimum cosine to be related, cosine of the same event) for an embedder name."""
    return next((v for k, v in FLOORS.items() if model.startswith(k)), OTHER_FLOORS)


def related(
    store: Store,
    vectors: VectorIndex | None,
    article_id: int,
    embedder: Embedder | None = None,
    n_similar: int = 10,
    n_read_also: int = 3,
) -> Related:
    """Related articles of one stored article (empty when it does not exist or nothing is close)."""
    found = store.get_articles([article_id])
    if not found or vectors is None:
        return Related()  # without vectors nothing can pass the floor: better nothing than noise
    seed = found[0]
    floor, same_event = floors(vectors.model)
    ids, cos, mat, prelim = _ranked_ids(store, vectors, seed, embedder, floor)
    keep = np.argsort(-prelim)[:FETCHED]
    by_id = {a.id: a for a in store.get_articles([ids[k] for k in keep])}
    seed_words = _lead_words(seed)
    rows = [k for k in keep if ids[k] in by_id and not _is_copy(seed, seed_words, by_id[ids[k]])]
    names = _seed_names(seed)
    scores = np.array([prelim[k] + _context(seed, by_id[ids[k]]) + W_NAMES * _names(names, by_id[ids[k]])
                       for k in rows])
    chosen = _mmr(mat[rows], scores, [by_id[ids[k]] for k in rows], n_similar, floor)
    similar = [Pick(by_id[ids[rows[j]]], float(scores[j]), float(cos[rows[j]])) for j in chosen]
    return Related(_read_also(seed, similar, n_read_also, same_event), similar)


def _ranked_ids(
    store: Store, vectors: VectorIndex, seed: StoredArticle, embedder: Embedder | None, floor: float
) -> tuple[list[int], np.ndarray, np.ndarray, np.ndarray]:
    """Candidate ids over the floor with cosine, vectors and a first score from the sidecar only."""
    title, body = seed.article.title, seed.article.body
    if vectors.has(seed.id):
        seed_vec = vectors.get([seed.id])[0]
        terms, weights = vectors.get_signatures([seed.id])
        seed_sig = (terms[0], weights[0])
    elif embedder is not None:  # just imported, not embedded yet: embed it now
        seed_vec, seed_sig = embedder.passage([embedding_text(title, body)])[0], signature(title, body)
    else:
        return [], np.zeros(0), np.zeros((0, vectors.dim)), np.zeros(0)
    ids = dict.fromkeys(i for i, _ in vectors.search(seed_vec, VECTOR_CANDIDATES, exclude=[seed.id]))
    query = tuple(t for _, t in rare_terms(title, body, QUERY_TERMS))  # names, places, numbers
    if query:
        ids.update((i, None) for i, _ in store.search_ids(TextQuery(terms=query, match_any=True), LEXICAL_CANDIDATES))
    ids.pop(seed.id, None)
    id_list = list(ids)
    mat = vectors.get(id_list)
    cos = mat @ np.asarray(seed_vec, dtype=np.float32)
    ok = cos >= floor
    id_list, mat, cos = [i for i, o in zip(id_list, ok, strict=False) if o], mat[ok], cos[ok]
    lexical = _overlap(seed_sig, *vectors.get_signatures(id_list))
    return id_list, cos, mat, (cos - floor) / (1 - floor) + W_LEXICAL * lexical


def _overlap(seed_sig: tuple[np.ndarray, np.ndarray], terms: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """IDF-weighted Jaccard of each row's rare-term signature with the seed's."""
    if not len(terms):
        return np.zeros(0)
    seed_terms, seed_weights = seed_sig
    shared = np.isin(terms, seed_terms[seed_terms > 0]) & (terms > 0)
    inter = (weights * shared).sum(axis=1)
    union = weights.sum(axis=1) + float(np.asarray(seed_weights, dtype=np.float32).sum()) - inter
    return np.where(union > 0, inter / np.maximum(union, 1e-9), 0.0)


def _context(seed: StoredArticle, other: StoredArticle) -> float:
    """Story, tag, section and time evidence added to the sidecar score."""
    a, b = seed.article, other.article
    same_story = seed.story_id is not None and seed.story_id == other.story_id
    tags = len({t.casefold() for t in a.tags} & {t.casefold() for t in b.tags})
    recency = 0.0
    if a.published_at and b.published_at:
        days = abs((a.published_at - b.published_at).total_seconds()) / 86400
        recency = math.exp(-days * math.log(2) / HALF_LIFE_DAYS)
    section = bool(a.section) and a.section == b.section
    return W_STORY * same_story + W_TAG * min(tags, 3) + W_SECTION * section + W_RECENT * recency


def _norm(text: str) -> str:
    return " ".join(tokenize(normalize_search(text)))


def _seed_names(seed: StoredArticle) -> tuple[bool, dict[str, float]]:
    """(from NER?, names of the seed's title + lead with weights): NER entities, else its rarest stems."""
    a = seed.article
    lead = f"{a.title}\n{a.body[:NAME_CHARS]}"
    try:
        from khabar.enrich.entities import NERModelMissing, extract_entities
        try:
            found = {_norm(e.text) for e in extract_entities(lead)}
            return True, {n: 1.0 for n in found if len(n) >= 3}
        except NERModelMissing:
            pass
    except ImportError:  # pragma: no cover - optional CRF dependency
        pass
    return False, {t: w for w, t in rare_terms(a.title, a.body, NAME_TERMS, NAME_CHARS)}


def _names(names: tuple[bool, dict[str, float]], other: StoredArticle) -> float:
    """Weighted share of the seed's lead names (people, places, bodies) found anywhere in the other text."""
    ner, table = names
    total = sum(table.values())
    if not total:
        return 0.0
    text = f"{other.article.title} {other.article.body}"
    if ner:
        norm = _norm(text)
        return sum(w for t, w in table.items() if t in norm) / total
    found = set(search_terms(text))
    return sum(w for t, w in table.items() if t in found) / total


def _lead_words(stored: StoredArticle) -> frozenset[str]:
    """Raw words of the title and the start of the body: cheap, and copies keep them."""
    a = stored.article
    return frozenset(_WORD.findall(f"{a.title} {a.body[:400]}"))


def _body_words(stored: StoredArticle) -> frozenset[tuple[str, str]]:
    """Word pairs of the body: a reprint keeps them, a rewrite of the same event shares words but not pairs."""
    words = _WORD.findall(stored.article.body)
    return frozenset(zip(words, words[1:], strict=False))


def _contained(a: frozenset, b: frozenset) -> bool:
    small = min(len(a), len(b))
    return small >= 12 and len(a & b) >= COPY_CONTAINMENT * small


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _is_copy(seed: StoredArticle, seed_words: frozenset[str], other: StoredArticle) -> bool:
    """Store copy links, or lead texts so alike they are one wire text."""
    s, o = seed.article.url, other.article.url
    if o == s or other.copy_of in (s, seed.copy_of or s) or seed.copy_of == o:
        return True
    if _jaccard(seed_words, _lead_words(other)) >= COPY_JACCARD:
        return True
    return _contained(_body_words(seed), _body_words(other))


def _mmr(mat: np.ndarray, scores: np.ndarray, arts: list[StoredArticle], n: int, floor: float) -> list[int]:
    """Maximal marginal relevance over rows; a near-copy of an earlier pick is skipped outright."""
    if not len(scores):
        return []
    sims = np.clip((mat @ mat.T - floor) / (1 - floor), 0.0, None)
    redundancy = np.zeros(len(scores))
    open_rows = np.ones(len(scores), dtype=bool)
    chosen: list[int] = []
    words: list[tuple[frozenset, frozenset]] = []
    while open_rows.any() and len(chosen) < n:
        value = np.where(open_rows, MMR_LAMBDA * scores - (1 - MMR_LAMBDA) * redundancy, -np.inf)
        j = int(np.argmax(value))
        open_rows[j] = False
        w = (_lead_words(arts[j]), _body_words(arts[j]))
        if any(_jaccard(w[0], o[0]) >= COPY_JACCARD or _contained(w[1], o[1]) for o in words):
            continue  # two copies of one wire text: keep the first
        chosen.append(j)
        words.append(w)
        redundancy = np.maximum(redundancy, sims[j])
    return chosen


def _read_also(seed: StoredArticle, similar: list[Pick], n: int, same_event: float) -> list[Pick]:
    """The next read: same-event picks, newest development first, then background."""
    same = [p for p in similar if p.cosine >= same_event
            or (seed.story_id is not None and p.article.story_id == seed.story_id)]
    pool = same or similar[:1]
    t0 = seed.article.published_at

    def key(p: Pick) -> tuple[int, float]:
        t = p.article.article.published_at
        return (0 if t0 is not None and t is not None and t > t0 else 1, -p.score)

    return sorted(pool, key=key)[:n]
