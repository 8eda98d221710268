"""A real Khabar site on loopback for the web tests.

Once per session the bundled ANT sample is imported into a temporary SQLite
store, plus one real ANT record re-imported with attributions and tags (the
sample itself has none); the app then runs under uvicorn in a background thread
on a free 127.0.0.1 port, and tests talk to it over real HTTP with httpx.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import httpx
import pytest
from web_helpers import ATTRIBUTIONS, ENTITIES, PAGE_SIZE, SAMPLE, TAGGED_URL, TAGS, Site, serve, served

from khabar.enrich.linker import Linker
from khabar.ingest.importer import import_files
from khabar.model import NamedEntity
from khabar.settings import Settings
from khabar.storage import open_store
from khabar.web import create_app
from realdata import DATA, SAUDI

GOLD = DATA / "gold_clusters" / "dev" / "dev_gold.jsonl"


def read_sample() -> list[dict[str, Any]]:
    """Every record of the bundled sample."""
    with gzip.open(SAMPLE, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _tagged_record(records: list[dict[str, Any]]) -> dict[str, Any]:
    """A real sample record (BBC, about Pompeo and North Korea) given tags and attributions."""
    record = next(r for r in records if r["url"] == TAGGED_URL)
    return record | {"tags": TAGS, "attributions": ATTRIBUTIONS}


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The sample site, served over HTTP for the whole session."""
    tmp = tmp_path_factory.mktemp("khabar-web")
    records = read_sample()
    tagged = _tagged_record(records)
    extra = tmp / "tagged.jsonl"
    extra.write_text(json.dumps(tagged, ensure_ascii=False) + "\n", encoding="utf-8")
    store = open_store(str(tmp / "site.db"))
    summary = import_files(store, [SAMPLE])
    assert summary.imported == len(records) and summary.invalid == 0
    assert import_files(store, [extra]).updated == 1
    stored = store.get_article(tagged["url"])
    assert stored is not None and all(text in stored.article.body for text, _ in ENTITIES)
    entities = [NamedEntity(text, kind) for text, kind in ENTITIES]
    assert store.add_articles([replace(stored.article, entities=entities)]) == ["updated"]
    app = create_app(Settings({"page_size": PAGE_SIZE}), store)
    server, thread, url = serve(app)
    try:
        yield Site(url, store, records, tagged, stored.id)
    finally:
        server.should_exit = True
        thread.join(10)
        store.close()


@pytest.fixture(scope="session")
def client(site: Site) -> Iterator[httpx.Client]:
    """An httpx client bound to the running site."""
    with httpx.Client(base_url=site.url, timeout=20) as c:
        yield c


def _release() -> list[dict[str, Any]]:
    """The dev-1 records (one civil-defence rain warning) in file order."""
    wanted = {r["id"] for r in map(json.loads, GOLD.open(encoding="utf-8")) if r["cluster"] == "dev-1"}
    with gzip.open(SAUDI, "rt", encoding="utf-8") as fh:
        return [r for r in map(json.loads, fh) if r["url"] in wanted]


@pytest.fixture(scope="session")
def linked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[httpx.Client, Any, list[dict[str, Any]]]]:
    """(client, store, release records) of a site holding the sample and a real SaudiNewsNet release
    published six times by five outlets (gold cluster dev-1), linked into copies and stories while importing."""
    if not (SAUDI.exists() and GOLD.exists()):
        pytest.skip("needs ../shared/data")
    tmp = tmp_path_factory.mktemp("stories-web")
    records = _release()
    wire = tmp / "wire.jsonl"
    wire.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    store = open_store(str(tmp / "site.db"))
    linker = Linker(store)
    import_files(store, [SAMPLE], after_batch=linker.link)
    import_files(store, [wire], fmt="saudinewsnet", after_batch=linker.link)
    with served(create_app(Settings({"page_size": PAGE_SIZE}), store)) as (_, client):
        yield client, store, records
    store.close()
