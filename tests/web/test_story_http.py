"""Story pages and copy links over real HTTP: the bundled sample plus a real SaudiNewsNet
release published six times by five outlets (gold cluster dev-1), linked while importing (the
``linked`` fixture of conftest.py)."""

from __future__ import annotations

import html
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from feed_helpers import epoch, fetch_feed, link, parsed_epoch
from web_helpers import PAGE_SIZE, page_json, page_text, shown

from khabar.model import Filters


def test_story_page_json_and_html(linked: tuple[httpx.Client, Any, list[dict[str, Any]]]) -> None:
    client, store, records = linked
    first = store.get_article(records[0]["url"])
    data = page_json(client, f"/stories/{first.story_id}")
    assert data["story"]["id"] == first.story_id and data["story"]["outlet_count"] == 5
    assert {a["url"] for a in records} <= {a["url"] for a in data["articles"]}
    times = [a["published_at"] for a in data["articles"]]
    assert times == sorted(times)  # a timeline
    assert len({o["name"] for o in data["outlets"]}) == len(data["outlets"]) >= 5
    html = page_text(client.get(f"/stories/{first.story_id}").text)
    assert data["story"]["headline"] in html and f"/articles/{first.id}" in html


def test_article_page_lists_copies_and_links_its_story(linked: tuple[httpx.Client, Any, list[dict[str, Any]]]) -> None:
    client, store, records = linked
    first, copy = store.get_article(records[0]["url"]), store.get_article(records[-1]["url"])
    data = page_json(client, f"/articles/{first.id}")
    assert {a["url"] for a in data["also_published"]} == {r["url"] for r in records[1:]}
    assert data["story"]["id"] == first.story_id
    html = page_text(client.get(f"/articles/{copy.id}").text)
    assert "نُشر أيضاً في" in html and f"/articles/{first.id}" in html and f"/stories/{first.story_id}" in html


def test_unknown_story_is_404(linked: tuple[httpx.Client, Any, list[dict[str, Any]]]) -> None:
    client = linked[0]
    assert client.get("/stories/987654").status_code == 404
    assert client.get("/stories/987654", params={"format": "json"}).status_code == 404


def test_home_page_groups_the_latest_news_by_story(linked: tuple[httpx.Client, Any, list[dict[str, Any]]]) -> None:
    client, store, _ = linked
    data = page_json(client, "/")
    assert data["stories"], "the sample's last two days have stories covered by several outlets"
    for story in data["stories"]:
        assert story["outlet_count"] >= 2
        members = {a.id for a in store.story_articles(story["id"])}
        assert {a["id"] for a in story["articles"]} <= members
    html = client.get("/").text
    assert "أبرز القصص" in html and f'href="/stories/{data["stories"][0]["id"]}"' in html
    assert not page_json(client, "/", page="2")["stories"]


def _window_counts(store: Any, story_id: int, since: datetime) -> tuple[int, int]:
    """(outlets, articles) of a story's members published at or after ``since``."""
    members = [a for a in store.story_articles(story_id) if a.article.published_at >= since]
    return len({a.article.source for a in members}), len(members)


def test_stories_page_ranks_every_multi_outlet_story_of_the_window(
    linked: tuple[httpx.Client, Any, list[dict[str, Any]]],
) -> None:
    """/stories pages through every story two or more outlets covered in the window (40 days before the
    newest article: the whole sample month, not the 2015 release), most outlets then most articles
    first, each story once; the window and the pages are kept in the pager's links."""
    client, store, records = linked
    since = store.latest(1)[0].article.published_at - timedelta(hours=960)
    expected = {s.id for s in store.all_stories() if _window_counts(store, s.id, since)[0] >= 2}
    listed: list[dict[str, Any]] = []
    page = 1
    while True:
        data = page_json(client, "/stories", hours="960", page=str(page))
        listed += data["stories"]
        if not data["has_next"]:
            break
        page += 1
    assert page >= 2 and len(listed) == len({s["id"] for s in listed}) == len(expected) >= PAGE_SIZE
    assert {s["id"] for s in listed} == expected
    assert store.get_article(records[0]["url"]).story_id not in expected  # the release is years older
    ranks = [_window_counts(store, s["id"], since) for s in listed]
    assert ranks == sorted(ranks, reverse=True)
    for story in listed[:5]:
        members = store.story_articles(story["id"])
        assert {a["id"] for a in story["articles"]} <= {a.id for a in members if a.copy_of is None}
        assert set(story["outlets"]) == {a.article.source for a in members}
    html = client.get("/stories", params={"hours": "960"}).text
    assert f'href="/stories/{listed[0]["id"]}"' in html and 'href="?hours=960&amp;page=2"' in html
    assert 'href="/stories"' in client.get("/").text  # the nav and the home page's block link here


def test_stories_page_past_the_end_and_a_bad_window(linked: tuple[httpx.Client, Any, list[dict[str, Any]]]) -> None:
    client = linked[0]
    assert page_json(client, "/stories", status=404, page="500")["stories"] == []
    assert client.get("/stories", params={"hours": "0"}).status_code == 422


@pytest.mark.parametrize("fmt", ["atom", "rss"])
def test_stories_feed_has_an_entry_a_story(linked: tuple[httpx.Client, Any, list[dict[str, Any]]], fmt: str) -> None:
    """/stories as a feed: the page's stories in its order, each entry the story's page (id and link), its
    headline, first seen and (Atom) last updated, its outlets and newest titles in the summary; paged."""
    client = linked[0]
    base = str(client.base_url).rstrip("/")
    data = page_json(client, "/stories", hours="960", page="2")
    _, parsed = fetch_feed(client, "/stories", fmt, hours="960", page="2")
    assert [e.link for e in parsed.entries] == [f"{base}/stories/{s['id']}" for s in data["stories"]]
    for entry, story in zip(parsed.entries, data["stories"], strict=True):
        assert entry.id == entry.link and entry.title == shown(story["headline"]).strip()
        assert parsed_epoch(entry, "published") == epoch(story["first_seen"])
        if fmt == "atom":
            assert parsed_epoch(entry, "updated") == epoch(story["last_updated"])
        summary = html.unescape(entry.summary)
        assert all(o in summary for o in story["outlets"]) and shown(story["articles"][0]["title"]) in summary
    assert link(parsed.feed, "next") == f"{base}/stories?hours=960&format={fmt}&page=3"
    assert link(parsed.feed, "previous") == f"{base}/stories?hours=960&format={fmt}"
    assert f'href="/stories?hours=960&amp;format={fmt}"' in client.get("/stories", params={"hours": "960"}).text


def test_more_from_the_section_lists_no_copies(linked: tuple[httpx.Client, Any, list[dict[str, Any]]]) -> None:
    """The linked sample holds copies (one Sky News report under two addresses, reprinted wire texts):
    "more from this section" under an article never lists a copy, nor, under a copy, its original."""
    client, store, _ = linked
    copies = [a for a in store.latest(3000) if a.copy_of is not None and a.article.section]
    assert len(copies) >= 3
    for copy in copies[:10]:
        original = store.get_article(copy.copy_of)
        for seed in (copy.id, original.id):
            more = page_json(client, f"/articles/{seed}")["more"]
            shown = [m["id"] for m in more]
            assert len(shown) == 5 and seed not in shown and original.id not in shown
            assert not [a.id for a in store.get_articles(shown) if a.copy_of is not None]


def test_listings_show_a_wire_text_once_and_an_outlet_page_shows_all(
    linked: tuple[httpx.Client, Any, list[dict[str, Any]]],
) -> None:
    """Home, section and tag listings leave copies out (their originals stay); an outlet's page lists
    everything it published, copies included."""
    client, store, records = linked
    copy = store.get_article(records[-1]["url"])  # a SaudiNewsNet reprint of the release
    assert copy.copy_of is not None
    copies = {a.id for a in store.latest(3000) if a.copy_of is not None}
    listed = lambda path: page_json(client, path)  # noqa: E731
    pages = [listed("/"), *(listed(f"/sections/{s}") for s in ("technology", "middle_east", "sport"))]
    assert all(p["articles"] for p in pages)
    assert not {a["id"] for p in pages for a in p["articles"]} & copies
    home = listed("/")
    assert home["total"] == store.count_articles() - len(copies)
    outlet = listed(f"/sources/{copy.article.source}")
    assert copy.id in {a["id"] for a in outlet["articles"]} and outlet["total"] == store.count_articles(
        Filters(source=copy.article.source))


def test_search_can_leave_copies_out(linked: tuple[httpx.Client, Any, list[dict[str, Any]]]) -> None:
    """``originals=1`` keeps each wire text once (the form's checkbox); without it copies are listed."""
    client, store, _ = linked
    search = lambda **extra: client.get("/search", params={"q": "أوبر", **extra})  # noqa: E731
    every = [h["id"] for h in search(format="json").json()["results"]]
    originals = search(format="json", originals="1").json()
    copies = {a.id for a in store.get_articles(every) if a.copy_of is not None}
    assert copies and [h["id"] for h in originals["results"]] == [i for i in every if i not in copies]
    assert "originals=1" in originals["query_prefix"]
    assert 'name="originals" value="1" checked' in search(originals="1").text
    assert 'name="originals" value="1" checked' not in search().text
