"""Every page computed once as plain data; the app renders it as HTML or JSON.

Functions here read the store through its interface only: no SQL, no HTTP.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from khabar.model import Filters
from khabar.search import search
from khabar.sections import SECTIONS, section_name
from khabar.settings import Settings
from khabar.shapes import article_json, article_summary_json, hit_json
from khabar.storage.base import Store
from khabar.storage.rows import tag_key


@dataclass(frozen=True)
class Page:
    template: str
    data: dict[str, Any]
    status: int = 200


def _pager(page: int, size: int, shown: int, total: int | None = None) -> dict[str, Any]:
    has_next = shown == size if total is None else page * size < total
    return {"page": page, "page_size": size, "has_next": has_next, "has_prev": page > 1, "total": total}


def _nav(store: Store) -> dict[str, Any]:
    present = dict(store.sections())
    return {
        "sections": [{"id": s, "name": n, "count": present[s]} for s, n in SECTIONS.items() if s in present]
    }


def listing_page(
    store: Store, settings: Settings, page: int, filters: Filters | None, title: str, kind: str
) -> Page:
    """Home and the section/source/tag pages: newest articles first."""
    size = settings.page_size
    articles = store.latest(size, (page - 1) * size, filters)
    total = store.count_articles(filters)
    data = {
        "kind": kind,
        "title": title,
        "articles": [article_summary_json(a) | {"id": a.id} for a in articles],
        **_pager(page, size, len(articles), total),
        "nav": _nav(store),
    }
    return Page("listing.html", data, 200 if articles or page == 1 else 404)


def home_page(store: Store, settings: Settings, page: int = 1) -> Page:
    return listing_page(store, settings, page, None, "آخر الأخبار", "home")


def section_page(store: Store, settings: Settings, section: str, page: int = 1) -> Page:
    return listing_page(store, settings, page, Filters(section=section), section_name(section), "section")


def source_page(store: Store, settings: Settings, source: str, page: int = 1) -> Page:
    return listing_page(store, settings, page, Filters(source=source), source, "source")


def tag_page(store: Store, settings: Settings, tag: str, page: int = 1) -> Page:
    return listing_page(store, settings, page, Filters(tag=tag_key(tag)), tag, "tag")


def sources_page(store: Store, settings: Settings) -> Page:
    sources = [{"name": s.name, "articles": s.articles} for s in store.sources()]
    return Page("sources.html", {"title": "المصادر", "sources": sources, "nav": _nav(store)})


def article_page(store: Store, settings: Settings, article_id: int) -> Page:
    found = store.get_articles([article_id])
    if not found:
        return not_found(store, "لم نجد هذا الخبر")
    data = article_json(found[0]) | {"section_name": section_name(found[0].article.section)}
    return Page("article.html", {"article": data, "title": data["title"], "nav": _nav(store)})


def search_page(store: Store, settings: Settings, q: str, page: int = 1) -> Page:
    size = settings.page_size
    hits = search(store, q, limit=size, offset=(page - 1) * size) if q.strip() else []
    results = [hit_json(h) | {"id": h.article.id} for h in hits]
    data = {"title": f"بحث: {q}" if q else "بحث", "q": q, "results": results, **_pager(page, size, len(hits))}
    return Page("search.html", data | {"nav": _nav(store)})


def not_found(store: Store, message: str) -> Page:
    return Page("error.html", {"title": "غير موجود", "message": message, "nav": _nav(store)}, 404)
