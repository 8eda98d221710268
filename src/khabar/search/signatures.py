"""Rare-term signatures: each article's :data:`TERMS` rarest title + lead stems, hashed, with their IDF.

Stored beside the vectors (:mod:`khabar.search.vectors`), they give related articles a cheap
lexical overlap without re-reading and re-analysing candidate texts.
"""

from __future__ import annotations

import math
import zlib

import numpy as np

from khabar.enrich.embeddings import embedding_text

TERMS = 32  # the rarest stems carry the names, places and numbers
SIGNATURE_CHARS = 1500  # title + the first paragraphs: who, where, what; later paragraphs drift to background


def rare_terms(title: str, body: str, n: int = TERMS, chars: int = 300) -> list[tuple[float, str]]:
    """The ``n`` rarest content stems of title + body start, with IDF (ANT background corpus), rarest first."""
    from khabar.arabic import STOPWORDS, search_terms
    from khabar.enrich.docfreq import document_frequencies

    docs, df = document_frequencies()
    stems = {t for t in search_terms(embedding_text(title, body, chars)) if t not in STOPWORDS and len(t) > 1}
    return sorted(((math.log((docs + 1) / (df.get(t, 0) + 1)), t) for t in stems), reverse=True)[:n]


def term_hash(term: str) -> int:
    return zlib.crc32(term.encode("utf-8")) or 1  # 0 marks padding


def signature(title: str, body: str) -> tuple[np.ndarray, np.ndarray]:
    """(sorted term hashes, IDF weights) of the rarest content stems of title + lead, zero-padded."""
    pairs = sorted((term_hash(t), w) for w, t in rare_terms(title, body, TERMS, SIGNATURE_CHARS))
    terms, weights = np.zeros(TERMS, dtype=np.uint32), np.zeros(TERMS, dtype=np.float16)
    for k, (h, w) in enumerate(pairs):
        terms[k], weights[k] = h, w
    return terms, weights
