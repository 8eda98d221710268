"""The periodic pass over live stories: split what drifted, merge what converged.

Online assignment sees each article once, in arrival order; an early article
can pull the wrong neighbours in, and two halves of one event can start apart
before the article that links them arrives. Both fixes reuse the clusterer's
pair probability and threshold, so they add no parameters. A merge asks for
*average* link over all cross pairs at the threshold: under the online max
link, one strong cross pair would already have joined the stories, and
merging on it again chains same-topic events together (dev gold CV, see
``bench/stories.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from khabar.enrich.stories import StoryClusterer


def split_drifted(sc: StoryClusterer, since: float) -> int:
    """Detach members whose link to the rest of their story fell below the
    threshold, and re-assign each to its best other story (or a new one)."""
    moved = 0
    for story in [s for s in sc.stories.values() if s.last_updated >= since and len(s.members) >= 3]:
        for m in list(story.members):
            if len(story.members) < 3:
                break
            item, vec = sc.items[m], sc.vecs[m]
            if sc.story_score(item, vec, story.members[-sc.max_members :]) >= sc.threshold:
                continue
            sc._detach(story, m)
            best, score = _best_other(sc, m, exclude=story.id)
            target = sc.stories[best] if best is not None and score >= sc.threshold else sc._new_story()
            sc._attach(target, item)
            moved += 1
    return moved


def _best_other(sc: StoryClusterer, item_id: int, exclude: int) -> tuple[int | None, float]:
    item, vec = sc.items[item_id], sc.vecs[item_id]
    rows, sims = sc.index.search(vec, item.time - sc.window, floor=0.05)
    cands = {sc.story_of[int(r)] for r in rows[np.argsort(-sims)[:50]] if int(r) != item_id}
    cands.discard(exclude)
    scored = [(sc.story_score(item, vec, sc.stories[s].members[-sc.max_members :]), s) for s in cands]
    if not scored:
        return None, 0.0
    score, sid = max(scored)
    return sid, score


def story_link(sc: StoryClusterer, a: list[int], b: list[int]) -> float:
    """Average same-event probability over the cross pairs of two member lists."""
    probs = [sc.pair_prob(sc.items[x], sc.vecs[x], y) for x in a for y in b]
    return float(np.mean(probs)) if probs else 0.0


def merge_converged(sc: StoryClusterer, since: float) -> int:
    """Merge pairs of stories whose average cross link reaches the threshold."""
    merged = 0
    for sid in sorted(sc.stories):
        story = sc.stories.get(sid)
        if story is None or story.last_updated < since:
            continue
        members = story.members[-sc.max_members :]
        cands: set[int] = set()
        # Only a member added since the last pass can have made two stories converge: search from those.
        for m in (m for m in members if sc.items[m].time >= since):
            rows, sims = sc.index.search(sc.vecs[m], sc.items[m].time - sc.window, floor=0.05)
            cands.update(sc.story_of[int(r)] for r in rows[np.argsort(-sims)[:20]])
        cands.discard(sid)
        for other_id in sorted(cands):
            other = sc.stories.get(other_id)
            if other is None or story_link(sc, members, other.members[-sc.max_members :]) < sc.threshold:
                continue
            for m in list(other.members):
                sc._detach(other, m)
                sc._attach(story, sc.items[m])
            merged += 1
    return merged
