"""Every page as JSON holds the data its HTML shows; the API is described."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest
from web_helpers import TAGS, Site, page_text, shown

LISTINGS = ["/", "/?page=2", "/sections/economy", "/sources/" + quote("فرانس 24"), "/tags/" + quote(TAGS[0])]


def _json(client: httpx.Client, path: str) -> dict:
    sep = "&" if "?" in path else "?"
    r = client.get(path + sep + "format=json")
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    data = r.json()
    assert "nav" not in data
    return data


@pytest.mark.parametrize("path", LISTINGS)
def test_listing_json_matches_html(client: httpx.Client, path: str) -> None:
    data = _json(client, path)
    text = page_text(client.get(path).text)
    assert data["articles"]
    for article in data["articles"]:
        assert {"url", "title", "source", "published_at", "section", "lead", "id"} <= article.keys()
        assert shown(article["title"]) in text
        assert f'href="/articles/{article["id"]}"' in text
    assert f"<h1>{data['title']}</h1>" in text


def test_article_json_matches_html(client: httpx.Client, site: Site) -> None:
    path = f"/articles/{site.tagged_id}"
    data = _json(client, path)
    text = page_text(client.get(path).text)
    article = data["article"]
    assert article["id"] == site.tagged_id and article["url"] == site.tagged["url"]
    assert article["tags"] == TAGS and article["attributions"]
    for paragraph in article["paragraphs"]:
        assert shown(paragraph) in text
    for more in data["more"]:
        assert shown(more["title"]) in text


def test_sources_json_matches_html(client: httpx.Client) -> None:
    data = _json(client, "/sources")
    text = page_text(client.get("/sources").text)
    for source in data["sources"]:
        assert source["name"] in text and f"{source['articles']:,} خبر" in text


def test_openapi_describes_the_pages(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/", "/articles/{article_id}", "/search", "/sources", "/tags/{tag}"} <= spec["paths"].keys()


@pytest.mark.parametrize("path", ["/", "/search?q=x", "/sources"])
def test_invalid_format_is_422(client: httpx.Client, path: str) -> None:
    sep = "&" if "?" in path else "?"
    assert client.get(path + sep + "format=xml").status_code == 422


def test_static_css_served(client: httpx.Client) -> None:
    r = client.get("/static/site.css")
    assert r.status_code == 200 and "text/css" in r.headers["content-type"]
