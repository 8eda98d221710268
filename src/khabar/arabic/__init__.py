"""Arabic text layer: normalization, tokens, stopwords and a light stemmer.

Pure functions only; everything else in Khabar (search, copies, stories, tags)
is built on them.
"""

from khabar.arabic.normalize import normalize_display, normalize_search, normalize_word, strip_harakat
from khabar.arabic.stemmer import stem
from khabar.arabic.stopwords import STOPWORDS, is_stopword
from khabar.arabic.terms import search_terms
from khabar.arabic.tokenize import Token, iter_tokens, split_sentences, tokenize

__all__ = [
    "STOPWORDS",
    "Token",
    "is_stopword",
    "iter_tokens",
    "normalize_display",
    "normalize_search",
    "normalize_word",
    "search_terms",
    "split_sentences",
    "stem",
    "strip_harakat",
    "tokenize",
]
