"""Every page computed once as plain data; the app renders it as HTML or JSON.

Functions here read the store through its interface only: no SQL, no HTTP.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from khabar.model import Filters, StoredArticle
from khabar.search import search
from khabar.sections import SECTIONS, section_name
from khabar.settings import Settings
from khabar.shapes import article_json, article_summary_json, hit_json
from khabar.storage.base import Store
from khabar.storage.rows import tag_key, to_utc_text

MORE_COUNT = 5  # "more from this section" under an article
DESCRIPTION_CHARS = 200


@dataclass(frozen=True)
class Page:
    """A page as data: the template to render it with, its data and HTTP status."""

    template: str
    data: dict[str, Any]
    status: int = 200


def _pager(page: int, size: int, shown: int, total: int | None = None) -> dict[str, Any]:
    has_next = shown == size if total is None else page * size < total
    pages = None if total is None else max(1, -(-total // size))
    return {
        "page": page,
        "page_size": size,
        "has_next": has_next,
        "has_prev": page > 1,
        "total": total,
        "pages": pages,
    }


def _nav(store: Store, active: str = "") -> dict[str, Any]:
    """Site navigation (HTML only, never in JSON): sections with counts, top outlets."""
    present = dict(store.sections())
    sections = [{"id": s, "name": n, "count": present[s]} for s, n in SECTIONS.items() if s in present]
    sources = [{"name": s.name, "articles": s.articles} for s in store.sources()[:8]]
    return {"sections": sections, "sources": sources, "active": active}


def _summary(stored: StoredArticle) -> dict[str, Any]:
    """An article card: the public summary shape plus id and section name."""
    return article_summary_json(stored) | {"id": stored.id, "section_name": section_name(stored.article.section)}


def listing_page(store: Store, settings: Settings, page: int, filters: Filters | None, title: str, kind: str) -> Page:
    """Home and the section/source/tag pages: newest articles first."""
    size = settings.page_size
    articles = store.latest(size, (page - 1) * size, filters)
    total = store.count_articles(filters)
    data = {
        "kind": kind,
        "title": title,
        "articles": [_summary(a) for a in articles],
        **_pager(page, size, len(articles), total),
        "nav": _nav(store, (filters.section or "") if filters else "home"),
    }
    found = bool(articles) or (page == 1 and kind == "home")  # an empty site still has a home page
    return Page("listing.html", data, 200 if found else 404)


def home_page(store: Store, settings: Settings, page: int = 1) -> Page:
    """Latest articles from every outlet."""
    return listing_page(store, settings, page, None, "آخر الأخبار", "home")


def section_page(store: Store, settings: Settings, section: str, page: int = 1) -> Page:
    """Latest articles of one section (by stable id)."""
    return listing_page(store, settings, page, Filters(section=section), section_name(section), "section")


def source_page(store: Store, settings: Settings, source: str, page: int = 1) -> Page:
    """Latest articles of one outlet."""
    return listing_page(store, settings, page, Filters(source=source), source, "source")


def tag_page(store: Store, settings: Settings, tag: str, page: int = 1) -> Page:
    """Latest articles carrying one keyword tag."""
    return listing_page(store, settings, page, Filters(tag=tag_key(tag)), tag, "tag")


def sources_page(store: Store, settings: Settings) -> Page:
    """Every outlet with its number of articles, most first."""
    sources = [{"name": s.name, "articles": s.articles, "latest": to_utc_text(s.latest)} for s in store.sources()]
    return Page("sources.html", {"title": "المصادر", "sources": sources, "nav": _nav(store, "sources")})


def _description(stored: StoredArticle) -> str:
    """Text for ``<meta name="description">``: the lead, cut at a word."""
    text = " ".join((stored.article.lead or stored.article.title).split())
    if len(text) <= DESCRIPTION_CHARS:
        return text
    return text[:DESCRIPTION_CHARS].rsplit(" ", 1)[0] + "…"


def _more_from_section(store: Store, stored: StoredArticle) -> list[dict[str, Any]]:
    section = stored.article.section
    if not section:
        return []
    latest = store.latest(MORE_COUNT + 1, 0, Filters(section=section))
    return [_summary(a) for a in latest if a.id != stored.id][:MORE_COUNT]


def article_page(store: Store, settings: Settings, article_id: int) -> Page:
    """One article in full, with a few more from its section."""
    found = store.get_articles([article_id])
    if not found:
        return not_found(store, "لم نجد هذا الخبر")
    stored = found[0]
    data = article_json(stored) | {"section_name": section_name(stored.article.section)}
    page = {
        "article": data,
        "title": data["title"],
        "description": _description(stored),
        "more": _more_from_section(store, stored),
        "nav": _nav(store, stored.article.section),
    }
    return Page("article.html", page)


def search_page(store: Store, settings: Settings, q: str, page: int = 1) -> Page:
    """Ranked search results with highlighted snippets."""
    size = settings.page_size
    hits = search(store, q, limit=size, offset=(page - 1) * size) if q.strip() else []
    results = [hit_json(h) | _summary(h.article) for h in hits]
    data = {"title": f"بحث: {q}" if q else "بحث", "q": q, "results": results, **_pager(page, size, len(hits))}
    return Page("search.html", data | {"nav": _nav(store, "search")})


def not_found(store: Store, message: str) -> Page:
    """The 404 page."""
    return Page("error.html", {"title": "غير موجود", "message": message, "nav": _nav(store)}, 404)
