"""Atom and RSS feeds of the listing pages over real HTTP, parsed with feedparser and compared with
the JSON of the same page: the bundled ANT sample (real Arabic articles, outlets, authors, sections)."""

from __future__ import annotations

import html
import re
from urllib.parse import quote

import feedparser
import httpx
import pytest
from feed_helpers import assert_entries_match, epoch, fetch_feed, link, parsed_epoch
from web_helpers import PAGE_SIZE, TAGS, Site, page_json, shown

FORMATS = ["atom", "rss"]
QUERY = "الوزير"
# (path, query parameters): every kind of listing page with a feed (stories: test_feeds_story_http.py)
LISTINGS = [
    ("/", {}),
    ("/", {"page": "2"}),
    ("/sections/economy", {}),
    ("/sources/" + quote("فرانس 24"), {}),
    ("/tags/" + quote(TAGS[0]), {}),
    ("/search", {"q": QUERY, "sort": "date"}),
    ("/search", {"q": QUERY, "source": "بي بي سي عربي", "sort": "date"}),
]


def _cards(data: dict) -> list[dict]:
    return data.get("articles") or data["results"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("path", "params"), LISTINGS)
def test_feed_lists_the_pages_articles(client: httpx.Client, site: Site, path: str, params: dict, fmt: str) -> None:
    r, parsed = fetch_feed(client, path, fmt, **params)
    data = page_json(client, path, **params)
    cards = _cards(data)
    assert 0 < len(cards) <= PAGE_SIZE
    assert_entries_match(site.url, parsed, cards)
    number = f" (صفحة {data['page']})" if data["page"] > 1 else ""  # as the page's <title>
    assert parsed.feed.title == f"{shown(data['title'])}{number} — خبر"
    assert parsed.feed.language == "ar" and parsed.feed.subtitle
    assert link(parsed.feed, "self") == str(r.url)
    assert parsed.feed.link == str(r.url).replace(f"&format={fmt}", "").replace(f"?format={fmt}", "")
    newest = max(epoch(c["published_at"]) for c in cards)
    assert parsed_epoch(parsed.feed, "updated") == newest  # Atom <updated>, RSS <lastBuildDate>


@pytest.mark.parametrize("fmt", FORMATS)
def test_entry_of_a_tagged_article(client: httpx.Client, site: Site, fmt: str) -> None:
    _, parsed = fetch_feed(client, "/tags/" + quote(TAGS[1]), fmt)
    [entry] = parsed.entries
    rec = site.tagged
    assert entry.title == shown(rec["title"]) and entry.link == f"{site.url}/articles/{site.tagged_id}"
    assert link(entry, "via") == rec["url"] == entry.id
    assert html.unescape(entry.summary) == shown(rec["body"].split("\n\n")[0].strip())
    assert entry.source.title == rec["source"] == "بي بي سي عربي"
    assert entry.source.get("href", entry.source.get("link")) == "http://www.bbc.co.uk/"  # RSS: href, Atom: link
    assert parsed_epoch(entry, "published") == epoch(rec["published_at"].replace("+00:00", "Z"))
    labels = {t.label or t.term for t in entry.tags} if fmt == "atom" else {t.term for t in entry.tags}
    assert set(TAGS) <= labels
    schemes = {t.scheme for t in entry.tags}
    assert schemes == {f"{site.url}/sections/", f"{site.url}/tags/"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_authors_are_given_where_known(client: httpx.Client, fmt: str) -> None:
    _, parsed = fetch_feed(client, "/", fmt)
    cards = page_json(client, "/")["articles"]
    assert any(c["author"] for c in cards) and not all(c["author"] for c in cards)  # the sample has both
    assert [e.get("author") for e in parsed.entries] == [c["author"] or None for c in cards]


def test_search_feed_sorts_by_date_unless_asked(client: httpx.Client, site: Site) -> None:
    _, by_default = fetch_feed(client, "/search", "atom", q=QUERY)
    assert_entries_match(site.url, by_default, page_json(client, "/search", q=QUERY, sort="date")["results"])
    assert by_default.feed.link == f"{site.url}/search?q={quote(QUERY)}&sort=date"  # the page it lists
    times = [parsed_epoch(e, "published") for e in by_default.entries]
    assert times == sorted(times, reverse=True) and len(times) == PAGE_SIZE
    _, relevance = fetch_feed(client, "/search", "rss", q=QUERY, sort="relevance")
    assert_entries_match(site.url, relevance, page_json(client, "/search", q=QUERY)["results"])
    assert [e.link for e in relevance.entries] != [e.link for e in by_default.entries]


@pytest.mark.parametrize(("path", "params"), LISTINGS)
def test_html_pages_announce_their_feeds(client: httpx.Client, path: str, params: dict) -> None:
    markup = client.get(path, params=params).text
    found = {}
    for fmt in FORMATS:
        tag = re.search(rf'<link rel="alternate" type="application/{fmt}\+xml" title="[^"]+" href="([^"]+)">', markup)
        assert tag, f"no {fmt} autodiscovery link"
        found[fmt] = html.unescape(tag.group(1))
        assert f'href="{tag.group(1)}" type="application/{fmt}+xml"' in markup  # and a visible link
    assert "page=" not in found["atom"]  # a subscription follows the first page
    parsed = feedparser.parse(client.get(found["atom"]).content)
    assert not parsed.bozo and parsed.version == "atom10"
    if path == "/search":
        assert "sort=date" in found["rss"] and f"q={quote(QUERY)}" in found["rss"]


def test_pages_without_feeds_announce_none(client: httpx.Client, site: Site) -> None:
    for path in (f"/articles/{site.tagged_id}", "/sources", "/search", "/sections/no-such-section"):
        assert "application/atom+xml" not in client.get(path).text


@pytest.mark.parametrize("path", ["/", "/search?q=x", f"/tags/{quote(TAGS[0])}"])
def test_unknown_format_is_refused_with_the_choices(client: httpx.Client, path: str) -> None:
    r = client.get(path + ("&" if "?" in path else "?") + "format=xml")
    assert r.status_code == 422  # as for every invalid parameter of the API
    assert all(f"'{fmt}'" in r.json()["detail"][0]["msg"] for fmt in ("html", "json", "atom", "rss"))


def test_pages_without_feeds_refuse_feed_formats(client: httpx.Client, site: Site) -> None:
    assert client.get(f"/articles/{site.tagged_id}", params={"format": "atom"}).status_code == 422
    assert client.get("/sources", params={"format": "rss"}).status_code == 422


@pytest.mark.parametrize("fmt", FORMATS)
def test_missing_page_has_no_feed(client: httpx.Client, fmt: str) -> None:
    r = client.get("/sections/no-such-section", params={"format": fmt})
    assert r.status_code == 404 and r.headers["content-type"] == "application/json" and r.json()["detail"]
    assert client.get("/", params={"page": 10_000, "format": fmt}).status_code == 404


@pytest.mark.parametrize("fmt", FORMATS)
def test_conditional_get(client: httpx.Client, fmt: str) -> None:
    path = "/sections/sport"
    first, _ = fetch_feed(client, path, fmt)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag) and modified.endswith(" GMT")
    again = client.get(path, params={"format": fmt}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert client.get(path, params={"format": fmt}, headers={"If-None-Match": f'"x", W/{etag}'}).status_code == 304
    other = client.get(path, params={"format": fmt}, headers={"If-None-Match": '"0000"'})
    assert other.status_code == 200 and other.content == first.content  # same data, same bytes
    assert client.get(path, params={"format": fmt}, headers={"If-Modified-Since": modified}).status_code == 304
    older = "Mon, 01 Jan 2018 00:00:00 GMT"
    assert client.get(path, params={"format": fmt}, headers={"If-Modified-Since": older}).status_code == 200
    # another page's ETag does not match
    economy = client.get("/sections/economy", params={"format": fmt}).headers["etag"]
    assert economy != etag
    assert client.get(path, params={"format": fmt}, headers={"If-None-Match": economy}).status_code == 200


def test_openapi_lists_the_feed_formats(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/", "/sections/{section}", "/sources/{name}", "/tags/{tag}", "/stories/{story_id}", "/search"):
        get = spec["paths"][path]["get"]
        [fmt] = [p for p in get["parameters"] if p["name"] == "format"]
        assert fmt["schema"]["enum"] == ["html", "json", "atom", "rss"]
        assert {"application/atom+xml", "application/rss+xml", "application/json", "text/html"} <= set(
            get["responses"]["200"]["content"]
        )
    [fmt] = [p for p in spec["paths"]["/articles/{article_id}"]["get"]["parameters"] if p["name"] == "format"]
    assert fmt["schema"]["enum"] == ["html", "json"]


HEADS = [("/sections/sport", {"format": "atom"}), ("/", {}), ("/search", {"q": QUERY})]


@pytest.mark.parametrize(("path", "params"), HEADS)
def test_head_gives_the_get_headers_without_a_body(client: httpx.Client, path: str, params: dict) -> None:
    """Feed readers and link checkers ask with HEAD: the GET's status and headers, no body."""
    got, head = client.get(path, params=params), client.head(path, params=params)
    assert got.status_code == head.status_code == 200 and got.content and head.content == b""
    for name in ("content-type", "content-length", "etag", "last-modified"):
        assert head.headers.get(name) == got.headers.get(name)
    assert client.head("/articles/999999999").status_code == 404


@pytest.mark.parametrize("fmt", FORMATS)
def test_paged_feed_links_walk_the_whole_listing(client: httpx.Client, fmt: str) -> None:
    """RFC 5005 paged feeds: following ``next`` from the first page visits every article of the
    listing once, and each page names the first, previous and last pages."""
    total = page_json(client, "/")["total"]
    seen: list[str] = []
    r, parsed = fetch_feed(client, "/", fmt)
    assert link(parsed.feed, "previous") is None and link(parsed.feed, "first") == str(r.url)
    assert b"xmlns:ns0" not in r.content  # written in the document's own Atom prefix
    pages = 1
    while True:
        seen += [e.id for e in parsed.entries]
        last, after = link(parsed.feed, "last"), link(parsed.feed, "next")
        if after is None:
            assert last == str(r.url)
            break
        r = client.get(after)
        assert r.status_code == 200
        parsed = feedparser.parse(r.content)
        pages += 1
        assert link(parsed.feed, "previous") is not None
    assert pages > 1 and len(seen) == len(set(seen)) == total
