"""Forgetting an article whose text changed, so that the linker can link it again as if new.

When an article is stored with a new title or body the store drops its copy link
and story (see ``SQLiteStories._drop_stale_links``) and the linker is handed it
again. Before linking it, the linker takes the old text out of its live state:
the :class:`~khabar.enrich.copies.CopyDetector` (so it is not found to be a copy
of its own old text) and the :class:`~khabar.enrich.stories.StoryClusterer`
(its similarity index, its story, its IDF counts), via :func:`forget_item`.

**Copies of a changed article.** They were judged against its old text, so they
are forgotten too and linked again right after it, oldest first, exactly like
new articles:

- a copy that still matches the new text stays its copy (a corrected typo, an
  added paragraph) and follows it into whatever story it now belongs to;
- a copy that no longer matches is linked on its own: the oldest such copy
  becomes the canonical article of the others that still match it, and joins
  the story its text belongs to (usually the story the group was in).

So a wire story whose first publication was replaced by a different text keeps
its reprints together, under the earliest reprint, in the wire story.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from khabar.enrich.stories import StoryClusterer


def forget_item(sc: StoryClusterer, item_id: int) -> bool:
    """Take an added item out of the clusterer: its story (deleted when emptied), its index row,
    its vectors and its share of the IDF counts. False if ``item_id`` was never added."""
    item = sc.items.get(item_id)
    if item is None:
        return False
    story = sc.stories.get(sc.story_of.get(item_id, -1))
    if story is not None:
        sc._detach(story, item_id)
    sc.story_of.pop(item_id, None)
    sc.index.remove(item_id)
    stats = sc.vectorizer.stats
    seen = sc.vectorizer.counts(item.title, item.body)  # what add() observed (replay never sees the old text)
    stats.df.subtract(set(seen))
    stats.docs -= 1
    for table in (sc.items, sc.vecs, sc.title_vecs, sc.term_sets):
        table.pop(item_id, None)
    return True
