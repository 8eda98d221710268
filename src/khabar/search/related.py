"""Related articles: ``إقرأ أيضاً`` (the next read) and ``مقالات مشابهة`` (ten similar).

Candidates are the seed's story (other outlets' write-ups of the same event, as
linked at import) and its nearest neighbours in the vector index (title + lead
embeddings). They are ranked from the sidecar alone: dense cosine, IDF-weighted
overlap of the stored rare-term signatures and the share of the seed's lead
names found in them (nothing is re-tokenized per request). The same event comes
first (same story, or a cosine only one event reaches), then topical
neighbours; only the best few are read (as heads, without bodies: :meth:`Store.article_heads`),
scored with shared entities and tags (counted by the store), section and closeness
in time, and picked by MMR so that versions of one event do not crowd out
everything else; bodies are read only for the likely picks (the copy test).

Never returned: the article itself, a copy of it (store copy links, or a body
whose word triples are mostly inside the other's), two copies of one wire text,
or anything under a minimum cosine (an article sharing only generic words never
gets that close).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from khabar.enrich.embeddings import Embedder, embedding_text
from khabar.model import StoredArticle
from khabar.search.copyguard import CopyGuard as _CopyGuard
from khabar.search.copyguard import text_key
from khabar.search.freshness import CurrentVectors, current_view
from khabar.search.signatures import rare_terms, signature, term_hash
from khabar.search.vectors import VectorIndex
from khabar.storage.base import Store
from khabar.storage.rows import tag_key

VECTOR_CANDIDATES, STORY_CANDIDATES, FETCHED = 60, 30, 50
PREFETCH_SPARE = 5  # bodies loaded beyond the n best distinct texts, for picks skipped as copies
NAME_TERMS, NAME_CHARS = 12, 300  # the seed's rarest title + lead stems: who and where it is about
# Cosine floors per model family: (related at all, same event). e5 passage cosines sit in 0.7-1.0: below
# 0.80 shared generic words are all two articles have in common; 0.88+ is the same event.
FLOORS = {"e5": (0.80, 0.88)}
OTHER_FLOORS = (0.30, 0.60)  # embedders that spread cosines wider, such as HashingEmbedder
MMR_LAMBDA = 0.9  # mild: copies are removed outright, so MMR only spreads over sub-topics
SAME_EVENT_BONUS = 5.0  # the same event outranks any topical neighbour (other evidence rarely passes 3)
HALF_LIFE_DAYS = 3.0
W_LEXICAL, W_TAG, W_SECTION, W_RECENT, W_NAMES, W_ENTITIES = 3.0, 0.05, 0.15, 0.15, 1.0, 2.0


@dataclass(frozen=True)
class Pick:
    """One related article with its score and cosine to the seed. ``article`` has its body and everything
    a card shows; its tags, entities and attributions may be empty (read as a head: Store.article_heads)."""

    article: StoredArticle
    score: float
    cosine: float


@dataclass(frozen=True)
class Related:
    read_also: list[Pick] = field(default_factory=list)
    similar: list[Pick] = field(default_factory=list)


@dataclass
class _Pool:
    """Candidates of one request: ids with their vectors, sidecar scores, same-event flags and the text
    version each vector was embedded from."""

    ids: list[int]
    mat: np.ndarray
    cos: np.ndarray
    prelim: np.ndarray
    same: np.ndarray
    versions: dict[int, int]


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
    # An article's vector from before its text changed is never served: the seed's and story members' versions
    # are checked here, the neighbours' on their head read (one query for both).
    vectors = current_view(vectors, store)
    floor, same_event = floors(vectors.model)
    story = [a for a in store.story_articles(seed.story_id) if a.id != seed.id] if seed.story_id else []
    pool = _pool(vectors, seed, embedder, story[:STORY_CANDIDATES], (floor, same_event))
    if pool is None:
        return Related()
    keep = np.lexsort((-pool.prelim, ~pool.same))[:FETCHED].tolist()  # same event first, then by sidecar score
    by_id = {a.id: a for a in story}
    fetch = [pool.ids[k] for k in keep if pool.ids[k] not in by_id]
    by_id.update((a.id, a) for a in _current_heads(store, fetch, pool.versions))
    guard, ents = _CopyGuard(seed, store.article_bodies, story), _seed_entities(seed)
    rows = [k for k in keep if pool.ids[k] in by_id and not guard.linked(by_id[pool.ids[k]])]
    arts = [by_id[pool.ids[k]] for k in rows]
    shared = store.shared_labels([a.id for a in arts], ents, {_entity_key(t) for t in seed.article.tags})
    scores = np.array([pool.prelim[k] + SAME_EVENT_BONUS * pool.same[k] + _context(seed, a, ents, shared[a.id])
                       for k, a in zip(rows, arts, strict=True)])
    chosen = _mmr(pool.mat[rows], scores, arts, n_similar, floor, guard)
    similar = [Pick(guard.full(arts[j]), float(scores[j]), float(pool.cos[rows[j]])) for j in chosen]
    return Related(_read_also(seed, similar, n_read_also, same_event), similar)


def _pool(
    vectors: CurrentVectors,
    seed: StoredArticle,
    embedder: Embedder | None,
    story: list[StoredArticle],
    cosines: tuple[float, float],
) -> _Pool | None:
    """Story members and vector neighbours over the floor, scored from the sidecar only."""
    floor, same_event = cosines
    seed_rep = _seed_vector(vectors, seed, embedder)
    if seed_rep is None:
        return None
    seed_vec, seed_sig = seed_rep
    raw, in_story = vectors.index, {a.id for a in story}
    ids = list(dict.fromkeys([*in_story, *(i for i, _ in raw.search(seed_vec, VECTOR_CANDIDATES, [seed.id]))]))
    ids = [i for i in ids if i != seed.id]
    found = raw.lookup(ids)  # vectors, signatures and versions: one search of the ids
    mat, cand_terms, cand_weights = found.vectors, found.terms, found.weights
    story_mask = np.array([i in in_story for i in ids], dtype=bool)
    if in_story:  # a story member's vector from an older text counts as none (neighbours: _current_heads)
        stale = np.flatnonzero(story_mask)[~vectors.current([i for i in ids if i in in_story])]
        mat[stale], cand_terms[stale], cand_weights[stale] = 0.0, 0, 0.0
    cos = mat @ np.asarray(seed_vec, dtype=np.float32)
    ok = (cos >= floor) | story_mask  # a story member is related even when its lead is worded apart
    ids, mat, cos, story_mask = [i for i, o in zip(ids, ok, strict=True) if o], mat[ok], cos[ok], story_mask[ok]
    cand_terms, cand_weights = cand_terms[ok], cand_weights[ok]
    lexical = _overlap(seed_sig, cand_terms, cand_weights)
    names = _name_share(_seed_names(seed), cand_terms)
    prelim = np.clip((cos - floor) / (1 - floor), 0.0, None) + W_LEXICAL * lexical + W_NAMES * names
    versions = dict(zip(ids, found.versions[ok].tolist(), strict=True))
    return _Pool(ids, mat, cos, prelim, story_mask | (cos >= same_event), versions)


def _seed_vector(
    vectors: CurrentVectors, seed: StoredArticle, embedder: Embedder | None
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]] | None:
    """The seed's vector and signature: from the index when current, else embedded now (None: no embedder)."""
    if vectors.has(seed.id):
        found = vectors.index.lookup([seed.id])
        return found.vectors[0], (found.terms[0], found.weights[0])
    if embedder is None:
        return None
    title, body = seed.article.title, seed.article.body  # just imported or changed, not embedded yet
    return embedder.passage([embedding_text(title, body)])[0], signature(title, body)


def _current_heads(store: Store, ids: list[int], versions: dict[int, int]) -> list[StoredArticle]:
    """Heads of ``ids`` whose vectors were embedded from their present text (``versions``), checked in the same read."""
    return store.article_heads(ids, {i: versions[i] for i in ids})


def _overlap(seed_sig: tuple[np.ndarray, np.ndarray], terms: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """IDF-weighted Jaccard of each row's rare-term signature with the seed's."""
    if not len(terms):
        return np.zeros(0)
    seed_terms, seed_weights = seed_sig
    wanted = seed_terms[seed_terms > 0]
    shared = (terms[:, :, None] == wanted[None, None, :]).any(axis=2)  # 32 x 32 per row: cheaper than isin's sort
    inter = (weights * shared).sum(axis=1)
    union = weights.sum(axis=1) + float(np.asarray(seed_weights, dtype=np.float32).sum()) - inter
    return np.where(union > 0, inter / np.maximum(union, 1e-9), 0.0)


def _seed_names(seed: StoredArticle) -> tuple[np.ndarray, np.ndarray]:
    """(term hashes, IDF weights) of the seed's rarest title + lead stems: its names, places and numbers."""
    pairs = rare_terms(seed.article.title, seed.article.body, NAME_TERMS, NAME_CHARS)
    return (np.array([term_hash(t) for _, t in pairs], dtype=np.uint32),
            np.array([w for w, _ in pairs], dtype=np.float32))


def _name_share(names: tuple[np.ndarray, np.ndarray], terms: np.ndarray) -> np.ndarray:
    """Weighted share of the seed's lead names found in each candidate's signature (its title + lead)."""
    hashes, weights = names
    total = float(weights.sum())
    if not total or not len(terms):
        return np.zeros(len(terms))
    found = (terms[:, :, None] == hashes[None, None, :]).any(axis=1)  # rows x names
    return (found * weights).sum(axis=1) / total


@lru_cache(maxsize=100_000)
def _entity_key(text: str) -> str:
    return tag_key(text)


def _seed_entities(seed: StoredArticle) -> frozenset[str]:
    """Keys of the seed's stored entities named in its title + lead (all of them when none is)."""
    a = seed.article
    keys = {_entity_key(e.text): e.text for e in a.entities}
    lead = f"{a.title} {a.body[:NAME_CHARS]}"
    named = frozenset(k for k, t in keys.items() if k and t in lead)
    return named or frozenset(k for k in keys if k)


def _context(seed: StoredArticle, other: StoredArticle, entities: frozenset[str], shared: tuple[int, int]) -> float:
    """Entity, tag, section and time evidence added to the sidecar score (entities stored at import);
    ``shared``: how many of the seed's ``entities`` and tags ``other`` carries (:meth:`Store.shared_labels`)."""
    a, b = seed.article, other.article
    tags = shared[1]
    shared_entities = shared[0] / len(entities) if entities else 0.0
    recency = 0.0
    if a.published_at and b.published_at:
        days = abs((a.published_at - b.published_at).total_seconds()) / 86400
        recency = math.exp(-days * math.log(2) / HALF_LIFE_DAYS)
    section = bool(a.section) and a.section == b.section
    return W_ENTITIES * shared_entities + W_TAG * min(tags, 3) + W_SECTION * section + W_RECENT * recency


def _mmr(
    mat: np.ndarray, scores: np.ndarray, arts: list[StoredArticle], n: int, floor: float, guard: _CopyGuard
) -> list[int]:
    """Maximal marginal relevance over rows; a copy of the seed or of an earlier pick is skipped outright."""
    if not len(scores):
        return []
    guard.prefetch((arts[j] for j in np.argsort(-scores)), n + PREFETCH_SPARE)  # MMR mostly follows the scores
    redundancy = np.zeros(len(scores))
    open_rows = np.ones(len(scores), dtype=bool)
    keys = np.unique([text_key(a) for a in arts], return_inverse=True)[1]  # linked copies share a key
    chosen: list[int] = []
    while open_rows.any() and len(chosen) < n:
        value = np.where(open_rows, MMR_LAMBDA * scores - (1 - MMR_LAMBDA) * redundancy, -np.inf)
        j = int(np.argmax(value))
        open_rows &= keys != keys[j]  # the guard decides a text once: its other linked copies would be rejected
        if guard.admit(arts[j]):
            chosen.append(j)
            redundancy = np.maximum(redundancy, np.clip((_dot_rows(mat, mat[j]) - floor) / (1 - floor), 0.0, None))
    return chosen


def _dot_rows(mat: np.ndarray, vec: np.ndarray) -> np.ndarray:
    """``mat @ vec`` in blocks small enough for OpenBLAS to run each on the calling thread (under ~9,216
    elements): for a product this small its worker threads cost far more CPU, spinning on a loaded machine."""
    step = max(1, 9000 // max(mat.shape[1], 1))
    return np.concatenate([mat[i : i + step] @ vec for i in range(0, len(mat), step)]) if len(mat) else mat @ vec


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
