"""Segmenting flattened tag lines: known tags first, then Arabic phrase structure."""

from __future__ import annotations

from khabar.ingest.tagsplit import split_tag_line

SEED_LINE = "أخبار النيجر أسلحة ومعدات عسكرية إفريقيا الجيش الروسي باريس رجال المخابرات غوغل Google موسكو نيامي وزارة الدفاع الروسية"  # noqa: E501
SEED_TAGS = ["أخبار النيجر", "أسلحة ومعدات عسكرية", "إفريقيا", "الجيش الروسي", "باريس", "رجال المخابرات",
             "غوغل Google", "موسكو", "نيامي", "وزارة الدفاع الروسية"]  # fmt: skip


def test_known_tags_greedy_longest_on_normalized_forms():
    known = ["وزارة الدفاع", "وزارة الدفاع الروسية", "اخبار النيجر"]
    assert split_tag_line("أخبار النيجر وزارة الدفاع الروسية", known) == ["اخبار النيجر", "وزارة الدفاع الروسية"]


def test_seed_line_with_and_without_known_tags():
    assert split_tag_line(SEED_LINE, SEED_TAGS) == SEED_TAGS
    assert split_tag_line(SEED_LINE) == SEED_TAGS
    assert split_tag_line(SEED_LINE, ["إفريقيا", "باريس"]) == SEED_TAGS


def test_phrase_rules():
    assert split_tag_line("وزير الخارجية الأمريكي") == ["وزير الخارجية الأمريكي"]  # idafa + adjective
    assert split_tag_line("البوسنة والهرسك") == ["البوسنة والهرسك"]  # و-coordination
    assert split_tag_line("كرة القدم موسكو") == ["كرة القدم", "موسكو"]
    assert split_tag_line("فيسبوك Facebook تويتر") == ["فيسبوك Facebook", "تويتر"]
    assert split_tag_line("موسكو نيامي") == ["موسكو", "نيامي"]  # proper names never head an idafa


def test_explicit_separators():
    assert split_tag_line("السعودية، الاقتصاد، النفط") == ["السعودية", "الاقتصاد", "النفط"]
    assert split_tag_line("مصر | كرة القدم") == ["مصر", "كرة القدم"]
