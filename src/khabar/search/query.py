"""Parse what a user types into a :class:`TextQuery`.

Supports quoted phrases ("…", «…», “…”), ``-word`` exclusion and plain words.
Every word goes through the same analyzer as the index, so ``الوزير`` finds
``وزير`` and ``للوزير``, and harakat in a query do not matter.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from khabar.arabic import search_terms
from khabar.arabic.stopwords import STOPWORDS
from khabar.model import TextQuery

_PHRASE = re.compile(r'"([^"]+)"|«([^»]+)»|“([^”]+)”')


def parse_query(text: str, analyzer: Callable[[str], list[str]] = search_terms) -> TextQuery:
    """Turn user input into required terms, phrases and exclusions."""
    phrases = []
    for m in _PHRASE.finditer(text):
        terms = tuple(analyzer(next(g for g in m.groups() if g)))
        if terms:
            phrases.append(terms)
    rest = _PHRASE.sub(" ", text)
    excluded, plain = [], []
    for word in rest.split():
        if word.startswith("-") and len(word) > 1:
            excluded.extend(analyzer(word[1:]))
        else:
            plain.extend(analyzer(word))
    content = [t for t in plain if t not in STOPWORDS]
    terms = tuple(dict.fromkeys(content or plain))
    return TextQuery(terms=terms, phrases=tuple(phrases), excluded=tuple(dict.fromkeys(excluded)))


def highlight_terms(query: TextQuery) -> frozenset[str]:
    """Every stemmed term worth highlighting in results."""
    return frozenset(query.terms).union(*query.phrases) if query.phrases else frozenset(query.terms)


def parse_when(text: str | None, end: bool = False) -> datetime | None:
    """ISO date or datetime; a bare ``--until`` date includes that whole day."""
    if not text:
        return None
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value + timedelta(days=1) if end and len(text) == 10 else value
