"""The story page and the copy/story links under an article (page data only, no HTTP)."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

from khabar.model import StoredArticle
from khabar.settings import Settings
from khabar.shapes import story_json
from khabar.storage.base import Store
from khabar.web.pages import Page, _listed, _nav, _summary, not_found


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
        "nav": _nav(store),
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


def top_stories(store: Store, limit: int = 6, hours: int = 48, members: int = 3) -> list[dict[str, Any]]:
    """The hottest multi-outlet stories of the last ``hours`` before the newest article, each
    with a few member articles (copies left out): the home page's "by story" block."""
    newest = store.latest(1)
    if not newest or newest[0].article.published_at is None:
        return []
    since = newest[0].article.published_at - timedelta(hours=hours)
    out = []
    for story in store.hot_stories(since, limit * 2):
        if story.outlet_count < 2 or len(out) >= limit:
            continue
        picks = [a for a in store.story_articles(story.id) if not a.copy_of][-members:]
        out.append(story_json(story) | {"articles": [_summary(a) for a in reversed(picks)]})
    return out
