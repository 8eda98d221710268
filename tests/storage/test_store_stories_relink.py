"""An article re-imported with a changed text is linked again as if new (both backends).

Real SaudiNewsNet reports of the dev gold day (``gold_clusters/dev``): dev-1, one civil-defence
release re-published by five outlets (one canonical, five copies); dev-7 and dev-11, two events
each reported by several outlets in their own words. One dev-11 report is held out: its text is
what an edited article now says. Each scenario runs with one long-lived linker across imports
(as ``khabar crawl --watch`` keeps) and with a fresh linker per import (as ``khabar import``).
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from khabar.enrich.linker import Linker
from khabar.ingest.importer import import_files
from khabar.storage import Store
from realdata import DATA, SAUDI

GOLD = DATA / "gold_clusters" / "dev" / "dev_gold.jsonl"
pytestmark = pytest.mark.skipif(not (SAUDI.exists() and GOLD.exists()), reason="needs ../shared/data")
WIRE, EVENT, OTHER = "dev-1", "dev-7", "dev-11"


@lru_cache(maxsize=1)
def _records() -> tuple[tuple[dict[str, Any], ...], dict[str, str]]:
    gold = {r["id"]: r["cluster"] for r in map(json.loads, GOLD.open(encoding="utf-8"))}
    gold = {url: c for url, c in gold.items() if c in (WIRE, EVENT, OTHER)}
    with gzip.open(SAUDI, "rt", encoding="utf-8") as fh:
        return tuple(r for r in map(json.loads, fh) if r["url"] in gold and (r.get("content") or "").strip()), gold


def _group(cluster: str) -> list[dict[str, Any]]:
    records, gold = _records()
    return [r for r in records if gold[r["url"]] == cluster]


def _held_out() -> dict[str, Any]:
    return _group(OTHER)[-1]


class Site:
    """A store fed by imports of a JSONL file, linked by a long-lived or a fresh linker per import."""

    def __init__(self, store: Store, tmp: Path, long_lived: bool) -> None:
        self.store, self.tmp, self.long_lived = store, tmp, long_lived
        self.linker = Linker(store)
        held = _held_out()["url"]
        self.records = [dict(r) for r in _records()[0] if r["url"] != held]

    def load(self, records: list[dict[str, Any]] | None = None) -> dict[str, int]:
        path = self.tmp / "in.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records or self.records), "utf-8")
        linker = self.linker if self.long_lived else Linker(self.store)
        return import_files(self.store, [path], fmt="saudinewsnet", after_batch=linker.link).as_dict()

    def edit(self, url: str, title: str, content: str) -> dict[str, int]:
        """Re-import everything, one article with a new text."""
        changed = [{**r, "title": title, "content": content} if r["url"] == url else r for r in self.records]
        return self.load(changed)

    def links(self) -> dict[str, tuple[int | None, str | None]]:
        return {r["url"]: (s.story_id, s.copy_of) for r in self.records if (s := self.store.get_article(r["url"]))}

    def story(self, url: str) -> int:
        return self.store.get_article(url).story_id


def _consistent(store: Store) -> None:
    """Every story's row agrees with its members; every article is in a story; copies share their story."""
    members = Counter()
    for row in store.all_stories():
        arts = store.story_articles(row.id)
        assert arts and row.article_count == len(arts)
        assert row.outlet_count == len({a.article.source for a in arts})
        dates = [a.article.published_at for a in arts]
        assert (row.first_seen, row.last_updated) == (min(dates), max(dates))
        members.update(a.id for a in arts)
        for a in arts:
            if a.copy_of is not None:
                assert store.get_article(a.copy_of).story_id == row.id
    assert len(members) == store.count_articles() and set(members.values()) == {1}


@pytest.fixture(params=[True, False], ids=["long-lived", "fresh"])
def site(request: pytest.FixtureRequest, store: Store, tmp_path: Path) -> Site:
    site = Site(store, tmp_path, request.param)
    assert site.load()["imported"] == len(site.records)
    return site


def test_unchanged_reimport_keeps_every_link(site: Site) -> None:
    links, stories = site.links(), list(site.store.all_stories())
    assert site.load() == {"imported": 0, "updated": 0, "unchanged": len(site.records), "duplicates": 0,
                           "invalid": 0}
    assert site.links() == links and list(site.store.all_stories()) == stories


def test_edited_report_leaves_its_event_for_the_one_it_now_reports(site: Site) -> None:
    event = [r["url"] for r in _group(EVENT)]
    other = [r["url"] for r in _group(OTHER) if r["url"] != _held_out()["url"]]
    old, new = site.story(event[0]), site.story(other[0])
    assert {site.story(u) for u in event} == {old} and {site.story(u) for u in other} == {new} and old != new
    moved = next(u for u in event[1:] if site.store.get_article(u).copy_of is None)
    before = (site.store.get_story(old).article_count, site.store.get_story(new).article_count)
    held = _held_out()
    assert site.edit(moved, held["title"], held["content"])["updated"] == 1
    assert site.story(moved) == new and site.store.get_article(moved).copy_of is None
    assert site.store.get_story(old).article_count == before[0] - 1
    assert site.store.get_story(new).article_count == before[1] + 1
    assert {site.story(u) for u in event if u != moved} == {old}
    _consistent(site.store)


def test_copy_whose_text_becomes_distinct_stops_being_a_copy(site: Site) -> None:
    first, *copies = [r["url"] for r in _group(WIRE)]
    wire = site.story(first)
    assert all(site.store.get_article(c).copy_of == first for c in copies)
    held = _held_out()
    site.edit(copies[1], held["title"], held["content"])
    edited = site.store.get_article(copies[1])
    assert edited.copy_of is None and edited.story_id != wire
    kept = sorted(a.article.url for a in site.store.copies_of(site.store.get_article(first).id))
    assert kept == sorted(u for u in copies if u != copies[1])
    assert site.store.get_story(wire).article_count == len(copies)
    _consistent(site.store)


def test_changed_canonical_hands_its_copies_to_the_oldest_copy(site: Site) -> None:
    first, *copies = [r["url"] for r in _group(WIRE)]
    wire = site.story(first)
    held = _held_out()
    site.edit(first, held["title"], held["content"])
    heir = site.store.get_article(copies[0])
    assert heir.copy_of is None and heir.story_id == wire  # the wire story keeps its id and page
    assert [site.store.get_article(c).copy_of for c in copies[1:]] == [copies[0]] * len(copies[1:])
    assert {site.story(c) for c in copies} == {wire} and site.store.get_story(wire).article_count == len(copies)
    changed = site.store.get_article(first)
    assert changed.copy_of is None and changed.story_id != wire and site.store.copies_of(changed.id) == []
    _consistent(site.store)


def test_corrected_canonical_keeps_its_copies_and_story(site: Site) -> None:
    wire = _group(WIRE)
    first, copies = wire[0], [r["url"] for r in wire[1:]]
    story = site.story(first["url"])
    corrected = first["content"].replace("الدفاع المدني", "المديرية العامة للدفاع المدني", 1)
    assert corrected != first["content"]
    assert site.edit(first["url"], first["title"], corrected)["updated"] == 1
    assert site.store.get_article(first["url"]).story_id == story
    assert all(site.store.get_article(c).copy_of == first["url"] for c in copies)
    assert site.store.get_story(story).article_count == len(wire)
    _consistent(site.store)
