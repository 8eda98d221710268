"""The public JSON shapes of Khabar's records (CLI ``--json`` and the web API).

These shapes are interfaces: scripts rely on them, so fields are only added.
"""

from __future__ import annotations

from typing import Any

from khabar.model import SearchHit, StoredArticle
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


def article_json(stored: StoredArticle) -> dict[str, Any]:
    """Everything stored about one article."""
    a = stored.article
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
    }


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
