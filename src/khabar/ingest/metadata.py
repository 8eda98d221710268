"""Page metadata from JSON-LD, OpenGraph/Twitter/meta tags and a few HTML elements.

Sources are tried most-specific first: JSON-LD (the publisher's own structured
data), then OpenGraph, then generic ``<meta>``/``<link>`` tags, then the
document itself (``<h1>``, ``<title>``, ``<time>``). The publication date also
falls back to a date in the URL and to an Arabic date in the page text near a
"published" cue (see :mod:`khabar.ingest.dates`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urljoin

from lxml.html import HtmlElement

from khabar.arabic.normalize import normalize_display, normalize_search
from khabar.ingest.dates import parse_arabic_date

_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "blogposting", "webpage", "analysisnewsarticle"}
_DATE_KEYS = ("article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
              "publish-date", "publish_date", "date", "dc.date", "dc.date.issued", "sailthru.date")  # fmt: skip
_URL_DATE = re.compile(r"/(20\d{2}|19\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|$|-)")
# "published" cues before a running-text date: نشر / تاريخ النشر / تم نشره.
_PUBLISHED_CUE = re.compile(r"(?:نشر|النشر|نشره|بتاريخ)")
_TITLE_SEP = re.compile(r"\s+[|\-–—]\s+")


@dataclass
class Metadata:
    """What the page says about itself."""

    title: str = ""
    author: str = ""
    canonical_url: str = ""
    site_name: str = ""
    image: str = ""
    description: str = ""
    published_at: datetime | None = None
    language: str = ""


def _metas(tree: HtmlElement) -> dict[str, str]:
    """Lower-cased ``property``/``name``/``itemprop`` -> first non-empty content."""
    out: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        value = (el.get("content") or "").strip()
        if key and value and key not in out:
            out[key] = value
    return out


def _jsonld(tree: HtmlElement) -> dict[str, Any]:
    """The first article-like JSON-LD object (flattening lists and @graph)."""
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except (ValueError, TypeError):
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if not isinstance(item, dict):
                continue
            stack.extend(item.get("@graph", []) if isinstance(item.get("@graph"), list) else [])
            kind = item.get("@type", "")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(str(k).lower() in _ARTICLE_TYPES for k in kinds) and (item.get("headline") or item.get("name")):
                return item
    return {}


def _name(value: Any) -> str:
    """A person/organization name from a JSON-LD value (str, dict or list)."""
    if isinstance(value, list):
        return "، ".join(n for n in (_name(v) for v in value) if n)
    if isinstance(value, dict):
        return str(value.get("name") or "")
    return str(value or "")


def _image(value: Any) -> str:
    if isinstance(value, list):
        return _image(value[0]) if value else ""
    if isinstance(value, dict):
        return str(value.get("url") or "")
    return str(value or "")


def _first(*values: Any) -> str:
    for v in values:
        if v and isinstance(v, str) and v.strip():
            return normalize_display(v).strip()
    return ""


def _clean_title(title: str, site_name: str, page_title: str) -> str:
    """Drop a site-name segment from either edge of a title ("X - اليوم السابع").

    The site name is ``og:site_name`` or the short edge segment of ``<title>``."""
    names = {normalize_search(site_name)} if site_name else set()
    segments = _TITLE_SEP.split(page_title)
    if len(segments) > 1:
        names.add(normalize_search(min(segments[0], segments[-1], key=len)))
    parts = _TITLE_SEP.split(title)
    if len(parts) > 1 and normalize_search(parts[-1]) in names:
        parts = parts[:-1]
    if len(parts) > 1 and normalize_search(parts[0]) in names:
        parts = parts[1:]
    return " - ".join(parts)


def _page_title(tree: HtmlElement) -> str:
    """``<h1>`` when there is exactly one, else ``<title>`` without its site-name part."""
    h1 = [" ".join(h.text_content().split()) for h in tree.iter("h1")]
    h1 = [h for h in h1 if h]
    if len(h1) == 1:
        return h1[0]
    title = " ".join((tree.findtext(".//title") or "").split())
    parts = _TITLE_SEP.split(title)
    return max(parts, key=len) if len(parts) > 1 else title


def extract_metadata(tree: HtmlElement, url: str | None = None, now: datetime | None = None) -> Metadata:
    """Title, author, canonical URL, site name, image, description, date and language of a page."""
    meta, ld = _metas(tree), _jsonld(tree)
    canonical = tree.xpath('string(//link[@rel="canonical"]/@href)')
    image = _first(meta.get("og:image"), meta.get("twitter:image"), _image(ld.get("image")))
    author = _first(_name(ld.get("author")), meta.get("author"), meta.get("article:author"), meta.get("dc.creator"))
    site_name = _first(meta.get("og:site_name"), _name(ld.get("publisher")), meta.get("application-name"))
    title = _first(meta.get("og:title"), ld.get("headline"), meta.get("twitter:title"), _page_title(tree))
    return Metadata(
        title=_clean_title(title, site_name, " ".join((tree.findtext(".//title") or "").split())),
        author="" if author.startswith("http") else author,
        canonical_url=_absolute(_first(canonical, meta.get("og:url")), url),
        site_name=site_name,
        image=_absolute(image, url),
        description=_first(meta.get("og:description"), meta.get("description"), ld.get("description")),
        published_at=published_date(tree, meta, ld, url, now),
        language=(tree.get("lang") or meta.get("og:locale") or "").split("-")[0].split("_")[0].lower(),
    )


def _absolute(link: str, base: str | None) -> str:
    return urljoin(base, link) if link and base else link


def published_date(
    tree: HtmlElement, meta: dict[str, str], ld: dict[str, Any], url: str | None, now: datetime | None = None
) -> datetime | None:
    """The publication date: JSON-LD, meta tags, ``<time>``, the URL, then a cued date in the text.

    Relative dates ("منذ 3 ساعات") count only when the fetch time ``now`` is known."""
    candidates = [ld.get("datePublished"), *(meta.get(k) for k in _DATE_KEYS)]
    candidates += tree.xpath('//*[@itemprop="datePublished"]/@content | //time/@datetime')
    for value in candidates:
        if isinstance(value, str) and (found := parse_arabic_date(value, now, relative=now is not None)):
            return found
    for link in (url, tree.xpath('string(//link[@rel="canonical"]/@href)')):
        m = _URL_DATE.search(link or "")
        if m:
            try:
                return datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                pass
    return _text_date(tree, now)


def _text_date(tree: HtmlElement, now: datetime | None) -> datetime | None:
    """An Arabic date in a short text node that carries a "published" cue."""
    body = tree.find("body")
    for text in body.itertext() if body is not None else ():
        if len(text) < 120 and _PUBLISHED_CUE.search(text):
            found = parse_arabic_date(text, now, relative=now is not None)
            if found:
                return found
    return None
