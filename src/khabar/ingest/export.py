"""Writing stored articles back out in Khabar's import format (``khabar export``).

An export is a backup, a data set for analysis, and the way from one store to another (SQLite to
PostgreSQL): ``khabar --db NEW import --no-enrich FILE`` stores every article with the section, tags
and entities it had, and a later import of the original sources into the new store finds them
unchanged (each record carries the ``input_hash`` the importer recorded). Copy links and stories
are not written: the import that reads the file links its articles again.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from khabar.model import Article, Filters
from khabar.storage import Store

BATCH = 500  # articles read from the store at a time


def import_record(article: Article, input_hash: str = "") -> dict[str, Any]:
    """An enriched article as one object of Khabar's import format (empty fields left out)."""
    record: dict[str, Any] = {"url": article.url, "title": article.title, "body": article.body}
    if article.lead and article.lead != (article.paragraphs or [""])[0]:
        record["lead"] = article.lead  # otherwise import fills it from the body again
    if article.published_at is not None:
        record["published_at"] = article.published_at.isoformat()
    for name in ("source", "author", "section", "image", "canonical_url"):
        if getattr(article, name):
            record[name] = getattr(article, name)
    record["language"] = article.language
    for name in ("tags", "attributions"):
        if getattr(article, name):
            record[name] = list(getattr(article, name))
    if article.entities:
        record["entities"] = [{"text": e.text, "type": e.type} for e in article.entities]
    if input_hash:
        record["input_hash"] = input_hash
    return record


def export_articles(store: Store, out: IO[str], filters: Filters | None = None,
                    progress: Callable[[int], None] | None = None) -> int:
    """Write every stored article matching ``filters`` to ``out``, one JSON object a line, oldest
    id first; returns how many. ``progress`` gets the running count after each batch."""
    written, after = 0, 0
    while ids := store.article_ids(filters, after, BATCH):
        for stored in store.get_articles(ids):
            article = stored.article
            out.write(json.dumps(import_record(article, article.input_hash), ensure_ascii=False) + "\n")
            written += 1
        after = ids[-1]
        if progress is not None:
            progress(written)
    return written


def export_file(store: Store, path: str | Path, filters: Filters | None = None,
                progress: Callable[[int], None] | None = None) -> int:
    """:func:`export_articles` into ``path`` (gzipped when it ends in ``.gz``), written whole or not
    at all: the file appears under its name only once complete, so a killed export leaves no half file."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.partial")
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(tmp, "wt", encoding="utf-8") as fh:
            count = export_articles(store, fh, filters, progress)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return count
