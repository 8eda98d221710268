"""Highlighted snippets computed on the original text (harakat and all).

The index holds stemmed terms, so FTS5's own ``snippet()`` cannot show the
words as written; instead we re-tokenize the best passage and mark every word
whose stem is a query term.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from html import escape

from khabar.arabic import iter_tokens, search_terms

WINDOW = 30  # words


def _stem_of(word: str) -> str:
    # A hashtag (#وزير_المالية) gives several terms; any of them may be the match.
    terms = search_terms(word)
    return terms[0] if len(terms) == 1 else " ".join(terms)


def _best_window(stems: list[str], wanted: frozenset[str]) -> tuple[int, int]:
    """The WINDOW-word span holding the most distinct wanted stems."""
    best, best_score = 0, -1
    for start in range(0, max(1, len(stems) - WINDOW + 1), 5):
        window = stems[start : start + WINDOW]
        score = len({term for s in window for term in s.split() if term in wanted})
        if score > best_score:
            best, best_score = start, score
    return best, min(len(stems), best + WINDOW)


def make_snippet(
    paragraphs: Iterable[str], wanted: frozenset[str], stem_of: Callable[[str], str] = _stem_of
) -> str:
    """HTML-escaped passage with ``<mark>`` around matching words."""
    best_text, best_tokens, best_hits = "", [], -1
    for text in paragraphs:
        tokens = list(iter_tokens(text))
        hits = sum(_matches(stem_of(t.text), wanted) for t in tokens)
        if hits > best_hits:
            best_text, best_tokens, best_hits = text, tokens, hits
    if not best_tokens:
        return escape(best_text[:200])
    start, end = _best_window([stem_of(t.text) for t in best_tokens], wanted)
    return _render(best_text, best_tokens[start:end], wanted, stem_of, start > 0, end < len(best_tokens))


def _matches(terms: str, wanted: frozenset[str]) -> bool:
    return terms in wanted or any(term in wanted for term in terms.split())


def _render(text, tokens, wanted, stem_of, cut_left: bool, cut_right: bool) -> str:
    out, pos = [], tokens[0].start
    for t in tokens:
        out.append(escape(text[pos : t.start]))
        word = escape(t.text)
        out.append(f"<mark>{word}</mark>" if _matches(stem_of(t.text), wanted) else word)
        pos = t.end
    if not cut_right:
        out.append(escape(text[pos:]))
    return ("… " if cut_left else "") + "".join(out) + (" …" if cut_right else "")
