"""``khabar export`` and ``Store.article_ids``: stored articles go out in the import format and come
back whole, into either backend; the id walk visits each matching article once.

The source store holds the first articles of the bundled sample (real ANT texts), enriched by the
real pipeline (section model, keyword tags; entities when a NER model is installed), plus names that
occur in one article's own text as its entities, so every field of the format is exercised.
"""

from __future__ import annotations

import gzip
import itertools
import json
from dataclasses import replace
from pathlib import Path

import pytest

from cli_run import khabar
from khabar.enrich.pipeline import Enricher
from khabar.ingest.export import export_file
from khabar.ingest.importer import import_files
from khabar.model import Filters, NamedEntity
from khabar.storage import UPDATED, Store, open_store
from realdata import SAMPLE

N = 120  # sample articles in the source store
URL = "http://www.bbc.co.uk/arabic/world-44049490"  # Pompeo's visit to North Korea (in the first N)
ENTITIES = [NamedEntity("مايك بومبيو", "PERS"), NamedEntity("كوريا الشمالية", "LOC")]
FIELDS = ("title", "paragraphs", "lead", "published_at", "source", "author", "image", "language", "section",
          "canonical_url", "attributions", "tags", "entities", "input_hash")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "first.jsonl"
    with gzip.open(SAMPLE, "rt", encoding="utf-8") as fh:
        path.write_text("".join(itertools.islice(fh, N)), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def source_db(inputs: Path) -> Path:
    """A SQLite store of the first N sample articles, imported with enrichment."""
    db = inputs.parent / "source.db"
    with open_store(str(db)) as store:
        assert import_files(store, [inputs], enrich=Enricher()).imported == N
        article = store.get_article(URL).article
        assert all(e.text in article.body for e in ENTITIES)
        assert store.add_articles([replace(article, entities=ENTITIES)]) == [UPDATED]
    return db


def _fields(store: Store) -> dict[str, tuple]:
    ids = store.article_ids(limit=10 * N)
    return {s.article.url: tuple(getattr(s.article, f) for f in FIELDS) for s in store.get_articles(ids)}


def test_export_then_import_restores_every_article(source_db: Path, inputs: Path, store: Store,
                                                   tmp_path: Path) -> None:
    out = tmp_path / "all.jsonl.gz"
    with open_store(str(source_db)) as source:
        assert export_file(source, out) == N
        before = _fields(source)
    assert not list(tmp_path.glob(".*partial"))
    assert sum(bool(v[FIELDS.index("tags")]) for v in before.values()) > N // 2  # the pipeline tagged them
    assert import_files(store, [out]).imported == N  # as `khabar import --no-enrich`: nothing recomputed
    assert _fields(store) == before
    assert import_files(store, [out]).unchanged == N
    # the original input, enriched, is recognised as already stored (its fingerprint came along)
    assert import_files(store, [inputs], enrich=Enricher()).unchanged == N


def test_article_ids_walk_each_match_once(source_db: Path, store: Store) -> None:
    with open_store(str(source_db)) as source:
        import_files(store, [_export(source, source_db.parent / "walk.jsonl")])
    for filters in (None, Filters(section="international"), Filters(source="بي بي سي عربي"), Filters(originals=True)):
        walked, after = [], 0
        while ids := store.article_ids(filters, after, 7):
            walked += ids
            after = ids[-1]
        assert walked == sorted(set(walked)) and len(walked) == store.count_articles(filters) > 0


def _export(store: Store, path: Path) -> Path:
    export_file(store, path)
    return path


def test_cli_exports_with_filters_to_a_file_or_stdout(source_db: Path, tmp_path: Path) -> None:
    with open_store(str(source_db)) as source:
        sport = {s.article.url for s in source.get_articles(source.article_ids(Filters(section="sport")))}
    assert sport
    done = khabar(source_db, "export", str(tmp_path / "sport.jsonl"), "--section", "sport", "--quiet")
    assert done.returncode == 0, done.stderr
    assert f"exported: {len(sport)} articles" in done.stderr
    lines = (tmp_path / "sport.jsonl").read_text("utf-8").splitlines()
    assert {json.loads(line)["url"] for line in lines} == sport
    piped = khabar(source_db, "export", "--section", "sport", "--quiet")
    assert piped.returncode == 0 and piped.stdout.splitlines() == lines


def test_cli_says_what_to_do_when_it_cannot_write(source_db: Path, tmp_path: Path) -> None:
    done = khabar(source_db, "export", str(tmp_path / "missing-dir" / "x.jsonl"), "--quiet")
    assert done.returncode == 2 and "cannot write" in done.stderr and "check the path" in done.stderr
    assert not (tmp_path / "missing-dir").exists()
