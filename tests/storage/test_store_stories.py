"""Store contract for copies and stories (both backends), on real ANT articles."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import timedelta

from ant_sample import Sample

from khabar.arabic import search_terms
from khabar.model import Article, Filters, TextQuery
from khabar.storage import Store


def _by_outlet(ant: Sample, n: int) -> list[Article]:
    """``n`` real articles of ``n`` different outlets, oldest first (distinct publication times)."""
    seen: dict[str, Article] = {}
    for a in sorted(ant.all, key=lambda a: a.published_at):
        if a.source not in seen and all(a.published_at != b.published_at for b in seen.values()):
            seen[a.source] = a
    picked = list(seen.values())
    assert len(picked) >= n, "the sample has too few outlets"
    return picked[:n]


def _stored(store: Store, articles: list[Article]) -> list[int]:
    store.add_articles(articles)
    ids = store.ids_for_urls(a.url for a in articles)
    return [ids[a.url] for a in articles]


def test_ids_for_urls_and_copies(store: Store, ant: Sample) -> None:
    arts = _by_outlet(ant, 3)
    a, b, c = _stored(store, arts)
    assert store.ids_for_urls([arts[0].url, "https://nowhere.example/x"]) == {arts[0].url: a}
    assert store.copies_of(a) == []
    store.set_copy_of([(b, a), (c, a)])
    assert [s.id for s in store.copies_of(a)] == [b, c]  # publication order
    assert store.get_article(arts[1].url).copy_of == arts[0].url
    store.set_copy_of([(c, None)])
    assert [s.id for s in store.copies_of(a)] == [b]
    assert store.get_article(arts[2].url).copy_of is None


def test_originals_filter_leaves_copies_out_of_listings_counts_and_search(store: Store, ant: Sample) -> None:
    arts = _by_outlet(ant, 3)
    a, b, c = _stored(store, arts)
    store.set_copy_of([(b, a)])
    only = Filters(originals=True)
    assert {s.id for s in store.latest(10, 0, only)} == {a, c} and store.count_articles(only) == 2
    assert store.count_articles(Filters(source=arts[1].source, originals=True)) == 0
    query = TextQuery(terms=tuple(search_terms(arts[1].title)[:2]), match_any=True)
    assert b in {i for i, _ in store.search_ids(query, 50)}
    assert b not in {i for i, _ in store.search_ids(query, 50, 0, only)}


def test_iter_texts_in_id_order_with_links(store: Store, ant: Sample) -> None:
    arts = ant.all[:7]
    ids = _stored(store, arts)
    story = store.save_story("")
    store.assign_stories([(ids[0], story)])
    store.set_copy_of([(ids[1], ids[0])])
    rows = list(store.iter_texts(batch=3))
    assert [r.id for r in rows] == sorted(ids)
    first = rows[0]
    assert (first.title, first.body, first.source) == (arts[0].title, arts[0].body, arts[0].source)
    assert first.published_at == arts[0].published_at
    assert (first.story_id, first.copy_of, rows[1].story_id, rows[1].copy_of) == (story, None, None, ids[0])
    assert [r.id for r in store.iter_texts(after_id=ids[4])] == ids[5:]


def test_story_counts_headline_and_timeline(store: Store, ant: Sample) -> None:
    arts = _by_outlet(ant, 3)
    a, b, c = _stored(store, [arts[2], arts[0], arts[1]])  # stored newest first
    story = store.save_story()
    assert store.get_story(story).article_count == 0
    store.assign_stories([(a, story), (b, story), (c, story)])
    store.set_copy_of([(b, c)])  # the oldest member is a copy: the headline is the oldest canonical title
    store.refresh_stories([story])
    row = store.get_story(story)
    assert (row.article_count, row.outlet_count, row.headline) == (3, 3, arts[1].title)
    assert (row.first_seen, row.last_updated) == (arts[0].published_at, arts[2].published_at)
    assert [s.id for s in store.story_articles(story)] == [b, c, a]
    assert store.save_story("عنوان القصة", story) == story
    assert store.get_story(story).headline == "عنوان القصة"
    assert store.get_story(story + 1000) is None
    assert store.story_articles(story + 1000) == []


def test_hot_stories_rank_outlets_then_articles_in_window(store: Store, ant: Sample) -> None:
    arts = _by_outlet(ant, 4)
    same = [x for x in ant.all if x.source == arts[3].source and x.url != arts[3].url][:2]
    assert len(same) == 2
    ids = _stored(store, arts + same)
    wide, deep, lone = store.save_story(), store.save_story(), store.save_story()
    store.assign_stories([(ids[0], wide), (ids[1], wide), (ids[2], lone), (ids[3], deep), (ids[4], deep)])
    store.assign_stories([(ids[5], deep)])
    store.refresh_stories([wide, deep, lone])
    ranked = [s.id for s in store.hot_stories()]
    assert ranked == [wide, deep, lone]  # 2 outlets; then 1 outlet with 3 articles; then 1 with 1
    after = max(a.published_at for a in arts[:2]) + timedelta(seconds=1)
    windowed = {s.id for s in store.hot_stories(since=after)}
    assert wide not in windowed
    assert [s.id for s in store.hot_stories(limit=1, offset=1)] == ranked[1:2]
    assert [s.id for s in store.hot_stories(min_outlets=2)] == [wide]
    assert not store.hot_stories(since=after, min_outlets=2)  # outlets are counted inside the window
    assert [s.id for s in store.all_stories()] == sorted([wide, deep, lone])


def test_hot_stories_count_outlets_inside_the_window(store: Store, ant: Sample) -> None:
    """A story that began before the window and has one outlet inside it is not a multi-outlet story
    of the window, though it has two outlets in all and was updated inside the window."""
    arts = _by_outlet(ant, 4)
    ids = _stored(store, arts)
    straddling, recent = store.save_story(), store.save_story()
    store.assign_stories([(ids[0], straddling), (ids[2], straddling), (ids[1], recent), (ids[3], recent)])
    store.refresh_stories([straddling, recent])
    since = arts[1].published_at  # arts[0] is older; arts[1], arts[2] and arts[3] are inside
    assert store.get_story(straddling).outlet_count == 2
    assert [s.id for s in store.hot_stories(since, min_outlets=2)] == [recent]
    assert {s.id for s in store.hot_stories(since)} == {straddling, recent}
    assert [s.id for s in store.hot_stories(since + timedelta(days=3650))] == []


def test_story_glances_match_the_full_timeline(store: Store, ant: Sample) -> None:
    """A story card's outlets and newest reports, read in two statements, are what the full timeline gives:
    outlets by number of articles, the newest originals first, copies left out; an unknown story is empty."""
    arts = _by_outlet(ant, 3)
    extra = [x for x in ant.all if x.source == arts[0].source and x.url != arts[0].url][:2]
    ids = _stored(store, arts + extra)
    story, other = store.save_story(), store.save_story()
    store.assign_stories([(i, story) for i in ids[:4]] + [(ids[4], other)])
    when = {i: a.published_at for i, a in zip(ids, arts + extra, strict=True)}
    latest = max(ids[:4], key=lambda i: (when[i], i))
    store.set_copy_of([(latest, min(ids[:4]))])  # the newest member re-publishes the oldest
    store.refresh_stories([story, other])
    glances = store.story_glances([story, other, 987654], members=2)
    timeline = store.story_articles(story)
    outlets = Counter(a.article.source for a in timeline).most_common()
    assert glances[story][0] == [name for name, _ in sorted(outlets, key=lambda o: (-o[1], o[0]))]
    newest = [a for a in timeline if a.copy_of is None][::-1][:2]
    assert [a.id for a in glances[story][1]] == [a.id for a in newest] and latest not in [a.id for a in newest]
    assert [a.article.title for a in glances[story][1]] == [a.article.title for a in newest]
    assert [a.id for a in glances[other][1]] == [ids[4]] and glances[other][0] == [arts[0].source]
    assert glances[987654] == ([], []) and store.story_glances([]) == {}


def test_refresh_deletes_a_story_its_members_all_left(store: Store, ant: Sample) -> None:
    a, b = _stored(store, _by_outlet(ant, 2))
    kept, left = store.save_story(), store.save_story()
    store.assign_stories([(a, kept), (b, left)])
    store.refresh_stories([kept, left])
    store.assign_stories([(b, kept)])  # a merge: the second story's only member moves
    store.refresh_stories([kept, left])
    assert store.get_story(left) is None and [s.id for s in store.all_stories()] == [kept]
    assert store.get_story(kept).article_count == 2


def test_new_text_drops_links_and_refreshes_the_story_left(store: Store, ant: Sample) -> None:
    arts = _by_outlet(ant, 3)
    a, b, c = _stored(store, arts)
    story = store.save_story()
    store.assign_stories([(a, story), (b, story), (c, story)])
    store.set_copy_of([(c, a)])
    store.refresh_stories([story])
    # Not the text: a new section or author keeps every link; a new date re-dates the story.
    later = arts[2].published_at + timedelta(days=1)
    assert store.add_articles([replace(arts[1], section="economy", author="محرر")]) == ["updated"]
    assert store.add_articles([replace(arts[2], published_at=later)]) == ["updated"]
    assert [(s.story_id, s.copy_of) for s in store.get_articles([b, c])] == [(story, None), (story, arts[0].url)]
    assert store.get_story(story).last_updated == later
    # A new body (the text of another real article) unlinks the article; its story counts without it.
    other = next(x for x in reversed(ant.all) if x.url not in {y.url for y in arts})
    assert store.add_articles([replace(arts[2], paragraphs=other.paragraphs)]) == ["updated"]
    moved = store.get_article(arts[2].url)
    assert (moved.story_id, moved.copy_of) == (None, None)
    row = store.get_story(story)
    assert (row.article_count, row.outlet_count, row.last_updated) == (2, 2, arts[1].published_at)
    # A new title alone does too; the story it emptied is deleted.
    alone = store.save_story()
    store.assign_stories([(b, alone)])
    store.refresh_stories([story, alone])
    assert store.add_articles([replace(arts[1], title=arts[1].title + " (محدث)")]) == ["updated"]
    assert store.get_article(arts[1].url).story_id is None and store.get_story(alone) is None
    assert store.get_story(story).article_count == 1
