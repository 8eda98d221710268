"""What a story card shows of its story, for many stories in two statements (both backends).

The home page's story block and ``/stories`` show, for each story, the outlets of its articles and its
newest few reports. Reading every member in full (:meth:`~khabar.storage.base.Store.story_articles`)
for that cost 28 of the 84 ms of a 20-story page on SaudiNewsNet; here the outlets are counted by the
database and only the shown reports are read, as heads (no bodies, tags or entities): ``/stories`` p50
29.0-43.8 -> 16.1-16.6 ms, its 30-day window 83 -> 64-65 ms (same store, both trees alternated).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from khabar.model import StoredArticle

# {ids}: the story ids' placeholders. Ties go to the outlet name, so the order does not depend on the plan.
OUTLETS = (
    "SELECT a.story_id, s.name, count(*) AS n FROM articles a JOIN sources s ON s.id = a.source_id"
    " WHERE a.story_id IN ({ids}) GROUP BY a.story_id, s.name ORDER BY a.story_id, n DESC, s.name"
)
# The newest originals (copies left out) of each story; undated articles last, as on the timeline.
NEWEST = (
    "SELECT story_id, id FROM (SELECT a.story_id, a.id, ROW_NUMBER() OVER (PARTITION BY a.story_id"
    " ORDER BY a.published_at IS NULL, a.published_at DESC, a.id DESC) AS nth"
    " FROM articles a WHERE a.story_id IN ({ids}) AND a.copy_of IS NULL) newest WHERE nth <= ? ORDER BY nth"
)


class StoryGlances:
    """:meth:`story_glances` over the backend's ``_rows``, ``_sql`` and ``article_heads``."""

    _rows: Callable[..., list[Any]]
    _sql: Callable[[str], str]
    article_heads: Callable[..., list[StoredArticle]]

    def story_glances(
        self, story_ids: Sequence[int], members: int = 3
    ) -> dict[int, tuple[list[str], list[StoredArticle]]]:
        ids = list(dict.fromkeys(story_ids))
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        out: dict[int, tuple[list[str], list[StoredArticle]]] = {i: ([], []) for i in ids}
        for story_id, name, _ in self._rows(self._sql(OUTLETS.format(ids=marks)), ids):
            out[story_id][0].append(name)
        newest = self._rows(self._sql(NEWEST.format(ids=marks)), [*ids, members])
        heads = {a.id: a for a in self.article_heads([row[1] for row in newest])}
        for story_id, article_id in newest:
            if article_id in heads:
                out[story_id][1].append(heads[article_id])
        return out
