"""Online story clustering on real articles of the dev gold day (SaudiNewsNet, 2015-08-03)."""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from pathlib import Path

import pytest

from khabar.enrich.copies import CopyDetector
from khabar.enrich.stories import DAY, Item, StoryClusterer
from khabar.enrich.vectorize import Vectorizer

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
SNN = DATA / "saudinewsnet" / "saudinewsnet.jsonl.gz"
pytestmark = pytest.mark.skipif(not SNN.exists(), reason="needs ../shared/data (research-only, not shipped)")

T0 = 1438624800.0  # 2015-08-03 18:00 UTC
# Title prefixes of real articles. Three football matches reported the same day must stay three stories:
# Arsenal 1-0 Chelsea (gold dev-6), and two friendlies of Saudi clubs in their camps, both won 2-0 with
# near-identical headlines (Al-Hilal v Al-Ain, Al-Nassr v Al-Sadd; outside the gold sample). dev-10: PKK attack.
ARSENAL = ["آرسنال يفوز على تشلسي ويتوج بطلاً للدرع الخيرية", "آرسنال يكسب تشلسي ويطير ببطولة الدرع الخيرية"]
HILAL = ["الهلال يكسب ودية العين بهدفي الشلهوب والكعبي", "الهلال يكسب ودية العين بقذيفتي الشلهوب وكعبي",
         "الهلال يهزم العين الإمارتي وديا.. ويلاقي أودينيزي الأربعاء"]
NASSR = ["النصر يفوز في تجربة السد بهدفي السهلاوي وجمعان", "النصر يكسب السد القطري بثنائية السهلاوي وجمعان"]
TURKEY = ["تركيا.. هجوم انتحاري يقتل جنديين ويصيب 24", "مقتل جنديين وإصابة 24 في هجوم بشرق تركيا"]
OTHERS = ["مدني عسير يحذر من المخاطر المصاحبة للأمطار والسيول", "التجارة تطلق الدفع المباشر",
          "مصرع ما لا يقل عن 46 شخصا في فيضانات تجتاح بورما"]


@lru_cache(maxsize=1)
def day() -> tuple[dict, Vectorizer]:
    """Articles of the day by title prefix, and a vectorizer whose IDF saw the whole day."""
    rows: dict[str, dict] = {}
    vec = Vectorizer()
    with gzip.open(SNN, "rt", encoding="utf-8") as fh:
        for line in fh:
            if '"date_extracted": "2015-08-03' in line:
                row = json.loads(line)
                rows.setdefault((row["title"] or "")[:50].strip(), row)
                vec.observe(vec.counts(row["title"] or "", row["content"] or ""))
    return rows, vec


def item(n: int, title: str, hours: float = 0.0) -> Item:
    row = day()[0][title[:50].strip()]
    return Item(n, row["title"], row["content"], row["source"], T0 + hours * 3600)


def clusterer() -> StoryClusterer:
    vec = day()[1]
    return StoryClusterer(vectorizer=Vectorizer(vec.stats, vec.title_weight))


def add_all(sc: StoryClusterer, titles: list[str]) -> list[int]:
    return [sc.add(item(i, t, hours=0.1 * i), observe=False) for i, t in enumerate(titles)]


def test_football_matches_on_one_day_stay_apart():
    sc = clusterer()
    h1, n1, a1, h2, n2, a2, h3 = add_all(sc, [HILAL[0], NASSR[0], ARSENAL[0], HILAL[1], NASSR[1], ARSENAL[1], HILAL[2]])
    assert h1 == h2 == h3 and n1 == n2 and a1 == a2
    assert len({h1, n1, a1}) == 3


def test_same_event_in_own_words_is_one_story_but_not_a_copy():
    sc = clusterer()
    stories = add_all(sc, [*OTHERS, *TURKEY])
    assert stories[-1] == stories[-2] and len(set(stories)) == len(OTHERS) + 1
    rows = day()[0]
    det = CopyDetector()
    det.add(1, rows[TURKEY[0][:50].strip()]["content"])
    assert det.add(2, rows[TURKEY[1][:50].strip()]["content"]) is None


def test_story_gains_an_article_hours_later_but_not_weeks_later():
    sc = clusterer()
    first = sc.add(item(1, TURKEY[0]), observe=False)
    assert sc.add(item(2, OTHERS[0], hours=1), observe=False) != first
    assert sc.add(item(3, TURKEY[1], hours=9), observe=False) == first
    story = sc.stories[first]
    assert story.article_count == 2 and story.outlet_count == 2
    assert story.last_updated - story.first_seen == 9 * 3600
    assert [it.id for it in sc.timeline(first)] == [1, 3]
    late = StoryClusterer(vectorizer=sc.vectorizer)
    s1 = late.add(item(1, TURKEY[0]), observe=False)
    assert late.add(item(3, TURKEY[1], hours=21 * 24), observe=False) != s1  # 3 weeks: time decay wins
    assert late.window == 7 * DAY


def test_headline_is_a_member_title_and_refine_keeps_good_stories():
    sc = clusterer()
    add_all(sc, [*ARSENAL, *HILAL, *NASSR, *TURKEY, *OTHERS])
    before = sorted(sorted(s.members) for s in sc.stories.values())
    sc.refine()
    assert sorted(sorted(s.members) for s in sc.stories.values()) == before
    for sid, story in sc.stories.items():
        assert sc.headline(sid) in {sc.items[m].title for m in story.members}


def test_link_is_max_by_default_and_mean_still_separates_matches():
    assert clusterer().link == "max"
    with pytest.raises(ValueError):
        StoryClusterer(link="single")
    vec = day()[1]
    sc = StoryClusterer(vectorizer=Vectorizer(vec.stats, vec.title_weight), link="mean")
    h1, n1, a1, h2, n2, a2 = add_all(sc, [HILAL[0], NASSR[0], ARSENAL[0], HILAL[1], NASSR[1], ARSENAL[1]])
    assert len({h1, n1, a1}) == 3
