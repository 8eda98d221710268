"""A person named in full and by surname is one entity and one tag; a father's name in a nasab
(محمد بن سلمان) and a surname two names share stay apart. Names are taken from real articles."""

from __future__ import annotations

from khabar.enrich.person_names import short_forms
from khabar.enrich.pipeline import Enricher
from khabar.model import Article
from realdata import ANT, SAMPLE, iter_jsonl

POMPEO = "http://www.bbc.co.uk/arabic/world-44049490"  # in the bundled sample
KING = "الملك-سلمان-يصل-إلى-موقع-القدية-في-الرياض-لتدشينه"  # an ANT article naming the king and his son


PUTIN = "https://www.alarabiya.net/ar/arab-and-world/2018/05/09/بوتين-يعرب-عن-بالغ-قلقه-من-قرار-ترمب-بشأن-إيران.html"
BUSH = "http://www.bbc.co.uk/arabic/world-43812894"  # an ANT article naming George and Jeb Bush


def sample_article(url: str) -> Article:
    record = next(r for r in iter_jsonl(SAMPLE) if r["url"] == url)
    return Article(url=url, title=record["title"], paragraphs=record["body"].split("\n\n"))


def test_surname_folds_into_the_full_name() -> None:
    text = sample_article(POMPEO).body
    assert "مايك بومبيو" in text and text.count("بومبيو") > text.count("مايك بومبيو")
    assert short_forms(["مايك بومبيو", "بومبيو", "لبومبيو", "دونالد ترامب", "ترامب"]) == {
        "بومبيو": "مايك بومبيو", "ترامب": "دونالد ترامب"}


def test_a_fathers_name_is_not_a_surname() -> None:
    text = next(r["text"] for r in iter_jsonl(ANT) if KING in r["url"])
    assert "محمد بن سلمان" in text and "الملك سلمان" in text
    assert short_forms(["محمد بن سلمان", "سلمان"]) == {}


def test_a_surname_two_names_share_stays() -> None:
    text = next(r["text"] for r in iter_jsonl(ANT) if r["url"] == BUSH)
    assert "جورج بوش" in text and "جيب بوش" in text
    assert short_forms(["جورج بوش", "جيب بوش", "بوش"]) == {}
    assert short_forms(["جورج بوش", "بوش"]) == {"بوش": "جورج بوش"}


def test_pipeline_lists_the_person_once() -> None:
    article = sample_article(POMPEO)
    found = [{"text": t, "type": k} for t, k in
             [("مايك بومبيو", "PERS"), ("بومبيو", "PERS"), ("كوريا الشمالية", "LOC"), ("بومبيو", "PERS")]]
    enricher = Enricher(lambda a: "", lambda text: [f for f in found if f["text"] in text],
                        lambda a, entities=None: ["بومبيو", "كوريا الشمالية"], defaults=False)
    out = enricher.enrich(article)
    assert [(e.text, e.type) for e in out.entities] == [("مايك بومبيو", "PERS"), ("كوريا الشمالية", "LOC")]
    assert out.tags == ["مايك بومبيو", "كوريا الشمالية"]
    assert enricher.analyze(article)["entities"] == [{"text": "مايك بومبيو", "type": "PERS"},
                                                     {"text": "كوريا الشمالية", "type": "LOC"}]


def test_two_names_run_together_take_nothing() -> None:
    """The tagger's output on a real sample article: "نتنياهو بوتين" is two names, not one."""
    article = sample_article(PUTIN)
    assert "نتنياهو" in article.body and "بوتين" in article.body
    names = ["بوتين", "بنيامين نتنياهو", "نتنياهو", "نتنياهو بوتين"]
    assert short_forms(names) == {"نتنياهو": "بنيامين نتنياهو"}
