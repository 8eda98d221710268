"""Entities on the article page (HTML and JSON) and as a search filter, over real HTTP."""

from __future__ import annotations

from urllib.parse import quote

import httpx
from web_helpers import ENTITIES, TAGS, Site, links, page_text


def test_article_json_lists_entities(client: httpx.Client, site: Site) -> None:
    data = client.get(f"/articles/{site.tagged_id}?format=json").json()
    assert data["article"]["entities"] == [{"text": t, "type": k} for t, k in ENTITIES]
    assert {"tags", "attributions", "paragraphs", "copy_of", "story_id"} <= data["article"].keys()  # still there
    linked = {e["text"]: e["tag"] for e in data["entity_links"]}
    assert linked == {t: t in TAGS for t, _ in ENTITIES}


def test_article_page_shows_entities_linking_to_tag_pages(client: httpx.Client, site: Site) -> None:
    markup = client.get(f"/articles/{site.tagged_id}").text
    block = page_text(markup.split('<nav class="entities"', 1)[1].split("</nav>", 1)[0])
    assert "أسماء في الخبر" in block
    for text, _ in ENTITIES:
        assert text in block
    hrefs = links(markup.split('<nav class="entities"', 1)[1].split("</nav>", 1)[0], "/tags/")
    assert hrefs == ["/tags/" + quote(t) for t, _ in ENTITIES if t in TAGS]
    for href in hrefs:  # each link leads to a tag page that lists this article
        tag_page = client.get(href)
        assert tag_page.status_code == 200 and f'href="/articles/{site.tagged_id}"' in tag_page.text
    assert 'title="شخص"' in block and 'title="مكان"' in block


def test_article_without_entities_has_no_block(client: httpx.Client, site: Site) -> None:
    other = next(a for a in site.store.latest(5) if a.id != site.tagged_id)
    data = client.get(f"/articles/{other.id}?format=json").json()
    assert data["article"]["entities"] == [] and data["entity_links"] == []
    assert 'class="entities"' not in client.get(f"/articles/{other.id}").text


def test_search_entity_filter(client: httpx.Client, site: Site) -> None:
    everything = client.get("/search", params={"q": "كوريا", "format": "json"}).json()["results"]
    assert len(everything) > 1  # many articles name Korea; one of them has these entities
    for name in ("بيونغ يانغ", "دونالد ترامب"):
        found = client.get("/search", params={"q": "كوريا", "entity": name, "format": "json"}).json()
        assert [r["url"] for r in found["results"]] == [site.tagged["url"]]
        assert found["options"]["entity"] == name and "entity=" in found["query_prefix"]
    page = client.get("/search", params={"q": "كوريا", "entity": "بيونغ يانغ"}).text
    assert 'name="entity" value="بيونغ يانغ"' in page  # the form keeps the filter
    none = client.get("/search", params={"q": "كوريا", "entity": "فرنسا", "format": "json"}).json()
    assert none["results"] == []
