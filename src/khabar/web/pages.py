"""Every page computed once as plain data; the app renders it as HTML or JSON.

Functions here read the store through its interface only: no SQL, no HTTP.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from khabar.model import Filters, StoredArticle
from khabar.search import search
from khabar.sections import SECTIONS, section_name
from khabar.settings import Settings
from khabar.shapes import article_json, article_summary_json, hit_json
from khabar.storage.base import Store
from khabar.storage.rows import tag_key, to_utc_text

MORE_COUNT = 5  # "more from this section" under an article
ENTITY_TYPES = {"PERS": "شخص", "LOC": "مكان", "ORG": "مؤسسة", "MISC": "أخرى"}
DESCRIPTION_CHARS = 200


@dataclass(frozen=True)
class Semantic:
    """What hybrid search and related articles need beyond the store (both None before ``khabar embed``)."""

    vectors: Any = None
    embedder: Any = None


@dataclass(frozen=True)
class SearchOptions:
    """Search page options from the query string."""

    filters: Filters = field(default_factory=Filters)
    sort: str = "relevance"
    mode: str = "hybrid"
    given: tuple[tuple[str, str], ...] = ()  # the filter values as typed, shown back in the form


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


def _listed(stored: StoredArticle) -> dict[str, Any]:
    """A card on a listing, story or search page: also ``author`` and ``tags`` (what a feed entry shows)."""
    return _summary(stored) | {"author": stored.article.author, "tags": stored.article.tags}


def listing_page(store: Store, settings: Settings, page: int, filters: Filters | None, title: str, kind: str) -> Page:
    """Home and the section/source/tag pages: newest articles first."""
    size = settings.page_size
    articles = store.latest(size, (page - 1) * size, filters)
    total = store.count_articles(filters)
    data = {
        "kind": kind,
        "title": title,
        "articles": [_listed(a) for a in articles],
        **_pager(page, size, len(articles), total),
        "nav": _nav(store, (filters.section or "") if filters else "home"),
    }
    found = bool(articles) or (page == 1 and kind == "home")  # an empty site still has a home page
    return Page("listing.html", data, 200 if found else 404)


def home_page(store: Store, settings: Settings, page: int = 1) -> Page:
    """The hottest stories (first page only), then the latest articles from every outlet, copies left out
    (a wire text is listed once, under its first outlet; its page names the others)."""
    from khabar.web.story_pages import top_stories

    result = listing_page(store, settings, page, Filters(originals=True), "آخر الأخبار", "home")
    result.data["stories"] = top_stories(store) if page == 1 else []
    return result


def section_page(store: Store, settings: Settings, section: str, page: int = 1) -> Page:
    """Latest articles of one section (by stable id), copies left out."""
    filters = Filters(section=section, originals=True)
    return listing_page(store, settings, page, filters, section_name(section), "section")


def source_page(store: Store, settings: Settings, source: str, page: int = 1) -> Page:
    """Latest articles of one outlet."""
    return listing_page(store, settings, page, Filters(source=source), source, "source")


def tag_page(store: Store, settings: Settings, tag: str, page: int = 1) -> Page:
    """Latest articles carrying one keyword tag, copies left out."""
    return listing_page(store, settings, page, Filters(tag=tag_key(tag), originals=True), tag, "tag")


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
    # Copies are left out (a wire text once), and so is this article's own original.
    latest = store.latest(MORE_COUNT + 2, 0, Filters(section=section, originals=True))
    others = [a for a in latest if a.id != stored.id and a.article.url != stored.copy_of]
    return [_summary(a) for a in others][:MORE_COUNT]


def _related(store: Store, stored: StoredArticle, semantic: Semantic) -> dict[str, list[dict[str, Any]]]:
    """``read_also`` (1-3) and ``similar`` (10) cards; empty lists before ``khabar embed``."""
    from khabar.search.related import related

    found = related(store, semantic.vectors, stored.id, semantic.embedder)
    card = lambda p: _summary(p.article) | {"score": round(p.score, 4)}  # noqa: E731
    return {"read_also": [card(p) for p in found.read_also], "similar": [card(p) for p in found.similar]}


def _entity_links(store: Store, stored: StoredArticle) -> list[dict[str, Any]]:
    """The article's entities for its page: type name, and whether a tag page of that name exists."""
    entities = stored.article.entities
    tagged = store.known_tags(tag_key(e.text) for e in entities)
    return [{"text": e.text, "type": e.type, "type_name": ENTITY_TYPES.get(e.type, e.type),
             "tag": tag_key(e.text) in tagged} for e in entities]


def article_page(store: Store, settings: Settings, article_id: int, semantic: Semantic | None = None) -> Page:
    """One article in full, with related articles and a few more from its section."""
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
        "entity_links": _entity_links(store, stored),
        **_related(store, stored, semantic or Semantic()),
        "nav": _nav(store, stored.article.section),
    }
    from khabar.web.story_pages import story_links

    return Page("article.html", page | story_links(store, stored))


def search_page(
    store: Store,
    settings: Settings,
    q: str,
    page: int = 1,
    options: SearchOptions | None = None,
    semantic: Semantic | None = None,
) -> Page:
    """Ranked search results with highlighted snippets: hybrid when vectors exist, filters, sort."""
    from khabar.search.hybrid import hybrid_search

    size, opts, sem = settings.page_size, options or SearchOptions(), semantic or Semantic()
    plain = sem.vectors is None and opts.filters == Filters() and opts.sort == "relevance"  # BM25 as before
    if not q.strip():
        hits = []
    elif plain:
        hits = search(store, q, limit=size, offset=(page - 1) * size)
    else:
        hits = hybrid_search(store, sem.vectors, sem.embedder, q, size, (page - 1) * size,
                             opts.filters, opts.sort, opts.mode)
    results = [hit_json(h) | _listed(h.article) for h in hits]
    data = {"title": f"بحث: {q}" if q else "بحث", "q": q, "results": results, **_pager(page, size, len(hits))}
    return Page("search.html", data | _search_echo(q, opts) | {"nav": _nav(store, "search")})


def _search_echo(q: str, opts: SearchOptions) -> dict[str, Any]:
    """The options as given (for the form) and the query string prefix that keeps them across pages."""
    echo = {"source": "", "section": "", "tag": "", "entity": "", "since": "", "until": "", "originals": "",
            **dict(opts.given),
            "sort": opts.sort, "mode": opts.mode}
    defaults = {("sort", "relevance"), ("mode", "hybrid")}
    kept = {"q": q, **{k: v for k, v in echo.items() if v and (k, v) not in defaults}}
    return {"options": echo, "query_prefix": urlencode(kept) + "&"}


def not_found(store: Store, message: str) -> Page:
    """The 404 page."""
    return Page("error.html", {"title": "غير موجود", "message": message, "nav": _nav(store)}, 404)
