"""The search page over real HTTP: results, highlighting, empty results, escaping."""

from __future__ import annotations

import httpx
from web_helpers import MARK, Site, links, page_text

from khabar.arabic import normalize_search

QUERY = "الوزير"


def test_search_finds_and_highlights_wazir_family(client: httpx.Client) -> None:
    r = client.get("/search", params={"q": QUERY})
    assert r.status_code == 200
    assert len(links(r.text, "/articles/")) >= 10
    marked = MARK.findall(r.text)
    assert len(marked) >= 10
    assert all("وزير" in normalize_search(word) for word in marked), marked
    assert {"وزير", "الوزير"} & set(marked)  # the bare noun and/or the prefixed form
    assert f'value="{QUERY}"' in r.text  # the form keeps the query
    assert f"<title>بحث: {QUERY} — خبر</title>" in r.text


def test_search_json_matches_html(client: httpx.Client) -> None:
    data = client.get("/search", params={"q": QUERY, "format": "json"}).json()
    text = page_text(client.get("/search", params={"q": QUERY}).text)
    assert data["q"] == QUERY and len(data["results"]) == 20
    scores = [hit["score"] for hit in data["results"]]
    assert scores == sorted(scores, reverse=True)
    for hit in data["results"]:
        assert {"url", "title", "source", "published_at", "score", "snippet"} <= hit.keys()
        assert f'href="/articles/{hit["id"]}"' in text
    # All 20 snippets mark a word today, the hashtag #وزير_المالية_السعودي (one sample text) included:
    # snippets split a hashtag into terms as the index does.
    assert sum("<mark>" in hit["snippet"] for hit in data["results"]) >= 18


def test_search_paginates(client: httpx.Client) -> None:
    one = client.get("/search", params={"q": QUERY, "format": "json"}).json()
    two = client.get("/search", params={"q": QUERY, "page": 2, "format": "json"}).json()
    assert two["results"] and not {h["url"] for h in one["results"]} & {h["url"] for h in two["results"]}
    assert (
        'href="?q=%D8%A7%D9%84%D9%88%D8%B2%D9%8A%D8%B1&amp;page=2"' in client.get("/search", params={"q": QUERY}).text
    )


def test_no_results_message(client: httpx.Client) -> None:
    r = client.get("/search", params={"q": "زرافةبنفسجية"})
    assert r.status_code == 200 and "لا نتائج لـ «زرافةبنفسجية»" in r.text
    assert "<mark>" not in r.text and not links(r.text, "/articles/")


def test_empty_query_shows_form_only(client: httpx.Client) -> None:
    r = client.get("/search")
    assert r.status_code == 200 and "لا نتائج" not in r.text and 'name="q"' in r.text


def test_query_is_escaped(client: httpx.Client, site: Site) -> None:
    evil = '<script>alert("x")</script> وزير'
    r = client.get("/search", params={"q": evil})
    assert r.status_code == 200
    assert "<script>" not in r.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in r.text
    assert client.get("/search", params={"q": evil, "format": "json"}).json()["q"] == evil
