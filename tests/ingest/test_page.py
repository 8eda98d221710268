"""The cue-table pass over page blocks (khabar.ingest.page)."""

from __future__ import annotations

from khabar.ingest.page import cue_table, infer_headline, match_cue, understand

LEDE = "أعلنت الحكومة اليوم عن خطة جديدة لدعم قطاع الطاقة، وقالت إنها ستبدأ العام المقبل."


def test_cues_are_data():
    table = cue_table()
    assert {"related", "source", "tags", "similar", "agency", "boilerplate"} <= set(table)


def test_related_variants():
    for cue in ("إقرأ المزيد", "اقرأ أيضاً:", "اقرأ أيضًا", "إقرأ ايضا -", "شاهد أيضا:", "طالع أيضاً"):
        assert match_cue(f"{cue} عنوان خبر آخر", "related") == "عنوان خبر آخر", cue
    assert match_cue("قرأ الرئيس البيان", "related") is None


def test_attribution_forms_in_order():
    blocks = ["أبوظبي - سكاي نيوز عربية", LEDE, "وأضاف المتحدث أن الخطة ستنفذ على مراحل. (رويترز)",
              "- أ ف ب", "(وكالات)", "المصدر: الأناضول"]  # fmt: skip
    e = understand(blocks)
    assert e.attributions == ["سكاي نيوز عربية", "رويترز", "أ ف ب", "وكالات", "الأناضول"]
    assert len(e.paragraphs) == 2


def test_inline_dateline_kept_in_text():
    e = understand(["القاهرة - أ ش أ: " + LEDE])
    assert e.attributions == ["أ ش أ"] and e.paragraphs[0].startswith("القاهرة")


def test_title_first_block_or_inferred():
    e = understand(["خطة جديدة لدعم الطاقة", LEDE])
    assert e.title == "خطة جديدة لدعم الطاقة" and not e.title_inferred and e.paragraphs == [LEDE]
    e = understand([LEDE])
    assert e.title_inferred and e.title == "أعلنت الحكومة اليوم عن خطة جديدة لدعم قطاع الطاقة"
    assert infer_headline("قصير جدا.") == "قصير جدا"


def test_tags_heading_then_lines_and_similar_lists():
    blocks = [LEDE, "الوسوم", "الطاقة", "الحكومة", "أخبار ذات صلة", "• خبر أول عن الطاقة", "• خبر ثان عن الحكومة"]
    e = understand(blocks)
    assert e.tags == ["الطاقة", "الحكومة"]
    assert e.similar_headlines == ["خبر أول عن الطاقة", "خبر ثان عن الحكومة"]
    assert e.paragraphs == [LEDE]


def test_long_sentence_starting_like_a_source_stays_body():
    line = "نقلا عن مصادر مطلعة فإن الحكومة تدرس خطة جديدة لدعم قطاع الطاقة في البلاد خلال العام المقبل"
    assert understand([LEDE, line]).paragraphs == [LEDE, line]
