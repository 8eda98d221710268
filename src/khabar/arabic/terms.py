"""Search terms: the single place where text becomes index/query terms."""

from __future__ import annotations

from functools import lru_cache

from khabar.arabic.normalize import normalize_search
from khabar.arabic.stemmer import stem
from khabar.arabic.tokenize import tokenize


@lru_cache(maxsize=16)
def search_tokens(text: str) -> tuple[str, ...]:
    """The search-normalized words of a text, before stemming.

    Cached for a few texts because an import needs them twice for the same
    body (the content hash and the index): normalizing is the costly part."""
    return tuple(t for t in tokenize(normalize_search(text)) if t)


def search_terms(text: str) -> list[str]:
    """Normalize, tokenize and stem text; used identically for indexing and querying."""
    return [stem(t) for t in search_tokens(text)]
