"""The bundled sample imported once with hashing vectors (fast, deterministic), shared read-only by search tests."""

from __future__ import annotations

import pytest

from khabar.enrich.embeddings import HashingEmbedder
from khabar.ingest.importer import import_files
from khabar.search.vectors import VectorIndex
from khabar.storage import open_store
from realdata import SAMPLE

EMB = HashingEmbedder()


@pytest.fixture(scope="session")
def env(tmp_path_factory):
    """(store, vectors) over the sample; tests must not write to them."""
    tmp = tmp_path_factory.mktemp("sample-vectors")
    store = open_store(str(tmp / "k.db"))
    import_files(store, [SAMPLE])
    vectors = VectorIndex(tmp / "k.db.vectors")
    vectors.update(store, EMB)
    yield store, vectors
    store.close()
