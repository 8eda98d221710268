"""Related articles and search options over real HTTP, on the sample site with (hashing) vectors."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from web_helpers import PAGE_SIZE, Site, links, page_json, page_text, served

from khabar.enrich.embeddings import HashingEmbedder
from khabar.search.vectors import VectorIndex
from khabar.settings import Settings
from khabar.web import create_app
from khabar.web.pages import Semantic


@pytest.fixture(scope="module")
def semantic_client(site: Site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    """A second app over the same store, with vectors beside it."""
    emb = HashingEmbedder()
    vectors = VectorIndex(tmp_path_factory.mktemp("vec") / "site.db.vectors")
    vectors.update(site.store, emb)
    app = create_app(Settings({"page_size": PAGE_SIZE}), site.store, Semantic(vectors, emb))
    with served(app) as (_, client):
        yield client


def test_article_page_shows_read_also_and_similar(semantic_client: httpx.Client, site: Site) -> None:
    r = semantic_client.get(f"/articles/{site.tagged_id}")
    assert r.status_code == 200
    text = page_text(r.text)
    assert "إقرأ أيضاً" in text and "مقالات مشابهة" in text
    related_links = links(r.text, "/articles/")
    assert f"/articles/{site.tagged_id}" not in related_links


def test_article_json_has_related_lists_without_itself(semantic_client: httpx.Client, site: Site) -> None:
    data = page_json(semantic_client, f"/articles/{site.tagged_id}")
    assert 1 <= len(data["read_also"]) <= 3 and 1 <= len(data["similar"]) <= 10
    ids = [x["id"] for x in data["read_also"] + data["similar"]]
    assert site.tagged_id not in ids
    assert all({"url", "title", "score"} <= set(x) for x in data["similar"])


def test_site_without_vectors_has_empty_related_lists(client: httpx.Client, site: Site) -> None:
    data = page_json(client, f"/articles/{site.tagged_id}")
    assert data["read_also"] == [] and data["similar"] == []


def test_search_filters_sort_and_mode(semantic_client: httpx.Client) -> None:
    params = {"q": "كرة", "section": "sport", "sort": "date", "format": "json"}
    data = semantic_client.get("/search", params=params).json()
    assert data["results"] and all(r["section"] == "sport" for r in data["results"])
    dates = [r["published_at"] for r in data["results"]]
    assert dates == sorted(dates, reverse=True)
    html = semantic_client.get("/search", params={"q": "كرة", "section": "sport", "mode": "lexical"}).text
    assert 'value="sport"' in html and "section=sport" in html  # the form and the pager keep the filter
    until = semantic_client.get("/search", params={"q": "كرة", "until": "2018-05-10", "format": "json"}).json()
    assert all(r["published_at"] < "2018-05-11" for r in until["results"])
