"""Search terms: the single place where text becomes index/query terms."""

from __future__ import annotations

from khabar.arabic.normalize import normalize_search
from khabar.arabic.stemmer import stem
from khabar.arabic.tokenize import tokenize


def search_terms(text: str) -> list[str]:
    """Normalize, tokenize and stem text; used identically for indexing and querying."""
    return [stem(t) for t in tokenize(normalize_search(text)) if t]
