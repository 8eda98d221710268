"""Arabic stopwords (function words), stored search-normalized."""

from __future__ import annotations

from importlib.resources import files

from khabar.arabic.normalize import normalize_search


def _load() -> frozenset[str]:
    text = files("khabar.arabic").joinpath("data/stopwords.txt").read_text("utf-8")
    words = (w for line in text.splitlines() if not line.startswith("#") for w in line.split())
    return frozenset(normalize_search(w) for w in words)


STOPWORDS: frozenset[str] = _load()


def is_stopword(word: str) -> bool:
    """True when the word (any normalization level) is a function word."""
    return normalize_search(word) in STOPWORDS
