"""Feeds in every format Khabar reads, built at test time from REAL articles.

ANT multi-source records (Apache-2.0) become RSS 2.0, Atom, RDF, JSON Feed,
sitemaps and Google News sitemaps; SaudiNewsNet (research-only) is used for
volume and never written into the repo.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from itertools import islice

from realdata import ANT, SAUDI, iter_jsonl

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rss1": "http://purl.org/rss/1.0/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
for _prefix, _uri in NS.items():
    ET.register_namespace("" if _prefix in ("atom", "sm") else _prefix, _uri)


@dataclass(frozen=True)
class Item:
    url: str
    title: str
    published: datetime  # UTC
    author: str
    summary: str
    updated: datetime | None = None  # UTC; the feed's last-modified time for the entry, when given


def ant_items(n: int = 20) -> list[Item]:
    """The first ``n`` ANT articles with a distinct URL, a title and a date."""
    items: dict[str, Item] = {}
    for r in iter_jsonl(ANT):
        if r.get("url") and r.get("title") and r.get("time") and r["url"] not in items:
            when = parsedate_to_datetime(r["time"]).astimezone(UTC)
            summary = (r.get("abstract") or r.get("text") or "")[:300]
            items[r["url"]] = Item(r["url"], r["title"].strip(), when, (r.get("author") or "").strip(), summary)
            if len(items) == n:
                break
    return list(items.values())


def saudi_items(n: int = 300) -> list[Item]:
    """``n`` SaudiNewsNet articles (dates from date_extracted, UTC)."""
    out = []
    for r in islice(iter_jsonl(SAUDI), n):
        when = datetime.fromisoformat(r["date_extracted"]).replace(tzinfo=UTC)
        out.append(Item(r["url"], r["title"].strip(), when, (r.get("author") or "").strip(), r["content"][:300]))
    return out


def _sub(parent: ET.Element, tag: str, text: str = "", **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrs)
    el.text = text or None
    return el


def _xml(root: ET.Element) -> bytes:
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def rss20(items: list[Item], title: str = "أخبار خبر") -> bytes:
    rss = ET.Element("rss", version="2.0")
    ch = _sub(rss, "channel")
    _sub(ch, "title", title)
    _sub(ch, "link", "http://news.example/")
    _sub(ch, "description", "آخر الأخبار")
    for it in items:
        el = _sub(ch, "item")
        _sub(el, "title", it.title)
        _sub(el, "link", it.url)
        _sub(el, "guid", it.url, isPermaLink="true")
        _sub(el, "pubDate", format_datetime(it.published))
        _sub(el, "description", it.summary)
        _sub(el, f"{{{NS['dc']}}}creator", it.author)
    return _xml(rss)


def atom(items: list[Item], title: str = "أخبار خبر") -> bytes:
    a = NS["atom"]
    feed = ET.Element(f"{{{a}}}feed")
    _sub(feed, f"{{{a}}}title", title)
    _sub(feed, f"{{{a}}}id", "urn:khabar:test")
    _sub(feed, f"{{{a}}}updated", items[0].published.isoformat())
    _sub(feed, f"{{{a}}}link", href="http://news.example/", rel="alternate")
    for it in items:
        e = _sub(feed, f"{{{a}}}entry")
        _sub(e, f"{{{a}}}title", it.title)
        _sub(e, f"{{{a}}}id", it.url)
        _sub(e, f"{{{a}}}link", href=it.url, rel="alternate")
        _sub(e, f"{{{a}}}published", it.published.isoformat())
        _sub(e, f"{{{a}}}updated", (it.updated or it.published).isoformat())
        _sub(_sub(e, f"{{{a}}}author"), f"{{{a}}}name", it.author or "-")
        _sub(e, f"{{{a}}}summary", it.summary)
    return _xml(feed)


def rdf(items: list[Item], title: str = "أخبار خبر") -> bytes:
    r, s, dc = NS["rdf"], NS["rss1"], NS["dc"]
    root = ET.Element(f"{{{r}}}RDF")
    ch = _sub(root, f"{{{s}}}channel", **{f"{{{r}}}about": "http://news.example/"})
    _sub(ch, f"{{{s}}}title", title)
    _sub(ch, f"{{{s}}}link", "http://news.example/")
    seq = _sub(_sub(ch, f"{{{s}}}items"), f"{{{r}}}Seq")
    for it in items:
        _sub(seq, f"{{{r}}}li", **{f"{{{r}}}resource": it.url})
    for it in items:
        el = _sub(root, f"{{{s}}}item", **{f"{{{r}}}about": it.url})
        _sub(el, f"{{{s}}}title", it.title)
        _sub(el, f"{{{s}}}link", it.url)
        _sub(el, f"{{{s}}}description", it.summary)
        _sub(el, f"{{{dc}}}date", it.published.isoformat())
        _sub(el, f"{{{dc}}}creator", it.author)
    return _xml(root)


def json_feed(items: list[Item], title: str = "أخبار خبر") -> bytes:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": "http://news.example/",
        "items": [
            {
                "id": it.url,
                "url": it.url,
                "title": it.title,
                "summary": it.summary,
                "date_published": it.published.isoformat(),
                **({"date_modified": it.updated.isoformat()} if it.updated else {}),
                "authors": [{"name": it.author}] if it.author else [],
            }
            for it in items
        ],
    }
    return json.dumps(feed, ensure_ascii=False).encode("utf-8")


def sitemap(items: list[Item], news: bool = False, publication: str = "العربية") -> bytes:
    sm, nw = NS["sm"], NS["news"]
    root = ET.Element(f"{{{sm}}}urlset")
    for it in items:
        u = _sub(root, f"{{{sm}}}url")
        _sub(u, f"{{{sm}}}loc", it.url)
        _sub(u, f"{{{sm}}}lastmod", (it.updated or it.published).isoformat())
        if news:
            n = _sub(u, f"{{{nw}}}news")
            pub = _sub(n, f"{{{nw}}}publication")
            _sub(pub, f"{{{nw}}}name", publication)
            _sub(pub, f"{{{nw}}}language", "ar")
            _sub(n, f"{{{nw}}}publication_date", it.published.isoformat())
            _sub(n, f"{{{nw}}}title", it.title)
    return _xml(root)


def sitemap_index(urls: list[str]) -> bytes:
    sm = NS["sm"]
    root = ET.Element(f"{{{sm}}}sitemapindex")
    for url in urls:
        s = _sub(root, f"{{{sm}}}sitemap")
        _sub(s, f"{{{sm}}}loc", url)
        _sub(s, f"{{{sm}}}lastmod", "2018-02-18")
    return _xml(root)


def billion_laughs() -> bytes:
    """The classic entity-expansion bomb, wrapped in an RSS 2.0 channel (~1 GB if expanded)."""
    ents = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    ]
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [\n' + "\n".join(ents) + "\n]>\n"
        '<rss version="2.0"><channel><title>&lol9;</title>'
        "<item><title>&lol9;</title><link>http://news.example/a</link></item></channel></rss>"
    ).encode()


MALFORMED = b'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>\xd8\xae\xd8\xa8\xd8\xb1</title></chanel></rss'
