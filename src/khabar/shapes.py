"""The public JSON shapes of Khabar's records (CLI ``--json`` and the web API).

These shapes are interfaces: scripts rely on them, so fields are only added.
"""

from __future__ import annotations

from typing import Any

from khabar.model import SearchHit, StoredArticle, StoryRow
from khabar.storage.rows import to_utc_text


def article_summary_json(stored: StoredArticle) -> dict[str, Any]:
    a = stored.article
    return {
        "url": a.url,
        "title": a.title,
        "source": a.source,
        "published_at": to_utc_text(a.published_at),
        "section": a.section,
        "lead": a.lead,
    }


def article_json(stored: StoredArticle, copies: list[StoredArticle] | None = None) -> dict[str, Any]:
    """Everything stored about one article (``"entities"``: :func:`entities_json`); with ``copies``,
    also ``"copies"`` (see :func:`copy_json`)."""
    a = stored.article
    extra = {} if copies is None else {"copies": [copy_json(c) for c in copies]}
    return {
        **article_summary_json(stored),
        "id": stored.id,
        "canonical_url": a.canonical_url,
        "title_inferred": a.title_inferred,
        "paragraphs": a.paragraphs,
        "author": a.author,
        "image": a.image,
        "language": a.language,
        "attributions": a.attributions,
        "tags": a.tags,
        "fetched_at": to_utc_text(a.fetched_at),
        "story_id": stored.story_id,
        "copy_of": stored.copy_of,
        "entities": entities_json(stored),
        **extra,
    }


def entities_json(stored: StoredArticle) -> list[dict[str, str]]:
    """``[{"text", "type"}]``: the named entities stored for an article (type PERS, LOC, ORG or MISC)."""
    return [{"text": e.text, "type": e.type} for e in stored.article.entities]


def copy_json(stored: StoredArticle) -> dict[str, Any]:
    """``{"url", "source", "published_at"}`` of a re-publication."""
    a = stored.article
    return {"url": a.url, "source": a.source, "published_at": to_utc_text(a.published_at)}


def story_json(story: StoryRow) -> dict[str, Any]:
    """``{"id", "headline", "first_seen", "last_updated", "article_count", "outlet_count"}``."""
    return {
        "id": story.id,
        "headline": story.headline,
        "first_seen": to_utc_text(story.first_seen),
        "last_updated": to_utc_text(story.last_updated),
        "article_count": story.article_count,
        "outlet_count": story.outlet_count,
    }


def member_json(stored: StoredArticle) -> dict[str, Any]:
    """A story member: ``{"url", "title", "source", "published_at", "copy_of"}`` (copy_of: a url or None)."""
    a = stored.article
    return {**copy_json(stored), "title": a.title, "copy_of": stored.copy_of}


def hit_json(hit: SearchHit) -> dict[str, Any]:
    """``{"url", "title", "source", "published_at", "score", "snippet"}``."""
    a = hit.article.article
    return {
        "url": a.url,
        "title": a.title,
        "source": a.source,
        "published_at": to_utc_text(a.published_at),
        "score": round(hit.score, 4),
        "snippet": hit.snippet,
    }
