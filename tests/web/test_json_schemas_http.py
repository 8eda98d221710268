"""The JSON of every page has the shape ``/openapi.json`` declares for it (khabar.web.schemas):
listings, search (plain and filtered), an article, the outlets page and a 404, on the sample site.
Story pages, copies and related lists are checked where those sites are built (test_story_http,
test_related_http)."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest
from web_helpers import TAGS, Site, page_json

from khabar.web.openapi import NOT_FOUND, ROUTES

PAGES = [("/", {}), ("/", {"page": "3"}), ("/sections/economy", {}), ("/sources/" + quote("فرانس 24"), {}),
         ("/tags/" + quote(TAGS[0]), {}), ("/sources", {}), ("/search", {"q": "الوزير"}),
         ("/search", {"q": "الوزير", "section": "international", "sort": "date", "originals": "1"}),
         ("/search", {})]


@pytest.mark.parametrize(("path", "params"), PAGES)
def test_page_json_has_the_declared_shape(client: httpx.Client, path: str, params: dict) -> None:
    data = page_json(client, path, **params)
    assert data.get("articles") or data.get("results") or data.get("sources") or not params.get("q")


def test_article_json_has_the_declared_shape(client: httpx.Client, site: Site) -> None:
    data = page_json(client, f"/articles/{site.tagged_id}")
    assert data["article"]["entities"] and data["entity_links"] and data["article"]["attributions"]


@pytest.mark.parametrize("path", ["/articles/987654321", "/sections/nowhere", "/tags/" + quote("لا وسم بهذا"),
                                  "/stories/987654321"])
def test_not_found_json_has_the_declared_shape(client: httpx.Client, path: str) -> None:
    data = page_json(client, path, status=404)
    assert data.get("message") or data["articles"] == []


def test_openapi_names_the_json_of_every_page(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    for path, model in ROUTES.items():
        responses = spec["paths"][path]["get"]["responses"]
        ref = responses["200"]["content"]["application/json"]["schema"]["$ref"]
        assert ref == f"#/components/schemas/{model.__name__}" and model.__name__ in schemas
        if path in NOT_FOUND:
            not_found = responses["404"]["content"]["application/json"]["schema"]["$ref"]
            assert not_found == f"#/components/schemas/{NOT_FOUND[path].__name__}"
    assert spec["paths"].keys() >= ROUTES.keys()
    assert "text/html" in spec["paths"]["/"]["get"]["responses"]["200"]["content"]
