"""The records that travel between pipeline stages.

Stages exchange these plain dataclasses; none of them knows about storage.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import datetime

from khabar.arabic.normalize import normalize_display
from khabar.arabic.terms import search_tokens


@dataclass(frozen=True)
class NamedEntity:
    """A named entity an article is about: display text and type (PERS, LOC, ORG or MISC)."""

    text: str
    type: str


@dataclass
class Article:
    """One news article as extracted or imported (identity: ``url``)."""

    url: str
    title: str = ""
    paragraphs: list[str] = field(default_factory=list)
    lead: str = ""
    published_at: datetime | None = None
    fetched_at: datetime | None = None
    source: str = ""
    author: str = ""
    image: str = ""
    language: str = "ar"
    section: str = ""
    canonical_url: str = ""
    title_inferred: bool = False
    attributions: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    entities: list[NamedEntity] = field(default_factory=list)
    # Fingerprint of the article as received, before enrichment (set by the importer): a re-import
    # whose input has this fingerprint is unchanged and needs no enrichment.
    input_hash: str = ""

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def content_hash(self) -> str:
        """Hash of the search-normalized words of the body: equal for copies that
        differ only in punctuation, harakat, tatweel or spacing."""
        # search_tokens is shared with the index (and cached), so an import normalizes each body once.
        words = " ".join(search_tokens(self.body))
        return hashlib.blake2b(words.encode("utf-8"), digest_size=16).hexdigest()

    def cleaned(self) -> Article:
        """Display-normalize the text fields and fill the lead from the body."""
        paragraphs = [p for p in (normalize_display(p).strip() for p in self.paragraphs) if p]
        lead = normalize_display(self.lead).strip() or (paragraphs[0] if paragraphs else "")
        return replace(self, title=normalize_display(self.title).strip(), paragraphs=paragraphs, lead=lead)


@dataclass(frozen=True)
class StoredArticle:
    """An article as read back from the store, with its store id and outlet."""

    id: int
    article: Article
    story_id: int | None = None
    copy_of: str | None = None


@dataclass(frozen=True)
class StoryRow:
    """A stored story: a real-world event and the counts of its member articles."""

    id: int
    headline: str = ""
    first_seen: datetime | None = None
    last_updated: datetime | None = None
    article_count: int = 0
    outlet_count: int = 0


@dataclass(frozen=True)
class TextRow:
    """What copy detection and story clustering replay of a stored article (see ``Store.iter_texts``)."""

    id: int
    title: str
    body: str
    source: str
    published_at: datetime | None
    story_id: int | None = None
    copy_of: int | None = None


@dataclass(frozen=True)
class SearchHit:
    """One search result: the article, its BM25 score (higher is better) and a snippet."""

    article: StoredArticle
    score: float
    snippet: str = ""


@dataclass(frozen=True)
class SourceInfo:
    name: str
    articles: int
    latest: datetime | None


@dataclass(frozen=True)
class TextQuery:
    """A parsed search query, already normalized and stemmed.

    ``terms`` must all match (unless ``match_any``), each phrase must match as
    consecutive terms, and no ``excluded`` term may match."""

    terms: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[str, ...] = ()
    match_any: bool = False

    @property
    def is_empty(self) -> bool:
        return not (self.terms or self.phrases)


@dataclass(frozen=True)
class Filters:
    """Restrictions applied to listings and searches."""

    source: str | None = None
    section: str | None = None
    tag: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    entity: str | None = None  # canonical key (see storage.rows.tag_key) of a named entity
    originals: bool = False  # copies left out: each wire text once, under its first outlet


@dataclass(frozen=True)
class FeedRow:
    """A feed as stored, with its polling state and how many articles it brought.

    ``error_count`` counts consecutive failed polls (reset by a success); times are UTC."""

    url: str
    title: str = ""
    source: str = ""
    last_success: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    next_due: datetime | None = None
    interval_s: int = 3600
    error_count: int = 0
    etag: str | None = None
    last_modified: str | None = None
    articles: int = 0
