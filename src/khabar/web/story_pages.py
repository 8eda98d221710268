"""The story pages (one story; the hottest stories) and the copy/story links under an article (page data
only, no HTTP)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from khabar.model import StoredArticle, StoryRow
from khabar.recent import hot_since
from khabar.settings import Settings
from khabar.shapes import story_json
from khabar.storage.base import Store
from khabar.web.pages import Page, _listed, _nav, _pager, _summary, not_found


def story_page(store: Store, settings: Settings, story_id: int) -> Page:
    """One story: headline, outlets with their article counts, and the timeline of its members."""
    story = store.get_story(story_id)
    members = store.story_articles(story_id) if story is not None else []
    if story is None or not members:
        return not_found(store, "لم نجد هذه القصة")
    outlets = Counter(a.article.source for a in members if a.article.source)
    data = {
        "story": story_json(story),
        "title": story.headline,
        "outlets": [{"name": name, "articles": n} for name, n in outlets.most_common()],
        "articles": [_listed(a) | {"copy_of": a.copy_of} for a in members],
        "nav": _nav(store, "stories"),
    }
    return Page("story.html", data)


def _same_text(store: Store, stored: StoredArticle) -> list[StoredArticle]:
    """The other publications of this article's text: its canonical article and that one's copies."""
    canonical = store.get_article(stored.copy_of) if stored.copy_of else stored
    if canonical is None:
        return []
    group = [canonical, *store.copies_of(canonical.id)]
    return [a for a in group if a.id != stored.id]


def story_links(store: Store, stored: StoredArticle) -> dict[str, Any]:
    """``also_published`` (the same text elsewhere) and ``story`` (its story, when it has others)."""
    story = store.get_story(stored.story_id) if stored.story_id is not None else None
    story_data = story_json(story) if story is not None and story.article_count > 1 else None
    return {"also_published": [_summary(a) for a in _same_text(store, stored)], "story": story_data}


HOT_HOURS = 48  # the window of "hot": stories with articles published in the last two days before the newest


def _story_cards(store: Store, stories: list[StoryRow], members: int = 3) -> list[dict[str, Any]]:
    """Stories on the home page or the stories page: each its summary shape, the outlets of its articles
    (most articles first) and its newest few reports (copies left out)."""
    glances = store.story_glances([s.id for s in stories], members)
    return [
        story_json(s) | {"outlets": glances[s.id][0], "articles": [_summary(a) for a in glances[s.id][1]]}
        for s in stories
    ]


def top_stories(store: Store, limit: int = 6, hours: int = HOT_HOURS, members: int = 3) -> list[dict[str, Any]]:
    """The hottest multi-outlet stories of the last ``hours`` before the newest article, each
    with a few member articles (copies left out): the home page's "by story" block."""
    since = hot_since(store, hours)
    if since is None:
        return []
    return _story_cards(store, store.hot_stories(since, limit, min_outlets=2), members)


def stories_page(store: Store, settings: Settings, page: int = 1, hours: int = HOT_HOURS) -> Page:
    """Every story that two or more outlets covered in the last ``hours`` before the newest article,
    hottest first (most outlets, then most articles), a page at a time."""
    size = settings.page_size
    since = hot_since(store, hours)
    rows = store.hot_stories(since, size, (page - 1) * size, min_outlets=2) if since is not None else []
    data = {
        "kind": "stories",
        "title": "أبرز القصص",
        "hours": hours,
        "query_prefix": f"hours={hours}&",
        "stories": _story_cards(store, rows),
        **_pager(page, size, len(rows)),
        "nav": _nav(store, "stories"),
    }
    return Page("stories.html", data, 200 if rows or page == 1 else 404)
