"""Copy tests for related lists: never the seed's own text, never two copies of one wire text.

Linked copies (the store's copy links, set by the import's copy detector) are rejected at once;
otherwise a body whose word triples are mostly inside the other's is a copy (a reprint with a new
intro or an edit), while a rewrite of the same event shares words but not triples.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace

from khabar.model import StoredArticle

COPY_CONTAINMENT = 0.75  # share of the shorter body's word triples in the other: a reprint with a new intro or edits
_WORD = re.compile(r"\w+")


def _shingles(paragraphs: list[str]) -> frozenset[int]:
    """Word triples of a body (as their hashes: the sets only live for one request, and comparing ints is
    cheaper than comparing triples): a reprint keeps them, a rewrite of the same event shares words but not
    triples."""
    words = _WORD.findall("\n\n".join(paragraphs))  # Article.body
    return frozenset(map(hash, zip(words, words[1:], words[2:], strict=False)))


def _contained(a: frozenset, b: frozenset) -> bool:
    """One body (mostly) inside the other: the same wire text, perhaps with a new intro or an edit."""
    small = min(len(a), len(b))
    return small >= 8 and len(a & b) >= COPY_CONTAINMENT * small


def text_key(stored: StoredArticle) -> str:
    """The url of the text an article carries: its copy link's target, else its own (linked copies share it)."""
    return stored.copy_of or stored.article.url


class CopyGuard:
    """Copy tests against the seed and the picks so far; bodies are compared only for articles about to be picked.

    Candidates are ranked as heads (:meth:`Store.article_heads`, no body); ``load``
    (:meth:`Store.article_bodies`) reads the bodies of those about to be picked (None: the articles
    given are full)."""

    def __init__(
        self,
        seed: StoredArticle,
        load: Callable[[list[int]], dict[int, list[str]]] | None = None,
        known: Iterable[StoredArticle] = (),
    ) -> None:
        self.seed, self._load = seed, load
        self.kept: list[tuple[str, frozenset]] = []
        self._closed: set[str] = set()  # text keys kept or rejected: their linked copies are decided without a body
        self._seed_body: frozenset | None = None
        self._full = {a.id: a for a in known}
        self._bodies: dict[int, list[str]] = {}  # paragraphs read so far (an article is built only for a pick)

    def prefetch(self, heads: Iterable[StoredArticle], limit: int | None = None) -> None:
        """Read the bodies of ``heads`` in one query (the likely picks): the first ``limit`` of distinct
        texts, since a linked copy of an earlier one is rejected without its body."""
        todo, keys = [], {text_key(self.seed)}
        for a in heads:
            key = text_key(a)
            if limit is not None and (key in keys or len(keys) > limit):
                continue
            keys.add(key)
            if a.id not in self._full and a.id not in self._bodies:
                todo.append(a.id)
        if self._load is not None and todo:
            bodies = self._load(todo)
            self._bodies.update((i, bodies.get(i, [])) for i in todo)

    def full(self, head: StoredArticle) -> StoredArticle:
        """A head with its body (read now if it was not prefetched)."""
        if self._load is None or head.id in self._full:
            return self._full.get(head.id, head)
        paragraphs = self._paragraphs(head)
        self._full[head.id] = replace(head, article=replace(head.article, paragraphs=paragraphs))
        return self._full[head.id]

    def _paragraphs(self, other: StoredArticle) -> list[str]:
        if self._load is None or other.id in self._full:
            return self._full.get(other.id, other).article.paragraphs
        if other.id not in self._bodies:
            self.prefetch([other])
        return self._bodies[other.id]

    def linked(self, other: StoredArticle) -> bool:
        """The seed itself or a copy of it by the store's copy links (the import's copy detector)."""
        return other.id == self.seed.id or text_key(other) == text_key(self.seed)

    def admit(self, other: StoredArticle) -> bool:
        """Keep ``other`` unless it reprints the seed or an earlier pick. A linked copy of an earlier pick,
        or of an article rejected as a reprint, is rejected before any body is read."""
        key = text_key(other)
        if key in self._closed:
            return False
        self._closed.add(key)
        if self._seed_body is None:
            self._seed_body = _shingles(self.seed.article.paragraphs)
        body = _shingles(self._paragraphs(other))
        if _contained(self._seed_body, body) or any(_contained(body, b) for _, b in self.kept):
            return False
        self.kept.append((key, body))
        return True
