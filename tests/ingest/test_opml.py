"""OPML import/export and the real JSON outlet list of ../shared/data/feeds_ar."""

from __future__ import annotations

import loopback_feeds as lf
import pytest

from khabar.ingest.opml import ARAB_COUNTRIES, FeedRef, OPMLError, read_feed_list_json, read_opml, write_opml
from realdata import DATA

FEEDS_AR = DATA / "feeds_ar"
YAVUZ = (FEEDS_AR / "news-feed-list-of-countries__yavuz.json").read_text(encoding="utf-8")
# The Arab-world keys and counts listed in feeds_ar/README.txt.
README_COUNTS = {
    "DZA": 5,
    "EGY": 3,
    "IRQ": 1,
    "JOR": 1,
    "LBY": 2,
    "MAR": 4,
    "PSE": 2,
    "SYR": 1,
    "TUN": 1,
    "YEM": 3,
    "DJI": 1,
    "SOM": 4,
}


def test_real_feed_list_arab_countries():
    refs = read_feed_list_json(YAVUZ, ARAB_COUNTRIES)
    counts: dict[str, int] = {}
    for ref in refs:
        counts[ref.category] = counts.get(ref.category, 0) + 1
    assert counts == README_COUNTS
    algerie = next(r for r in refs if r.title == "Algerie360.com")
    assert algerie == FeedRef("http://www.algerie360.com/feed/", "Algerie360.com", "http://www.algerie360.com/", "DZA")


def test_real_feed_lists_round_trip_through_opml():
    for name in (
        "news-feed-list-of-countries__yavuz.json",
        "news-feed-list-of-countries__yavuz_active-feeds-auto-generated.json",
    ):
        refs = read_feed_list_json((FEEDS_AR / name).read_text(encoding="utf-8"))
        assert len(refs) > 100
        # Written grouped by category, so compare as sets of records.
        assert sorted(read_opml(write_opml(refs)), key=repr) == sorted(refs, key=repr)


def test_written_opml_groups_by_category():
    refs = [FeedRef("http://a.example/feed", "الشروق", "http://a.example/", "EGY"), FeedRef("http://b.example/rss")]
    text = write_opml(refs, title="قائمة")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>') and "<title>قائمة</title>" in text
    assert '<outline text="EGY" title="EGY">' in text and 'xmlUrl="http://b.example/rss"' in text
    assert read_opml(text) == [refs[0], FeedRef("http://b.example/rss", "http://b.example/rss")]


def test_reads_nested_folders_category_attributes_and_opml_1():
    text = """<?xml version="1.0" encoding="utf-8"?>
<opml version="1.0"><head><title>x</title></head><body>
  <outline text="أخبار">
    <outline text="Inner"><outline text="Deep &amp; Co" type="rss" xmlUrl="http://d.example/feed"/></outline>
    <outline text="سكاي نيوز" xmlUrl="http://s.example/rss" htmlUrl="http://s.example/"/>
    <outline text="Tagged" xmlUrl="http://t.example/rss" category="/Sport/Football,Other"/>
  </outline>
  <outline text="Dup" xmlUrl="http://s.example/rss"/>
  <outline text="Loose" xmlurl="http://l.example/atom"/>
</body></opml>"""
    assert read_opml(text) == [
        FeedRef("http://d.example/feed", "Deep & Co", "", "Inner"),
        FeedRef("http://s.example/rss", "سكاي نيوز", "http://s.example/", "أخبار"),
        FeedRef("http://t.example/rss", "Tagged", "", "Sport/Football"),
        FeedRef("http://l.example/atom", "Loose", "", ""),
    ]


@pytest.mark.parametrize(
    "text,message",
    [
        (lf.billion_laughs().replace(b"DOCTYPE rss", b"DOCTYPE opml"), "entity declaration"),
        ("<opml><head/><body><outline text='x'></body></opml>", "malformed XML"),
        (lf.rss20([]), "not OPML"),
        ("<opml version='2.0'><head/></opml>", "without a <body>"),
    ],
)
def test_bad_opml_is_a_clear_error(text, message):
    with pytest.raises(OPMLError, match=message):
        read_opml(text)


def test_bad_feed_list_json():
    with pytest.raises(OPMLError, match="malformed"):
        read_feed_list_json("{")
    with pytest.raises(OPMLError, match="must map"):
        read_feed_list_json("[]")
