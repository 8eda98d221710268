"""Readers that turn import files into :class:`Article` records.

Each reader yields ``(line_number, article_or_None, error_or_None)`` so a bad
line is reported with its number and skipped while the rest of the file goes on.
"""

from __future__ import annotations

import gzip
import io
import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import IO, Any

from khabar.model import Article, NamedEntity

Record = tuple[int, Article | None, str | None]

ANT_SECTIONS = {
    "internationalNews": "international",
    "middleEast": "middle_east",
    "economy": "economy",
    "sport": "sport",
    "technology": "technology",
    "culture": "culture",
}
ANT_OUTLETS = {
    "skynews": "سكاي نيوز عربية",
    "alarabia": "العربية",
    "france24": "فرانس 24",
    "bbc": "بي بي سي عربي",
    "cnn": "سي إن إن بالعربية",
}
_RIYADH = timezone(timedelta(hours=3))
ENTITY_TYPES = ("PERS", "LOC", "ORG", "MISC")
_STRING_FIELDS = (
    "input_hash",
    "url",
    "title",
    "body",
    "published_at",
    "source",
    "author",
    "section",
    "language",
    "image",
    "canonical_url",
    "lead",
)


def is_ant_trec(path: str | Path) -> bool:
    """An ANT ``.txt`` file: one TREC ``<DOC>`` article, not JSON lines."""
    return Path(path).suffix == ".txt"


class BadRecord(ValueError):
    """A line that cannot become an article; the message says what to fix."""


def open_text(path: str | Path) -> IO[str]:
    """Open a text file, transparently gunzipping ``.gz``."""
    raw = open(path, "rb")  # noqa: SIM115 - closed by the wrapper
    stream = gzip.GzipFile(fileobj=raw) if str(path).endswith(".gz") else raw
    return io.TextIOWrapper(stream, encoding="utf-8", errors="replace")


def split_paragraphs(body: str) -> list[str]:
    """Paragraphs separated by blank lines (or single newlines when there are none)."""
    body = body.replace("\r\n", "\n").strip()
    parts = re.split(r"\n\s*\n", body) if re.search(r"\n\s*\n", body) else body.split("\n")
    return [p.strip() for p in parts if p.strip()]


def parse_iso(value: str) -> datetime:
    """Parse ISO 8601; a missing offset means UTC."""
    try:
        stamp = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise BadRecord(f"published_at is not ISO 8601: {value!r}") from exc
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def _require_body(article: Article) -> Article:
    if not article.url.strip():
        raise BadRecord("no url: every article needs its url as identity")
    if not article.paragraphs:
        raise BadRecord("empty body")
    return article


def khabar_article(obj: Any) -> Article:
    """Build an article from one object in Khabar's import format."""
    if not isinstance(obj, dict):
        raise BadRecord("expected a JSON object")
    for name in _STRING_FIELDS:
        if obj.get(name) is not None and not isinstance(obj[name], str):
            raise BadRecord(f"{name} must be a string, got {type(obj[name]).__name__}")
    for name in ("tags", "attributions"):
        value = obj.get(name)
        if value is not None and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise BadRecord(f"{name} must be a list of strings")
    if not obj.get("url"):
        raise BadRecord("no url: every article needs its url as identity")
    article = Article(
        url=obj["url"].strip(),
        title=obj.get("title") or "",
        paragraphs=split_paragraphs(obj.get("body") or ""),
        lead=obj.get("lead") or "",
        published_at=parse_iso(obj["published_at"]) if obj.get("published_at") else None,
        source=obj.get("source") or "",
        author=obj.get("author") or "",
        section=obj.get("section") or "",
        language=obj.get("language") or "ar",
        image=obj.get("image") or "",
        canonical_url=obj.get("canonical_url") or "",
        tags=list(obj.get("tags") or []),
        attributions=list(obj.get("attributions") or []),
        entities=_entities(obj.get("entities")),
        input_hash=obj.get("input_hash") or "",  # written by enrich-batch: a later import knows the input
    )
    return _require_body(article)


def _entities(value: Any) -> list[NamedEntity]:
    """``[{"text", "type"}, …]`` of the import format (what ``khabar enrich-batch`` writes)."""
    if value is None:
        return []
    ok = isinstance(value, list) and all(
        isinstance(e, dict) and isinstance(e.get("text"), str) and e.get("type") in ENTITY_TYPES for e in value
    )
    if not ok:
        raise BadRecord('entities must be a list of {"text", "type"} with type PERS, LOC, ORG or MISC')
    return [NamedEntity(e["text"], e["type"]) for e in value]


def ant_article(obj: Any) -> Article:
    """Build an article from an ANT multi-source corpus record."""
    if not isinstance(obj, dict) or not isinstance(obj.get("text", ""), str):
        raise BadRecord("not an ANT record (expected an object with text)")
    published = None
    if obj.get("time"):
        try:
            published = parsedate_to_datetime(obj["time"]).astimezone(UTC)
        except (TypeError, ValueError) as exc:
            raise BadRecord(f"time is not RFC 822: {obj['time']!r}") from exc
    article = Article(
        url=str(obj.get("url") or "").strip(),
        title=str(obj.get("title") or ""),
        paragraphs=split_paragraphs(obj.get("text") or ""),
        published_at=published,
        source=ANT_OUTLETS.get(str(obj.get("src", "")).lower(), str(obj.get("src") or "")),
        author=str(obj.get("author") or ""),
        section=ANT_SECTIONS.get(str(obj.get("cat", "")), str(obj.get("cat") or "")),
    )
    return _require_body(article)


def saudinewsnet_article(obj: Any) -> Article:
    """Build an article from a SaudiNewsNet record (``date_extracted`` is Riyadh time)."""
    if not isinstance(obj, dict):
        raise BadRecord("expected a JSON object")
    published = None
    if obj.get("date_extracted"):
        try:
            stamp = datetime.strptime(obj["date_extracted"], "%Y-%m-%d %H:%M:%S")
        except (TypeError, ValueError) as exc:
            raise BadRecord(
                f"date_extracted is not 'YYYY-MM-DD HH:MM:SS': {obj['date_extracted']!r}"
            ) from exc
        published = stamp.replace(tzinfo=_RIYADH).astimezone(UTC)
    article = Article(
        url=str(obj.get("url") or "").strip(),
        title=str(obj.get("title") or ""),
        paragraphs=split_paragraphs(str(obj.get("content") or "")),
        published_at=published,
        source=str(obj.get("source") or ""),
        author=str(obj.get("author") or ""),
    )
    return _require_body(article)


def read_jsonl(stream: IO[str], build: Callable[[Any], Article]) -> Iterator[Record]:
    """Yield one record per non-blank line of a JSONL stream."""
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            yield number, build(json.loads(line)), None
        except json.JSONDecodeError as exc:
            yield number, None, f"invalid JSON: {exc.msg} (column {exc.colno})"
        except BadRecord as exc:
            yield number, None, str(exc)


_TREC_FIELD = re.compile(r"<(URL|SRC|CAT|TITLE|TIME|AUTHOR|TEXT)>\s*(.*?)\s*</\1>", re.S)


def read_ant_trec(stream: IO[str]) -> Iterator[Record]:
    """Read one of ANT's original ``<DOC>…</DOC>`` files."""
    fields = {k.lower(): v for k, v in _TREC_FIELD.findall(stream.read())}
    try:
        yield 1, ant_article(fields), None
    except BadRecord as exc:
        yield 1, None, str(exc)


BUILDERS: dict[str, Callable[[Any], Article]] = {
    "khabar": khabar_article,
    "ant": ant_article,
    "saudinewsnet": saudinewsnet_article,
}


def read_records(stream: IO[str], fmt: str, trec: bool = False) -> Iterator[Record]:
    """Records of a stream in format ``khabar``, ``ant`` or ``saudinewsnet``;
    ``trec`` reads one of ANT's original ``<DOC>`` files instead of JSONL."""
    if fmt not in BUILDERS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(BUILDERS)}")
    if trec:
        return read_ant_trec(stream)
    return read_jsonl(stream, BUILDERS[fmt])
