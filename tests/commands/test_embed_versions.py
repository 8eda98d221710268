"""``khabar embed`` re-embeds articles whose text changed, and search never serves the old vector.

The bundled sample (real ANT articles) in a real SQLite store, the hashing embedder (fast, no
model files), and the installed ``khabar`` command for the CLI checks.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from cli_run import khabar as run_khabar
from khabar.enrich.embeddings import HashingEmbedder, embedding_text
from khabar.ingest.importer import import_files
from khabar.search.freshness import CurrentVectors, current_view
from khabar.search.hybrid import hybrid_search
from khabar.search.vectors import VERSIONS_FILE, VectorIndex, sidecar_path
from khabar.storage import UPDATED, open_store
from khabar.storage.base import Store
from realdata import SAMPLE

EMB = HashingEmbedder()


def khabar(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_khabar(db, *args, env={"KHABAR_EMBEDDER": "hashing"}, timeout=300)


@pytest.fixture
def embedded(tmp_path: Path) -> Iterator[tuple[Store, VectorIndex, Path]]:
    db = tmp_path / "k.db"
    store = open_store(str(db))
    import_files(store, [SAMPLE])
    index = VectorIndex(sidecar_path(str(db)))
    index.update(store, EMB)
    yield store, index, db
    store.close()


def _rewrite(store: Store, victim_id: int, donor_id: int) -> None:
    """The article ``victim_id`` now carries the title and text of ``donor_id`` (an update at its url)."""
    victim, donor = (s.article for s in store.get_articles([victim_id, donor_id]))
    assert store.add_articles([replace(victim, title=donor.title, paragraphs=donor.paragraphs)]) == [UPDATED]


def test_changed_article_is_hidden_then_re_embedded(embedded: tuple[Store, VectorIndex, Path]) -> None:
    store, index, _ = embedded
    victim, donor = (s.id for s in store.latest(2, 40))
    old_vec = index.get([victim])[0]
    assert [i for i, _ in current_view(index, store).search(old_vec, 1)] == [victim]
    _rewrite(store, victim, donor)

    view = CurrentVectors(index, store)
    assert not view.has(victim) and index.has(victim)  # the old vector is still on disk, but not served
    assert victim not in [i for i, _ in view.search(old_vec, 10)]
    assert not view.get([victim]).any() and view.get([donor]).any()
    hits = hybrid_search(store, index, EMB, store.get_articles([victim])[0].article.title, 20, mode="semantic")
    assert victim not in [h.article.id for h in hits]

    assert index.update(store, EMB) == 1 and index.plan.changed == [victim] and not index.plan.missing
    reopened = VectorIndex(index.path)
    now = store.get_articles([victim])[0].article
    expected = EMB.passage([embedding_text(now.title, now.body)])[0]
    assert np.allclose(reopened.get([victim])[0], expected, atol=2e-3)
    assert CurrentVectors(reopened, store).has(victim) and len(reopened) == store.count_articles()
    assert [i for i, _ in reopened.search(expected, 2)][:1] in ([victim], [donor])  # the same text twice now
    assert reopened.update(store, EMB) == 0


def test_unchanged_metadata_keeps_the_vector(embedded: tuple[Store, VectorIndex, Path]) -> None:
    store, index, _ = embedded
    first, other = store.latest(2)
    assert store.add_articles([replace(first.article, author=other.article.author + first.article.author + " ")]) == [
        UPDATED
    ]
    assert CurrentVectors(index, store).has(first.id) and index.update(store, EMB) == 0


def test_embed_command_reports_changed_and_unversioned(embedded: tuple[Store, VectorIndex, Path]) -> None:
    store, index, db = embedded
    victim, donor = (s.id for s in store.latest(2, 7))
    _rewrite(store, victim, donor)
    done = khabar(db, "embed", "--quiet")
    assert done.returncode == 0, done.stderr
    assert "1 articles changed since they were embedded: re-embedded" in done.stdout
    assert done.stdout.strip().endswith(f"{store.count_articles()} vectors in {index.path}")
    assert done.stdout.splitlines()[-1].startswith("1 articles embedded")

    (index.path / VERSIONS_FILE).unlink()  # a sidecar written before versions existed
    legacy = VectorIndex(index.path)
    assert (legacy.versions([victim, donor]) == 0).all()
    assert CurrentVectors(legacy, store).has(victim)  # served as before until re-checked
    done = khabar(db, "embed", "--quiet")
    n = store.count_articles()
    assert f"{n} vectors had no text version (sidecar written by an older khabar): re-embedded" in done.stdout
    assert done.stdout.splitlines()[-1].startswith(f"{n} articles embedded")
    assert (VectorIndex(index.path).versions([victim, donor]) > 0).all()
    assert khabar(db, "embed", "--quiet").stdout.splitlines()[-1].startswith("0 articles embedded")
