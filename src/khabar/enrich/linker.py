"""Links newly stored articles: copies to their canonical article, everything to a story.

:class:`Linker` owns a :class:`CopyDetector` and a :class:`StoryClusterer`.
Their state is rebuilt from the store lazily, on the first batch that has
something to link, by replaying the already linked articles in id order
(every one for copies; for stories only those published within
``story_days`` before the earliest new article). Then, in input order, each
new article is checked for being a copy — a copy joins its canonical
article's story — and the others are clustered into stories. Articles that
already have a story are left alone, so a re-import changes nothing.

An article stored with a changed title or body comes back without links (the
store drops them) and is linked again as if new: its old text is first taken
out of the detector and the clusterer, and its former copies are re-linked
right after it (see :mod:`khabar.enrich.relink` for what happens to them).
The stories they left are refreshed like any other touched story.

After each :meth:`Linker.link` call the clusterer's periodic pass
(:meth:`StoryClusterer.refine`: split what drifted, merge what converged) runs
over the stories updated since the call's earliest article, and the moves are
persisted: an article that changes story takes its copies along, a story
whose members all left is deleted by the store. :meth:`Linker.refine` runs
the same pass on demand (``khabar stories --refine``).

Headlines: the store's default is the earliest non-copy title; for stories
the clusterer holds with several members the linker sets the most central
title (highest summed cosine to the other members, :meth:`StoryClusterer.headline`).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from khabar.enrich.copies import CopyDetector
from khabar.enrich.relink import forget_item
from khabar.enrich.stories import DAY, Item, StoryClusterer
from khabar.model import StoredArticle, TextRow
from khabar.storage.base import Store


@dataclass
class LinkResult:
    """What one :meth:`Linker.link` call recorded."""

    linked: int = 0
    copies: int = 0
    new_stories: int = 0
    stories: set[int] = field(default_factory=set)
    splits: int = 0  # members the periodic pass moved out of a story that drifted
    merges: int = 0  # story pairs it merged


def _epoch(when: datetime | None, fallback: float) -> float:
    return when.timestamp() if when is not None else fallback


class Linker:
    """Persists copy and story links of new articles through the store's methods."""

    def __init__(self, store: Store, story_days: float = 7.0) -> None:
        self.store, self.story_days = store, story_days
        self.copies = CopyDetector()
        self.clusterer = StoryClusterer()
        self.replay_seconds = 0.0
        self.replayed = 0
        self._loaded = False
        self._story_of: dict[int, int] = {}  # article id -> stored story id
        self._cluster_of: dict[int, int] = {}  # stored story id -> clusterer story id
        self._copies: dict[int, list[int]] = {}  # canonical article id -> its copies (they follow it)
        self._copy_of: dict[int, int] = {}  # copy -> its canonical article id
        # During one link() call: re-linked article -> the story it left, which it takes back if it starts a
        # new story and nobody else is left in it (a corrected typo keeps a story's id and page).
        self._reclaim: dict[int, int] = {}

    # -- replay -----------------------------------------------------------------------
    def _load(self, earliest: float) -> None:
        """Rebuild detector and clusterer state from the already linked articles."""
        if self._loaded:
            return
        start, cutoff = time.perf_counter(), earliest - self.story_days * DAY
        for row in self.store.iter_texts():
            if row.story_id is not None:
                self._replay(row, cutoff)
        self._loaded = True
        self.replay_seconds = time.perf_counter() - start

    def _replay(self, row: TextRow, cutoff: float) -> None:
        self.replayed += 1
        self._story_of[row.id] = row.story_id
        self.copies.add(row.id, row.body)
        if row.copy_of is not None:
            self._copies.setdefault(row.copy_of, []).append(row.id)
            self._copy_of[row.id] = row.copy_of
        when = _epoch(row.published_at, cutoff)
        if row.copy_of is None and when >= cutoff:
            sid = self.clusterer.add(Item(row.id, row.title, row.body, row.source, when))
            self._cluster_of.setdefault(row.story_id, sid)

    # -- linking ----------------------------------------------------------------------
    def link(self, ids: Sequence[int]) -> LinkResult:
        """Link the articles ``ids`` that have no story yet, in the order given."""
        result = LinkResult()
        todo = [a for a in self.store.get_articles(list(dict.fromkeys(ids))) if a.story_id is None]
        if not todo:
            return result
        now = time.time()
        self._load(min(_epoch(a.article.published_at, now) for a in todo))
        todo, relinked = self._forget_changed(todo, result)
        copy_pairs: list[tuple[int, int | None]] = []
        story_pairs: list[tuple[int, int]] = []
        for stored in todo:
            canonical, story = self._link_one(stored, now, result)
            if canonical is not None or stored.id in relinked:  # a re-linked copy may be one no longer
                copy_pairs.append((stored.id, canonical))
            story_pairs.append((stored.id, story))
        self.store.set_copy_of(copy_pairs)
        self.store.assign_stories(story_pairs)
        since = min((self.clusterer.items[a].time for a, _ in story_pairs if a in self.clusterer.items), default=None)
        if since is not None:
            self._refine(since, result)
        self._persist_stories(result.stories)
        self._reclaim = {}
        result.linked, result.copies = len(todo), sum(c is not None for _, c in copy_pairs)
        return result

    # -- changed texts ------------------------------------------------------------------
    def _forget_changed(self, todo: list[StoredArticle], result: LinkResult) -> tuple[list[StoredArticle], set[int]]:
        """Forget the old state of the articles among ``todo`` that were linked before (their text changed)
        and of their copies. Returns what to link, each such article followed by its former copies in id
        order, and the ids of the former copies."""
        known = [a.id for a in todo if a.id in self._story_of or a.id in self._copies or a.id in self.copies]
        if not known:
            return todo, set()
        queued = {a.id for a in todo}
        follow: dict[int, list[int]] = {}
        left: dict[int, int] = {}  # forgotten article -> the story it was in
        for aid in known:
            copies = self._forget(aid, result, left)
            for c in copies:
                self._forget(c, result, left)
            if aid not in left and copies and copies[0] in left:
                left[aid] = left[copies[0]]  # the store already dropped its story; its copies were in it
            follow[aid] = sorted(c for c in copies if c not in queued)
            queued.update(follow[aid])
        free = {s for s in set(left.values()) if self._only(s, queued)}
        self._reclaim = {a: s for a, s in left.items() if s in free}
        extra = {a.id: a for a in self.store.get_articles([c for cs in follow.values() for c in cs])}
        order = [x for a in todo for x in (a, *(extra[c] for c in follow.get(a.id, ()) if c in extra))]
        return order, {c for cs in follow.values() for c in cs}

    def _only(self, story: int, relinked: set[int]) -> bool:
        """The stored story still exists and every member left is being re-linked now."""
        members = self.store.story_articles(story)
        return bool(members) and all(m.id in relinked for m in members)

    def _forget(self, aid: int, result: LinkResult, left: dict[int, int]) -> list[int]:
        """Drop an article from the detector, the clusterer and the link maps; returns its former copies.
        The story it was in counts as touched (refreshed, or deleted when emptied)."""
        old = self._story_of.pop(aid, None)
        if old is not None:
            result.stories.add(old)
            left[aid] = old
        canonical = self._copy_of.pop(aid, None)
        if canonical is not None and aid in self._copies.get(canonical, ()):
            self._copies[canonical].remove(aid)
        self.copies.remove(aid)
        forget_item(self.clusterer, aid)
        return self._copies.pop(aid, [])

    def _link_one(self, stored: StoredArticle, now: float, result: LinkResult) -> tuple[int | None, int]:
        """(canonical id if a copy, stored story id) of one new article."""
        a = stored.article
        canonical = self.copies.add(stored.id, a.body)
        if canonical is not None and canonical in self._story_of:
            story = self._story_of[canonical]
            self._copies.setdefault(canonical, []).append(stored.id)
            self._copy_of[stored.id] = canonical
        else:
            when = _epoch(a.published_at or a.fetched_at, now)
            sid = self.clusterer.add(Item(stored.id, a.title, a.body, a.source, when))
            story = self._stored_story(sid, stored.id, result)
            self._cluster_of[story] = sid
        self._story_of[stored.id] = story
        result.stories.add(story)
        return canonical, story

    # -- the periodic pass ------------------------------------------------------------------
    def refine(self, hours: float | None = None) -> LinkResult:
        """Split drifted and merge converged stories among those updated in the last ``hours`` before the newest
        stored article (default: the whole ``story_days`` window), and persist the moves."""
        result = LinkResult()
        latest = self.store.latest(1)
        if not latest:
            return result
        newest = _epoch(latest[0].article.published_at, time.time())
        self._load(newest)
        self._refine(newest - (self.story_days * DAY if hours is None else hours * 3600.0), result)
        self._persist_stories(result.stories)
        return result

    def _refine(self, since: float, result: LinkResult) -> None:
        """Run the clusterer's pass from ``since``; move articles (with their copies) to follow it in the store."""
        result.splits, result.merges = self.clusterer.refine(since)
        if not (result.splits or result.merges):
            return
        moves: list[tuple[int, int]] = []
        claimed: set[int] = set()
        groups = sorted(self.clusterer.stories.values(), key=lambda s: (-len(s.members), s.id))
        for cs in groups:
            held = Counter(self._story_of[m] for m in cs.members if m in self._story_of)
            owner = next((sid for sid, _ in held.most_common() if sid not in claimed), None)
            if owner is None:
                owner = self.store.save_story(self.clusterer.items[cs.members[0]].title)
                result.new_stories += 1
            claimed.add(owner)
            self._cluster_of[owner] = cs.id
            for m in cs.members:
                if self._story_of.get(m) != owner:
                    result.stories.add(self._story_of.get(m, owner))
                    result.stories.add(owner)
                    moves += [(a, owner) for a in (m, *self._copies.get(m, ()))]
        for aid, owner in moves:
            self._story_of[aid] = owner
        for emptied in result.stories - claimed:
            self._cluster_of.pop(emptied, None)
        self.store.assign_stories(moves)

    def _stored_story(self, cluster_sid: int, article_id: int, result: LinkResult) -> int:
        """The stored story of a clusterer story: its first member's, the one a re-linked article takes
        back, or a new one."""
        for member in self.clusterer.stories[cluster_sid].members:
            if member != article_id and member in self._story_of:
                return self._story_of[member]
        if article_id in self._reclaim:
            story = self._reclaim[article_id]
            self._reclaim = {a: s for a, s in self._reclaim.items() if s != story}
            return story
        result.new_stories += 1
        return self.store.save_story(self.clusterer.items[article_id].title)

    def _persist_stories(self, stories: set[int]) -> None:
        """Recompute the touched stories; set the central headline where the clusterer has several members."""
        self.store.refresh_stories(sorted(stories))
        for story in sorted(stories):
            sid = self._cluster_of.get(story)
            if sid is not None and sid in self.clusterer.stories and self.clusterer.stories[sid].article_count > 1:
                self.store.save_story(self.clusterer.headline(sid), story)
