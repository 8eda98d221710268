"""Fetch a page's feed and its JSON over HTTP, parse the feed with feedparser, compare the two."""

from __future__ import annotations

import calendar
import html
import re
from datetime import datetime
from typing import Any

import feedparser
import httpx
from web_helpers import shown

# What XML 1.0 cannot carry (its Char production): a feed leaves these characters out.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
MEDIA_TYPES = {"atom": "application/atom+xml; charset=utf-8", "rss": "application/rss+xml; charset=utf-8"}


def fetch_feed(client: httpx.Client, path: str, fmt: str, **params: str) -> tuple[httpx.Response, Any]:
    """GET ``path`` as ``fmt``: the response (checked 200 and its content type) and the parsed feed
    (checked well-formed: feedparser sets ``bozo`` on any XML or encoding error)."""
    r = client.get(path, params={**params, "format": fmt})
    assert r.status_code == 200, r.text[:300]
    assert r.headers["content-type"] == MEDIA_TYPES[fmt]
    parsed = feedparser.parse(r.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == ("atom10" if fmt == "atom" else "rss20")
    return r, parsed


def epoch(stamp: str) -> int:
    """'2018-05-09T08:44:00Z' → seconds since 1970 (what feedparser's ``*_parsed`` times give)."""
    return int(datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp())


def parsed_epoch(entry_or_feed: Any, key: str) -> int:
    return calendar.timegm(entry_or_feed[key + "_parsed"])


def link(entry: Any, rel: str) -> str | None:
    """The href of an entry's (or feed's) first link with relation ``rel``."""
    return next((x["href"] for x in entry.get("links", []) if x.get("rel") == rel), None)


def _as_shown(text: str) -> str:
    return NOT_XML.sub("", shown(text)).strip()


def assert_entries_match(base: str, parsed: Any, cards: list[dict[str, Any]]) -> None:
    """The feed lists exactly these article cards, in this order, with their id, title, links, time,
    summary, outlet, author and categories."""
    entries = parsed.entries
    assert [e.link for e in entries] == [f"{base}/articles/{c['id']}" for c in cards]
    for entry, card in zip(entries, cards, strict=True):
        assert entry.id == card["url"] and link(entry, "via") == card["url"]
        assert entry.title == _as_shown(card["title"])
        assert parsed_epoch(entry, "published") == epoch(card["published_at"])
        if parsed.version == "atom10":  # (RSS items have no updated time)
            assert parsed_epoch(entry, "updated") == epoch(card["published_at"])
        assert html.unescape(entry.get("summary", "")) == _as_shown(card["lead"])
        assert entry.source.title == card["source"]
        assert entry.get("author") == (card["author"] or None)
        terms = [t.term for t in entry.get("tags", [])]
        section = card["section_name"] if parsed.version == "rss20" else card["section"]
        assert terms == ([section, *card["tags"]] if card["section"] else card["tags"])
        # (RSS shows the section's Arabic name; Atom its id as term and the name as label)
