"""Search terms: the single place where text becomes index/query terms."""

from __future__ import annotations

from functools import lru_cache

from khabar.arabic.normalize import normalize_search
from khabar.arabic.stemmer import stem
from khabar.arabic.tokenize import tokenize


def _words(token: str) -> list[str]:
    # A hashtag such as #عاصي_الحلاني is searched as its words.
    return [w for w in token.lstrip("#").split("_") if w] if token.startswith("#") else [token]


@lru_cache(maxsize=16)
def search_tokens(text: str) -> tuple[str, ...]:
    """The search-normalized words of a text, before stemming.

    Cached for a few texts because an import needs them twice for the same
    body (the content hash and the index): normalizing is the costly part."""
    normalized = normalize_search(text)
    tokens = tokenize(normalized)
    if "#" not in normalized:  # no hashtag: skip the per-token check, the common case by far
        return tuple(tokens)
    words: list[str] = []
    for token in tokens:
        if token[0] == "#":
            words.extend(_words(token))
        else:
            words.append(token)
    return tuple(words)


_memo: dict[str, str] = {}


def _stem_memo(token: str) -> str:
    if len(_memo) > 500_000:  # bound memory on endless crawls
        _memo.clear()
    _memo[token] = result = stem(token)
    return result


def search_terms(text: str) -> list[str]:
    """Normalize, tokenize and stem text; used identically for indexing and querying."""
    memo = _memo  # a plain dict lookup per token is cheaper than the lru_cache call
    return [memo.get(t) or _stem_memo(t) for t in search_tokens(text)]
