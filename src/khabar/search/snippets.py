"""Highlighted snippets computed on the original text (harakat and all).

The index holds stemmed terms, so FTS5's own ``snippet()`` cannot show the
words as written; instead we re-tokenize the best passage and mark every word
whose stem is a query term.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable
from functools import lru_cache
from html import escape
from itertools import islice

from khabar.arabic import search_terms
from khabar.arabic.tokenize import _TOKEN, tokenize

WINDOW = 30  # words


@lru_cache(maxsize=200_000)
def _stem_of(word: str) -> str:
    # Cached: analysing every word of ten bodies per query was most of a search's time.
    # A hashtag (#وزير_المالية) gives several terms; any of them may be the match.
    terms = search_terms(word)
    return terms[0] if len(terms) == 1 else " ".join(terms)


def _best_window(stems: list[str], wanted: frozenset[str]) -> tuple[int, int]:
    """The WINDOW-word span holding the most distinct wanted stems."""
    found = [(i, {t for t in s.split() if t in wanted}) for i, s in enumerate(stems) if _matches(s, wanted)]
    at = [i for i, _ in found]
    best, best_score, last = 0, -1, max(0, len(stems) - WINDOW)
    for start in [*range(0, last, 5), last]:  # steps of 5, and the window ending at the last word
        inside = found[bisect_left(at, start) : bisect_left(at, start + WINDOW)]
        score = len(set().union(*(terms for _, terms in inside)))
        if score > best_score:
            best, best_score = start, score
            if score == len(wanted):  # no later window can do better
                break
    return best, min(len(stems), best + WINDOW)


class Hits(dict):
    """word -> whether its stem is wanted, for one query: share one between the snippets of a page
    (its articles share most of their words), so each distinct word is looked at once."""

    def __init__(self, wanted: frozenset[str], stem_of: Callable[[str], str] = _stem_of) -> None:
        super().__init__()
        self.wanted, self.stem_of = wanted, stem_of

    def __missing__(self, word: str) -> bool:
        self[word] = found = _matches(self.stem_of(word), self.wanted)
        return found


def make_snippet(
    paragraphs: Iterable[str],
    wanted: frozenset[str],
    stem_of: Callable[[str], str] = _stem_of,
    hits: Hits | None = None,
) -> str:
    """HTML-escaped passage with ``<mark>`` around matching words (``hits``: the query's shared memo)."""
    if hits is None or hits.wanted != wanted:
        hits = Hits(wanted, stem_of)
    best_text, best_words, best_hits = "", [], -1
    for text in paragraphs:
        words = tokenize(text)  # the same words as iter_tokens(), without positions
        count = sum(map(hits.__getitem__, words))  # words whose stem is wanted
        if count > best_hits:
            best_text, best_words, best_hits = text, words, count
    if not best_words:
        return escape(best_text[:200])
    start, end = _best_window([hits.stem_of(w) if hits[w] else "" for w in best_words], wanted)
    shown = list(islice(_TOKEN.finditer(best_text), start, end))  # positions for the passage shown only
    return _render(best_text, shown, hits, start > 0, end < len(best_words))


def _matches(terms: str, wanted: frozenset[str]) -> bool:
    if terms in wanted:
        return True
    return " " in terms and any(term in wanted for term in terms.split())


def _render(text: str, words: list[re.Match], hits: Hits, cut_left: bool, cut_right: bool) -> str:
    # Escaped a run of unmarked text at a time: escaping word by word was half a snippet's cost.
    out, pos = [], words[0].start()
    for m in words:
        if hits[m.group()]:
            out += (escape(text[pos : m.start()]), "<mark>", escape(m.group()), "</mark>")
            pos = m.end()
    out.append(escape(text[pos : words[-1].end() if cut_right else len(text)]))
    return ("… " if cut_left else "") + "".join(out) + (" …" if cut_right else "")
