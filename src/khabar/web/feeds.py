"""Atom and RSS renderings of the listing pages: home, sections, sources, tags, stories and search.

A feed is one more renderer of the data a page computed for HTML and JSON (:mod:`khabar.web.pages`):
its entries are the page's articles in the page's order, except on a story page, whose timeline
(every member, oldest first) becomes its newest ``page_size`` members, newest first.

Each entry: ``id`` (RSS ``guid``) is the article's original URL, its identity in Khabar, stable across
stores and hosts; the link is the article page on this site and the original is ``rel="via"`` (an
``atom:link`` in RSS items); ``published`` and ``updated`` are the publication time (Khabar keeps no edit
time); the summary is the lead as plain text; categories are the section and the tags; the outlet is
the entry's ``source`` (name and home page). Titles and summaries use Western digits, as the site does,
and leave out the few characters XML cannot carry. A search feed sorts by date unless asked for
``sort=relevance`` (see ``app.py``). Responses carry an ETag (a hash of the bytes) and Last-Modified
(the newest entry) and answer 304 to a matching conditional GET. A listing of more than one page
carries RFC 5005 paged-feed links (``first``, ``previous``, ``next``, ``last`` when its size is known),
as ``atom:link`` in both formats, so a reader can walk back through an archive.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from feedgen.feed import FeedGenerator

from khabar.web.feed_extensions import EntryExtras, FeedExtras
from khabar.web.filters import counted, western_digits
from khabar.web.pages import Page

MEDIA_TYPES = {"atom": "application/atom+xml; charset=utf-8", "rss": "application/rss+xml; charset=utf-8"}
# The page data a feed lists, by template: article cards, except on the stories page (one entry a story).
ENTRIES = {"listing.html": "articles", "search.html": "results", "story.html": "articles", "stories.html": "stories"}
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # "updated" of a feed without dated entries
TITLE_CHARS = 80  # an untitled article's entry title: the start of its lead
# Characters XML 1.0 cannot carry (lxml refuses them); real texts hold some: \x1a in 92 SaudiNewsNet articles.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class FeedUrls:
    """The absolute addresses a feed refers to."""

    base: str  # the site root, ending in "/"
    self_url: str  # this feed as requested
    page_url: str  # the HTML page (``rel="alternate"``)
    feed_id: str  # the page without page number or format: one id for every page and format
    paging: tuple[tuple[str, str], ...] = ()  # RFC 5005 (rel, address) pairs


def feed_links(request: Request, page: Page) -> dict[str, str]:
    """``{"atom", "rss"}``: site-relative feed addresses for a page's ``<link rel="alternate">`` and
    visible link, or ``{}`` when the page has no feed. A search feed sorts by date (new matches)."""
    if page.template not in ENTRIES or page.status != 200:
        return {}
    search = page.template == "search.html"
    if search and not page.data.get("q"):
        return {}
    drop = ("page", "format", "sort") if search else ("page", "format")
    extra = [("sort", "date")] if search else []
    return {fmt: _address(request, drop, [*extra, ("format", fmt)]) for fmt in MEDIA_TYPES}


def feed_response(request: Request, page: Page, fmt: str, site_name: str, size: int) -> Response:
    """The page as an Atom or RSS document (``fmt``), with ETag and Last-Modified: a request whose
    ``If-None-Match`` (or, without one, ``If-Modified-Since``) matches gets 304 Not Modified.
    A page that is not found gives its status with a JSON ``{"detail"}``, not an empty feed."""
    if page.status != 200 or page.template not in ENTRIES:
        return JSONResponse({"detail": page.data.get("message", "no feed for this page")}, page.status)
    feed, updated = build_feed(page, _feed_urls(request, page), site_name, size)
    body = feed.atom_str() if fmt == "atom" else feed.rss_str()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Last-Modified": format_datetime(updated.astimezone(UTC), usegmt=True)}
    if _not_modified(request, etag, updated):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=MEDIA_TYPES[fmt], headers=headers)


def build_feed(page: Page, urls: FeedUrls, site_name: str, size: int) -> tuple[FeedGenerator, datetime]:
    """The feed of a page (at most ``size`` entries) and its ``updated`` time: the newest entry's."""
    feed = FeedGenerator()
    feed.load_extension("dc", atom=False, rss=True)  # dc:creator: an RSS <author> must be an e-mail address
    feed.register_extension("khabar", FeedExtras, EntryExtras, atom=True, rss=True)
    feed.khabar.paging = urls.paging
    feed.id(urls.feed_id)
    number = page.data.get("page", 1)
    suffix = f" (صفحة {number})" if number > 1 else ""
    feed.title(_text(f"{page.data['title']}{suffix} — {site_name}"))  # as the page's <title>
    feed.subtitle(_subtitle(page, site_name))
    feed.language("ar")
    feed.author(name=site_name)
    feed.generator("Khabar")
    feed.link(href=urls.self_url, rel="self")
    feed.link(href=urls.page_url, rel="alternate", type="text/html")
    add = _add_story_entry if page.template == "stories.html" else _add_entry
    updated = max((add(feed, card, urls) for card in entry_cards(page, size)), default=EPOCH)
    feed.updated(updated)
    feed.lastBuildDate(updated)  # not "now": the same data gives the same bytes (and ETag)
    return feed, updated


def entry_cards(page: Page, size: int) -> list[dict[str, Any]]:
    """The page's article cards a feed lists, in feed order."""
    cards = page.data.get(ENTRIES.get(page.template, ""), [])
    if page.template == "story.html":
        cards = cards[::-1]  # the timeline, newest first
    return cards[:size]


def _add_entry(feed: FeedGenerator, card: dict[str, Any], urls: FeedUrls) -> datetime:
    """One article as an entry; returns its time (for the feed's ``updated``)."""
    entry = feed.add_entry(order="append")
    card = {k: _clean(v) for k, v in card.items()}
    lead = card.get("lead") or ""
    entry.id(card["url"])
    entry.title(_text(card.get("title") or lead[:TITLE_CHARS] or card["url"]))
    entry.link(href=f"{urls.base}articles/{card['id']}")
    entry.khabar.via = card["url"]
    when = _parse_time(card.get("published_at"))
    if when is not None:
        entry.published(when)
    entry.updated(when or EPOCH)
    if lead:
        entry.summary(_text(lead))
    if card.get("author"):
        entry.author(name=card["author"])
        entry.dc.dc_creator(card["author"])
    if card.get("section"):
        entry.category(
            term=card["section"], label=card.get("section_name") or card["section"], scheme=f"{urls.base}sections/"
        )
    for tag in card.get("tags") or []:
        entry.category(term=tag, label=tag, scheme=f"{urls.base}tags/")
    if card.get("source"):
        entry.source(url=_home(card["url"]), title=card["source"])
    return when or EPOCH


def _add_story_entry(feed: FeedGenerator, card: dict[str, Any], urls: FeedUrls) -> datetime:
    """One story as an entry: its page here is its id and link; it is updated whenever it gains an article
    (a reader shows it again), and its summary names its outlets and newest headlines."""
    entry = feed.add_entry(order="append")
    card = {k: _clean(v) for k, v in card.items()}
    page = f"{urls.base}stories/{card['id']}"
    entry.id(page)
    entry.title(_text(card["headline"]))
    entry.link(href=page)
    first, last = _parse_time(card.get("first_seen")), _parse_time(card.get("last_updated"))
    if first is not None:
        entry.published(first)
    entry.updated(last or first or EPOCH)
    counts = f"{counted(card['outlet_count'], 'outlet')}، {counted(card['article_count'], 'article')}"
    counts += ": " + "، ".join(card.get("outlets") or [])
    entry.summary(_text(" — ".join([counts, *(a["title"] for a in card.get("articles") or [])])))
    return last or first or EPOCH


def _subtitle(page: Page, site_name: str) -> str:
    """The feed's description in Arabic, by kind of page."""
    title, kind = page.data["title"], page.data.get("kind") or page.template.removesuffix(".html")
    return _text(
        {
            "home": f"آخر الأخبار العربية من مصادر متعددة على {site_name}",
            "section": f"آخر أخبار قسم {title}",
            "source": f"آخر أخبار {title}",
            "tag": f"آخر الأخبار عن «{title}»",
            "story": f"آخر تطورات القصة: {title}",
            "stories": f"القصص التي غطتها عدة مصادر على {site_name}",
            "search": f"نتائج البحث عن «{page.data.get('q', '')}»",
        }.get(kind, title)
    )


def _feed_urls(request: Request, page: Page) -> FeedUrls:
    """A search page's own query string (``query_prefix``) names its sort, which a feed may have
    chosen by default; other pages are addressed by the request without ``format``."""
    root = str(request.base_url)
    site = root.rstrip("/")
    paging = tuple((rel, site + _address(request, ("page",), [("page", str(n))] if n > 1 else []))
                   for rel, n in _paging(page))
    if "query_prefix" not in page.data:
        return FeedUrls(
            root,
            site + _address(request, ()),
            site + _address(request, ("format",)),
            site + _address(request, ("page", "format")),
            paging,
        )
    search = site + quote(request.url.path) + "?" + page.data["query_prefix"].rstrip("&")
    number = page.data.get("page", 1)
    return FeedUrls(root, site + _address(request, ()), search + (f"&page={number}" if number > 1 else ""), search,
                    paging)


def _paging(page: Page) -> list[tuple[str, int]]:
    """RFC 5005 §3 links of a paged listing as (rel, page number); none for a single page."""
    data = page.data
    number, has_next, has_prev = data.get("page", 1), data.get("has_next"), data.get("has_prev")
    if not (has_next or has_prev):
        return []
    links = [("first", 1)] + ([("previous", number - 1)] if has_prev else [])
    links += [("next", number + 1)] if has_next else []
    return links + ([("last", data["pages"])] if data.get("pages") else [])


def _address(request: Request, drop: tuple[str, ...], add: list[tuple[str, str]] | None = None) -> str:
    """Site-relative address of this request without the ``drop`` parameters, plus ``add``."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in drop] + (add or [])
    path = quote(request.url.path)  # the path arrives decoded (Arabic tags and outlet names)
    return path + ("?" + urlencode(kept) if kept else "")


def _text(text: str) -> str:
    """Text as the site shows it (Western digits), without characters XML cannot carry."""
    return XML_INVALID.sub("", str(western_digits(text))).strip()


def _clean(value: Any) -> Any:
    """A card value without characters XML cannot carry (strings and lists of strings)."""
    if isinstance(value, str):
        return XML_INVALID.sub("", value)
    return [_clean(v) for v in value] if isinstance(value, list) else value


def _parse_time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def _home(url: str) -> str:
    """The outlet's home page, from the article's address (``http://www.bbc.co.uk/``)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/" if parts.scheme and parts.netloc else url


def _not_modified(request: Request, etag: str, updated: datetime) -> bool:
    """RFC 9110 §13.1: If-None-Match (weak comparison) takes precedence over If-Modified-Since."""
    match = request.headers.get("if-none-match")
    if match is not None:
        tags = {t.strip().removeprefix("W/") for t in match.split(",")}
        return "*" in tags or etag in tags
    since = request.headers.get("if-modified-since")
    if not since:
        return False
    try:
        when = parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False
    return updated.replace(microsecond=0) <= (when if when.tzinfo else when.replace(tzinfo=UTC))
