"""SQLite's ranked search SQL: the FTS5 MATCH expression, the ranking query, and which words ``bm25()`` scores.

FTS5's ``bm25()`` finds the IDF of each scored phrase by walking the phrase's whole doclist
(~50 ns a matching article) however few rows are ranked: ~15 ms for a word in a third of a
1M-article store. Khabar ranks with ``khabar_bm25()`` (:mod:`~khabar.storage.fts5rank`), which is
given the counts instead. Where that compiled function is missing, in an all-words query a word
found in more than :data:`COMMON_DOCS` articles and more than :data:`COMMON_SHARE` of the store (an
IDF under log 4 ≈ 1.4; FTS5 clamps it to 1e-6 above half the store) is required but not scored,
unless it is the query's rarest word: the matches are the same, ranked by the rarer words.
On the 1M-article bench store this cut hybrid p95 CPU by ~10% and changed 6 of 200 result pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from khabar.model import Filters, TextQuery
from khabar.storage.sql import filter_clauses, where

COMMON_DOCS = 50_000  # a scored word costs ~50 ns x its matches: 2.5 ms at this many
COMMON_SHARE = 0.2


def phrase_exprs(query: TextQuery) -> list[str]:
    """The query's words and quoted phrases as FTS5 phrases, in :func:`fts5_match`'s order (FTS5
    numbers the phrases of a MATCH expression in that order, exclusions last)."""
    return [f'"{t}"' for t in query.terms] + ['"' + " ".join(p) + '"' for p in query.phrases]


def fts5_match(query: TextQuery) -> str:
    """Compile a :class:`TextQuery` into an FTS5 MATCH expression."""
    expr = (" OR " if query.match_any else " AND ").join(phrase_exprs(query))
    if query.excluded and expr:
        expr = f"({expr}) NOT (" + " OR ".join(f'"{t}"' for t in query.excluded) + ")"
    return expr


def common_terms(query: TextQuery, recent_share: Callable[[str], float], size: int) -> tuple[str, ...]:
    """The words of an all-words query (never its rarest) found in too many articles to be worth scoring.

    ``recent_share(term)``: the share of recent articles holding ``term`` (an estimate of its share
    of the store); ``size``: the number of articles in the store."""
    if query.match_any or len(query.terms) < 2 or size <= COMMON_DOCS:
        return ()
    share = {t: recent_share(t) for t in query.terms}
    rarest = min(query.terms, key=share.__getitem__)
    limit = max(COMMON_SHARE, COMMON_DOCS / size)
    return tuple(t for t in query.terms if t != rarest and share[t] > limit)


def without(query: TextQuery, terms: tuple[str, ...]) -> TextQuery:
    """``query`` less ``terms``."""
    return replace(query, terms=tuple(t for t in query.terms if t not in terms))


def ranked_sql(rank: str, filters: Filters | None, floor: int, required: str | None) -> tuple[str, list[Any]]:
    """SQL of a page of MATCH results ranked by ``rank`` (a BM25 call, lower is better), among ids above
    ``floor`` that also match ``required`` (a MATCH expression), and its parameters between the MATCH
    one and LIMIT, OFFSET."""
    clauses, params = filter_clauses(filters)
    sql = f"SELECT f.rowid, -{rank} FROM articles_fts f"
    if clauses:
        sql += " JOIN articles a ON a.id = f.rowid"
    if floor > 0:
        clauses, params = [*clauses, "f.rowid > ?"], [*params, floor]
    if required:  # "+": checked against the subquery's set, not looked up row by row
        sub = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? AND rowid > ?"
        clauses, params = [*clauses, f"+f.rowid IN ({sub})"], [*params, required, floor]
    return sql + where(["articles_fts MATCH ?", *clauses]) + f" ORDER BY {rank} LIMIT ? OFFSET ?", params
