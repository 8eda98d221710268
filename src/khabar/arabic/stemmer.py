"""Interim light stemmer (to be replaced by the lexicon-guarded one)."""

from __future__ import annotations

from functools import lru_cache

_PREFIXES = ("وبال", "فبال", "وكال", "ولل", "فلل", "وال", "فال", "بال", "كال", "لل", "ال")


@lru_cache(maxsize=200_000)
def stem(token: str) -> str:
    """Stem a search-normalized token."""
    for p in _PREFIXES:
        if token.startswith(p) and len(token) - len(p) >= 3:
            return token[len(p):]
    return token
