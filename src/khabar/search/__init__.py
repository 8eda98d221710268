"""Search over the store: query parsing, ranking and highlighted snippets."""

from __future__ import annotations

from dataclasses import replace

from khabar.model import Filters, SearchHit
from khabar.search.query import highlight_terms, parse_query
from khabar.search.snippets import Hits, make_snippet
from khabar.storage.base import Store


def search(
    store: Store, text: str, limit: int = 10, offset: int = 0, filters: Filters | None = None
) -> list[SearchHit]:
    """Lexical search (FTS5/BM25, title weighted) with snippets.

    All words must match; when that finds nothing, any word may match."""
    query = parse_query(text)
    hits = store.search(query, limit, offset, filters)
    if not hits and len(query.terms) > 1 and offset == 0:
        query = replace(query, match_any=True)
        hits = store.search(query, limit, offset, filters)
    marks = Hits(highlight_terms(query))  # one memo for the page: its articles share most words
    return [
        SearchHit(a, score, make_snippet(a.article.paragraphs or [a.article.title], marks.wanted, hits=marks))
        for a, score in hits
    ]


__all__ = ["parse_query", "search"]
