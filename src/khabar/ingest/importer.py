"""Bulk import of article files into a store: idempotent, resumable, never aborted by one bad line.

Articles are written in batches, each batch in one transaction, so a killed
import leaves only whole articles behind and a re-run completes it (already
stored articles come back as *unchanged*). With enrichment, each article's
input fingerprint is compared with the stored one first: an unchanged article is
neither enriched, nor written, nor linked again.
"""

from __future__ import annotations

import gzip
import io
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from khabar.ingest.records import Record, is_ant_trec, read_records
from khabar.model import Article
from khabar.storage.base import UNCHANGED, Store
from khabar.storage.rows import input_fingerprint

Progress = Callable[[int], None]
MAX_KEPT_ERRORS = 1000


@dataclass(frozen=True)
class LineError:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class ImportSummary:
    """Counts of one import run; ``errors`` keeps the first 1,000 bad lines."""

    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    invalid: int = 0
    errors: list[LineError] = field(default_factory=list)

    def count(self, status: str) -> None:
        setattr(self, status, getattr(self, status) + 1)

    def add_error(self, error: LineError) -> None:
        self.invalid += 1
        if len(self.errors) < MAX_KEPT_ERRORS:
            self.errors.append(error)

    def as_dict(self) -> dict[str, int]:
        keys = ("imported", "updated", "unchanged", "duplicates", "invalid")
        return {k: getattr(self, k) for k in keys}


class _Source:
    """An input file opened as text, with its position in (compressed) bytes for progress."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.size = os.path.getsize(path)
        self._raw = open(path, "rb")  # noqa: SIM115 - closed in close()
        binary = gzip.GzipFile(fileobj=self._raw) if path.suffix == ".gz" else self._raw
        self.text = io.TextIOWrapper(binary, encoding="utf-8", errors="replace")

    def position(self) -> int:
        return self._raw.tell()

    def close(self) -> None:
        self.text.close()


def total_bytes(paths: Iterable[str | Path]) -> int:
    """Sum of the input sizes, the unit of import progress."""
    return sum(os.path.getsize(p) for p in paths)


def import_files(
    store: Store,
    paths: Iterable[str | Path],
    fmt: str = "khabar",
    batch_size: int = 500,
    progress: Progress | None = None,
    enrich: Callable[[Article], Article] | None = None,
    after_batch: Callable[[list[int]], None] | None = None,
) -> ImportSummary:
    """Import every file into ``store``; ``progress`` receives bytes consumed so far.

    ``after_batch`` receives the store ids of each committed batch's written articles, in input order.
    ``enrich`` may carry a ``version`` string (see :attr:`~khabar.enrich.pipeline.Enricher.version`)."""
    summary = ImportSummary()
    seen: set[str] = set()
    done = 0
    for path in map(Path, paths):
        source = _Source(path)
        try:
            records = read_records(source.text, fmt, trec=is_ant_trec(path))
            for batch in _batches(records, batch_size):
                stored = _store_batch(store, batch, str(path), summary, seen, enrich)
                if after_batch and stored:
                    ids = store.ids_for_urls(stored)
                    after_batch([ids[u] for u in stored if u in ids])
                if progress:
                    progress(done + source.position())
        finally:
            source.close()
        done += source.size
    if progress:
        progress(done)
    return summary


def _batches(records: Iterator[Record], size: int) -> Iterator[list[Record]]:
    batch: list[Record] = []
    for record in records:
        batch.append(record)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _store_batch(
    store: Store,
    batch: list[Record],
    path: str,
    summary: ImportSummary,
    seen: set[str],
    enrich: Callable[[Article], Article] | None,
) -> list[str]:
    """Store one batch; returns the urls written, in input order."""
    articles = []
    for line, article, error in batch:
        if article is None:
            summary.add_error(LineError(path, line, error or "unreadable"))
        elif article.url in seen:
            summary.count("duplicates")  # same url earlier in this run: first one wins
        else:
            seen.add(article.url)
            articles.append(article.cleaned())
    if enrich is not None:
        articles = _enriched(store, articles, summary, enrich)
    for status in store.add_articles(articles):
        summary.count(status)
    return [a.url for a in articles]


def _enriched(
    store: Store, articles: list[Article], summary: ImportSummary, enrich: Callable[[Article], Article]
) -> list[Article]:
    """Enriched articles whose input differs from the stored one; the others are counted unchanged and dropped."""
    version = getattr(enrich, "version", "")
    stored = store.input_hashes(a.url for a in articles)
    out = []
    for article in articles:
        key = input_fingerprint(article, version)
        if stored.get(article.url) == key:
            summary.count(UNCHANGED)
        else:
            out.append(replace(enrich(article), input_hash=key))
    return out
