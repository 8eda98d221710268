"""Parse a fetched feed into entries: RSS 0.9x/2.0, Atom, RDF, JSON Feed and sitemaps.

RSS, Atom and RDF go through feedparser; JSON Feed through ``json``; sitemaps,
sitemap indexes and Google News sitemaps through the guarded lxml parser of
:mod:`khabar.ingest.xmlsafe`. Every XML document first passes the entity guard,
so a billion-laughs feed is refused in microseconds instead of being expanded.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser

from khabar.ingest.xmlsafe import MalformedXML, UnsafeXML, local_name, namespace, parse_xml, sniff_root

NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
SITEMAP_ROOTS = frozenset({"urlset", "sitemapindex"})


class FeedError(ValueError):
    """The document is not a feed Khabar can read; the message says why."""


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed (or one URL of a sitemap)."""

    url: str
    title: str = ""
    published_at: datetime | None = None  # UTC
    summary: str = ""
    author: str = ""
    guid: str = ""
    updated_at: datetime | None = None  # UTC; a later one than the stored article's fetch means "re-fetch"


@dataclass
class ParsedFeed:
    """A parsed feed. ``kind``: rss, atom, rdf, jsonfeed, sitemap, news-sitemap or sitemapindex.

    For a sitemap index the entries are the child sitemaps to fetch next."""

    title: str = ""
    site_url: str = ""
    entries: list[FeedEntry] = field(default_factory=list)
    kind: str = ""


def parse_feed(body: bytes | str, url: str, content_type: str | None = None) -> ParsedFeed:
    """Parse ``body`` fetched from ``url``; raises :class:`FeedError` when it is not a readable feed."""
    # Always bytes: feedparser treats a str that looks like a URL or path as something to open.
    data = body.encode("utf-8") if isinstance(body, str) else body
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:1] == b"{":
        return _parse_json_feed(head, url)
    try:
        root = sniff_root(data)
    except UnsafeXML as exc:
        raise FeedError(f"{exc} [{url}]") from None
    if root and root[1] in SITEMAP_ROOTS:
        return _parse_sitemap(data, url)
    return _parse_with_feedparser(data, url, content_type)


def _parse_with_feedparser(data: bytes, url: str, content_type: str | None) -> ParsedFeed:
    # Only a header charset is worth passing on: a bare text/xml would make feedparser assume
    # us-ascii, and no content-type at all marks every feed bozo.
    has_charset = content_type and "charset=" in content_type.lower()
    content_type = content_type if has_charset else "application/xml"
    if _is_multibyte_utf8(data):  # a header or XML declaration saying windows-1256 would give mojibake
        content_type = "application/xml; charset=utf-8"
    headers = {"content-location": url, "content-type": content_type}
    d = feedparser.parse(data, response_headers=headers)
    if not d.entries and (d.bozo or not d.get("version")):
        why = d.get("bozo_exception") or "no RSS, Atom or RDF root element"
        raise FeedError(f"not a readable feed: {why} [{url}]")
    entries = [e for e in (_feedparser_entry(item, url) for item in d.entries) if e is not None]
    feed = d.feed
    return ParsedFeed(
        title=(feed.get("title") or "").strip(),
        site_url=feed.get("link") or "",
        entries=entries,
        kind=_kind(d.get("version", "")),
    )


def _is_multibyte_utf8(data: bytes) -> bool:
    """True for valid UTF-8 with non-ASCII bytes: legacy single-byte Arabic text essentially never is."""
    if not any(b > 0x7F for b in data[:65536]):
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _kind(version: str) -> str:
    """Khabar's family name for feedparser's version string."""
    if version in ("rss090", "rss10"):
        return "rdf"
    if version.startswith("atom"):
        return "atom"
    return "rss" if version.startswith("rss") else (version or "unknown")


def _feedparser_entry(item: Any, base: str) -> FeedEntry | None:
    """A FeedEntry from a feedparser entry; None when it has no usable link."""
    guid = (item.get("id") or "").strip()
    link = (item.get("link") or "").strip()
    if not link and guid.startswith(("http://", "https://")):
        link = guid  # RSS <guid isPermaLink> without <link>
    if not link:
        return None
    stamp = item.get("published_parsed") or item.get("updated_parsed") or item.get("created_parsed")
    return FeedEntry(
        url=urljoin(base, link),
        title=(item.get("title") or "").strip(),
        published_at=_from_struct(stamp),
        summary=(item.get("summary") or "").strip(),
        author=(item.get("author") or "").strip(),
        guid=guid or link,
        updated_at=_from_struct(dict.get(item, "updated_parsed")),  # not feedparser's fallback to published
    )


def _from_struct(stamp: time.struct_time | None) -> datetime | None:
    """feedparser's parsed dates are UTC struct_times."""
    return datetime(*stamp[:6], tzinfo=UTC) if stamp else None


def parse_w3c_date(value: object) -> datetime | None:
    """A W3C/RFC 3339 datetime (or date) as UTC; naive values are taken as UTC."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        dt = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def _parse_json_feed(data: bytes, url: str) -> ParsedFeed:
    """JSON Feed 1.0/1.1 (https://jsonfeed.org/version/1.1)."""
    try:
        obj = json.loads(data)
    except ValueError as exc:
        raise FeedError(f"malformed JSON feed: {exc} [{url}]") from None
    if not isinstance(obj, dict) or "jsonfeed.org/version" not in str(obj.get("version", "")):
        raise FeedError(f"JSON document is not a JSON Feed (no jsonfeed.org version) [{url}]")
    items = obj.get("items")
    if not isinstance(items, list):
        raise FeedError(f"JSON Feed without an items list [{url}]")
    entries = [e for e in (_json_entry(it, url) for it in items if isinstance(it, dict)) if e is not None]
    return ParsedFeed(
        title=str(obj.get("title") or "").strip(),
        site_url=str(obj.get("home_page_url") or ""),
        entries=entries,
        kind="jsonfeed",
    )


def _json_entry(item: dict[str, Any], base: str) -> FeedEntry | None:
    link = str(item.get("url") or item.get("external_url") or "").strip()
    if not link:
        return None
    authors = item.get("authors") or ([item["author"]] if isinstance(item.get("author"), dict) else [])
    author = next((str(a.get("name", "")) for a in authors if isinstance(a, dict) and a.get("name")), "")
    return FeedEntry(
        url=urljoin(base, link),
        title=str(item.get("title") or "").strip(),
        published_at=parse_w3c_date(item.get("date_published") or item.get("date_modified")),
        summary=str(item.get("summary") or item.get("content_text") or item.get("content_html") or "").strip(),
        author=author.strip(),
        guid=str(item.get("id") or link),
        updated_at=parse_w3c_date(item.get("date_modified")),
    )


def _parse_sitemap(data: bytes, url: str) -> ParsedFeed:
    """A sitemap (``urlset``, maybe with ``<news:news>``) or a sitemap index."""
    try:
        root = parse_xml(data)
    except (UnsafeXML, MalformedXML) as exc:
        raise FeedError(f"{exc} [{url}]") from None
    is_index = local_name(root) == "sitemapindex"
    entries, publication = [], ""
    for node in root:
        if local_name(node) not in ("url", "sitemap"):
            continue
        entry, name = _sitemap_entry(node, url)
        if entry is not None:
            entries.append(entry)
            publication = publication or name
    has_news = any(e.title for e in entries)
    kind = "sitemapindex" if is_index else ("news-sitemap" if has_news else "sitemap")
    return ParsedFeed(title=publication, site_url="", entries=entries, kind=kind)


def _child(el: Any, name: str, ns: str | None = None) -> Any:
    """The first child element called ``name`` (in ``ns`` when given), or None."""
    for child in el:
        if local_name(child) == name and (ns is None or namespace(child) == ns):
            return child
    return None


def _text(el: Any) -> str:
    return (el.text or "").strip() if el is not None else ""


def _sitemap_entry(node: Any, base: str) -> tuple[FeedEntry | None, str]:
    """(entry, publication name) for one ``<url>`` or ``<sitemap>``."""
    loc = _text(_child(node, "loc"))
    if not loc:
        return None, ""
    news = _child(node, "news", NEWS_NS)
    published = modified = parse_w3c_date(_text(_child(node, "lastmod")))
    title, publication = "", ""
    if news is not None:
        title = _text(_child(news, "title", NEWS_NS))
        published = parse_w3c_date(_text(_child(news, "publication_date", NEWS_NS))) or published
        pub = _child(news, "publication", NEWS_NS)
        publication = _text(_child(pub, "name", NEWS_NS)) if pub is not None else ""
    url = urljoin(base, loc)
    return FeedEntry(url=url, title=title, published_at=published, guid=url, updated_at=modified), publication
