"""The result of extracting one page: the article plus the structure around it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from khabar.model import Article


@dataclass
class Link:
    """An inline related link ("اقرأ أيضا: ..."); ``url`` is None when the page was plain text."""

    title: str
    url: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"title": self.title, "url": self.url}


@dataclass
class Extraction:
    """An extracted article and what the page wrapped around it.

    ``read_also`` holds whole second articles printed under "إقرأ أيضاً:",
    each an :class:`Extraction` of the same shape. ``site_name`` and
    ``description`` come from the page metadata and are not in the JSON shape.
    """

    url: str | None = None
    title: str = ""
    title_inferred: bool = False
    paragraphs: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    author: str = ""
    language: str = ""
    image: str = ""
    canonical_url: str = ""
    attributions: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    related_links: list[Link] = field(default_factory=list)
    similar_headlines: list[str] = field(default_factory=list)
    read_also: list[Extraction] = field(default_factory=list)
    site_name: str = ""
    description: str = ""

    def to_json(self) -> dict[str, Any]:
        """The ``khabar extract --json`` shape (dates as ISO 8601 strings)."""
        return {
            "title": self.title,
            "title_inferred": self.title_inferred,
            "paragraphs": list(self.paragraphs),
            "published_at": self.published_at.isoformat() if self.published_at else None,
            "author": self.author,
            "language": self.language,
            "image": self.image,
            "canonical_url": self.canonical_url,
            "attributions": list(self.attributions),
            "tags": list(self.tags),
            "related_links": [link.to_json() for link in self.related_links],
            "similar_headlines": list(self.similar_headlines),
            "read_also": [a.to_json() for a in self.read_also],
        }

    def to_article(self, url: str | None = None, fetched_at: datetime | None = None) -> Article:
        """A :class:`khabar.model.Article` (identity: the canonical URL, else the page URL)."""
        return Article(
            url=url or self.canonical_url or self.url or "",
            title=self.title,
            paragraphs=list(self.paragraphs),
            published_at=self.published_at,
            fetched_at=fetched_at,
            source=self.site_name,
            author=self.author,
            image=self.image,
            language=self.language or "ar",
            canonical_url=self.canonical_url,
            title_inferred=self.title_inferred,
            attributions=list(self.attributions),
            tags=list(self.tags),
        )
