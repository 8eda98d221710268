"""Feeds over real HTTP on SaudiNewsNet articles: a real release published six times by five outlets
(gold cluster dev-1), linked into one story while importing, and the 92 articles whose text holds a
character XML cannot carry (\x1a); the site lists 4 articles a page."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from feed_helpers import NOT_XML, assert_entries_match, epoch, fetch_feed, link, parsed_epoch
from web_helpers import page_json, served

from khabar.enrich.linker import Linker
from khabar.ingest.importer import import_files
from khabar.settings import Settings
from khabar.storage import open_store
from khabar.web import create_app
from realdata import DATA, SAUDI

GOLD = DATA / "gold_clusters" / "dev" / "dev_gold.jsonl"
SIZE = 4  # fewer than the story's members: the feed keeps the newest
pytestmark = pytest.mark.skipif(not (SAUDI.exists() and GOLD.exists()), reason="needs ../shared/data")


def _records() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The dev-1 release in file order, and the records whose text holds a character XML cannot carry."""
    wanted = {r["id"] for r in map(json.loads, GOLD.open(encoding="utf-8")) if r["cluster"] == "dev-1"}
    with gzip.open(SAUDI, "rt", encoding="utf-8") as fh:
        records = list(map(json.loads, fh))
    release = [r for r in records if r["url"] in wanted]
    return release, [r for r in records if NOT_XML.search(r["content"]) and r["url"] not in wanted]


def _jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def story_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, httpx.Client, int]]:
    """(site URL, client, story id) of a site holding the linked release."""
    tmp = tmp_path_factory.mktemp("feeds-story")
    release, odd = _records()
    store = open_store(str(tmp / "site.db"))
    import_files(store, [_jsonl(tmp / "odd.jsonl", odd)], fmt="saudinewsnet")
    import_files(store, [_jsonl(tmp / "wire.jsonl", release)], fmt="saudinewsnet", after_batch=Linker(store).link)
    story_id = store.get_article(release[0]["url"]).story_id
    with served(create_app(Settings({"page_size": SIZE}), store)) as (url, client):
        yield url, client, story_id
    store.close()


@pytest.mark.parametrize("fmt", ["atom", "rss"])
def test_story_feed_gives_the_newest_members_first(story_site: tuple[str, httpx.Client, int], fmt: str) -> None:
    url, client, story_id = story_site
    data = page_json(client, f"/stories/{story_id}")
    timeline = data["articles"]
    assert len(timeline) > SIZE and len({a["source"] for a in timeline}) == 5
    _, parsed = fetch_feed(client, f"/stories/{story_id}", fmt)
    assert_entries_match(url, parsed, timeline[::-1][:SIZE])
    assert parsed.feed.title == f"{data['title']} — خبر"
    assert link(parsed.feed, "alternate") == f"{url}/stories/{story_id}"
    assert parsed_epoch(parsed.feed, "updated") == max(epoch(a["published_at"]) for a in timeline)


def test_story_page_announces_its_feed(story_site: tuple[str, httpx.Client, int]) -> None:
    _, client, story_id = story_site
    markup = client.get(f"/stories/{story_id}").text
    for fmt in ("atom", "rss"):
        assert f'type="application/{fmt}+xml" title="' in markup
        assert f'href="/stories/{story_id}?format={fmt}"' in markup
    assert client.get("/stories/987654", params={"format": "atom"}).status_code == 404


@pytest.mark.parametrize("fmt", ["atom", "rss"])
def test_feeds_leave_out_characters_xml_cannot_carry(story_site: tuple[str, httpx.Client, int], fmt: str) -> None:
    url, client, _ = story_site
    pages = page_json(client, "/")["pages"]
    held = 0
    for number in map(str, range(1, pages + 1)):
        cards = page_json(client, "/", page=number)["articles"]
        held += sum(bool(NOT_XML.search(c["lead"] + c["title"])) for c in cards)
        _, parsed = fetch_feed(client, "/", fmt, page=number)  # well-formed (no bozo)
        assert_entries_match(url, parsed, cards)
    assert held >= 20  # leads that do hold \x1a were listed
