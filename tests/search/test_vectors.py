"""The vector sidecar: persistence, lookups, exclusion, model changes, quantized ANN recall."""

from __future__ import annotations

import numpy as np
import pytest

from khabar.enrich.embeddings import HashingEmbedder
from khabar.ingest.importer import import_files
from khabar.search.vectors import TERMS, VectorIndex, sidecar_path, signature
from khabar.storage import open_store
from realdata import SAMPLE


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The bundled sample embedded with the cheap hashing embedder."""
    tmp = tmp_path_factory.mktemp("vectors")
    store = open_store(str(tmp / "k.db"))
    import_files(store, [SAMPLE])
    index = VectorIndex(sidecar_path(str(tmp / "k.db")))
    added = index.update(store, HashingEmbedder())
    yield store, index, added, tmp
    store.close()


def test_every_article_is_embedded_once(built):
    store, index, added, tmp = built
    assert added == store.count_articles() == len(index)
    assert index.update(store, HashingEmbedder()) == 0  # nothing missing the second time
    reopened = VectorIndex(tmp / "k.db.vectors")
    assert len(reopened) == added and reopened.model == "hashing-256" and reopened.dim == 256


def test_get_returns_the_stored_rows_and_zeros_for_unknown_ids(built):
    store, index, _, _ = built
    a = store.latest(1)[0]
    expected = HashingEmbedder().passage([f"{a.article.title}\n{a.article.body.strip()[:300]}".strip()])[0]
    got = index.get([a.id, 10**9])
    assert np.allclose(got[0], expected, atol=2e-3)  # stored as float16
    assert not got[1].any() and index.has(a.id) and not index.has(10**9)


def test_search_finds_each_article_first_and_honours_exclude(built):
    store, index, _, _ = built
    articles = store.latest(40)
    vecs = index.get([a.id for a in articles])
    firsts = [index.search(v, 1)[0][0] for v in vecs]
    # exact scan at this size (int8 vectors): an article's own vector is its nearest neighbour, ties aside
    rows = zip(firsts, articles, vecs, strict=True)
    same = [f == a.id or np.allclose(index.get([f])[0], v, atol=1e-2) for f, a, v in rows]
    assert all(same)
    hits = index.search(vecs[0], 5, exclude=[articles[0].id])
    assert len(hits) == 5 and articles[0].id not in [i for i, _ in hits]
    assert all(-1.0 <= c <= 1.0001 for _, c in hits)


def test_signatures_hold_rare_terms(built):
    store, index, _, _ = built
    a = store.latest(1)[0]
    terms, weights = index.get_signatures([a.id])
    own = signature(a.article.title, a.article.body)
    assert terms.shape == (1, TERMS) and (terms[0] == own[0]).all()
    assert (weights[0][terms[0] > 0] > 0).all()


def test_lookup_gives_what_the_single_reads_give_in_the_order_asked(built):
    store, index, _, _ = built
    ids = [a.id for a in store.latest(30)][::-1] + [10**9]  # not the stored order, and one unknown id
    rows = index.lookup(ids)
    terms, weights = index.get_signatures(ids)
    assert np.array_equal(rows.vectors, index.get(ids)) and rows.vectors[:-1].any(axis=1).all()
    assert np.array_equal(rows.terms, terms) and np.array_equal(rows.weights, weights)
    assert rows.versions.tolist() == index.versions(ids).tolist() and rows.versions[-1] == -1


def test_a_model_change_rebuilds(tmp_path):
    store = open_store(str(tmp_path / "k.db"))
    import_files(store, [SAMPLE], batch_size=100)
    index = VectorIndex(tmp_path / "v", "hashing-64", 64)
    index.add([a.id for a in store.latest(5)], HashingEmbedder(64).passage(["x"] * 5))
    index.save()
    assert len(VectorIndex(tmp_path / "v")) == 5
    assert VectorIndex(tmp_path / "v").update(store, HashingEmbedder(32)) == store.count_articles()
    assert VectorIndex(tmp_path / "v").model == "hashing-32"
    store.close()


def test_postgres_needs_a_vectors_dir():
    with pytest.raises(ValueError):
        sidecar_path("postgresql://localhost/khabar")
    assert str(sidecar_path("postgresql://x/y", "/srv/vec")) == "/srv/vec"
