"""Conversions between :class:`Article` and database rows, shared by backends."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any

from khabar.enrich.canonical import tag_key as canonical_tag_key
from khabar.model import Article, NamedEntity, StoredArticle


def to_utc_text(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z suffix; naive datetimes are taken as UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_utc_text(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def article_values(article: Article) -> dict[str, Any]:
    """Column values for an article row (without ids)."""
    return {
        "url": article.url,
        "canonical_url": article.canonical_url,
        "title": article.title,
        "title_inferred": int(article.title_inferred),
        "lead": article.lead,
        "paragraphs": json.dumps(article.paragraphs, ensure_ascii=False),
        "published_at": to_utc_text(article.published_at),
        "fetched_at": to_utc_text(article.fetched_at),
        "author": article.author,
        "image": article.image,
        "language": article.language,
        "section": article.section,
        "attributions": json.dumps(article.attributions, ensure_ascii=False),
        "content_hash": article.content_hash,
        "input_hash": article.input_hash,
    }


ARTICLE_COLUMNS = tuple(article_values(Article(url="")).keys())


def row_to_stored(row: dict[str, Any], tags: list[str], entities: list[NamedEntity] | None = None) -> StoredArticle:
    """Build a :class:`StoredArticle` from a row joined with its source name."""
    article = Article(
        url=row["url"],
        canonical_url=row["canonical_url"],
        title=row["title"],
        title_inferred=bool(row["title_inferred"]),
        lead=row["lead"],
        paragraphs=_json(row["paragraphs"]),
        published_at=from_utc_text(row["published_at"]),
        fetched_at=from_utc_text(row["fetched_at"]),
        source=row["source"] or "",
        author=row["author"],
        image=row["image"],
        language=row["language"],
        section=row["section"],
        attributions=_json(row["attributions"]),
        tags=tags,
        entities=entities or [],
        input_hash=row.get("input_hash") or "",
    )
    return StoredArticle(id=row["id"], article=article, story_id=row["story_id"], copy_of=row.get("copy_of_url"))


def _json(value: Any) -> Any:
    """Decode a JSON column: text in SQLite, already decoded by psycopg for JSONB."""
    return json.loads(value) if isinstance(value, str) else value


def fts_text(analyzer, text: str) -> str:
    """The space-joined index terms of a text."""
    return " ".join(analyzer(text))


def tag_key(name: str) -> str:
    """The canonical key of a tag (see :mod:`khabar.enrich.canonical`): variants share one key."""
    return canonical_tag_key(name)


def tag_keys(tags: list[str]) -> list[str]:
    """Distinct non-empty keys of a tag list, in order (what the store keeps)."""
    return list(dict.fromkeys(k for k in map(tag_key, tags) if k))


def entity_rows(entities: Iterable[NamedEntity]) -> list[tuple[str, str, str]]:
    """``(key, display text, type)`` of each distinct (key, type), in order (what the store keeps)."""
    out: dict[tuple[str, str], str] = {}
    for e in entities:
        key = tag_key(e.text)
        if key and (key, e.type) not in out:
            out[key, e.type] = e.text
    return [(key, text, kind) for (key, kind), text in out.items()]


_ENRICHED = frozenset({"entities", "input_hash"})  # what enrichment and the importer add


def input_fingerprint(article: Article, version: str = "") -> str:
    """Fingerprint of an article as received (every stored field, its outlet and its own tags) and of
    the enrichment ``version``: equal fingerprints mean enrichment would give the same result."""
    # The raw fields (not article_values: its content_hash would normalize the body once more per article).
    values = {f.name: getattr(article, f.name) for f in fields(article) if f.name not in _ENRICHED}
    data = json.dumps({**values, "version": version}, ensure_ascii=False, sort_keys=True, default=to_utc_text)
    return hashlib.blake2b(data.encode("utf-8"), digest_size=16).hexdigest()


def text_version(title: str, content_hash: str) -> int:
    """A non-zero 63-bit version of an article's title + body (what its embedding was computed from)."""
    digest = hashlib.blake2b(f"{title}\n{content_hash}".encode(), digest_size=8).digest()
    return (int.from_bytes(digest, "big") >> 1) or 1
