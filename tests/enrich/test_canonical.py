"""Tag canonicalization: spelling and clitic variants from real text collapse to one tag."""

import pytest

from khabar.enrich.canonical import canonical_tag, tag_key
from khabar.storage.rows import tag_key as store_key

# Each group: variants seen in the seed page and ANT news -> the one display form.
GROUPS = [
    (["إفريقيا", "أفريقيا", "افريقيا"], "أفريقيا"),
    (["روسيا الاتحادية", "روسيا", "وروسيا", "لروسيا", "الاتحاد الروسي"], "روسيا"),
    (["الجيش الروسي", "والجيش الروسي", "للجيش الروسي", "الجيش الرُّوسي", "بالجيش الروسي"], "الجيش الروسي"),
    (["النيجر", "للنيجر", "والنيجر"], "النيجر"),
    (["تركيا", "وتركيا", "جمهورية تركيا"], "تركيا"),
    (["الولايات المتحدة", "الولايات المتحدة الأمريكية", "أميركا"], "الولايات المتحدة"),
    (["وزارة الدفاع الروسية", "ووزارة الدفاع الروسية", "«وزارة الدفاع الروسية»"], "وزارة الدفاع الروسية"),
]


@pytest.mark.parametrize(("variants", "canonical"), GROUPS)
def test_variants_collapse(variants, canonical):
    assert {canonical_tag(v) for v in variants} == {canonical}
    assert len({tag_key(v) for v in variants}) == 1


def test_root_letters_are_not_clitics():
    # و of وزير, ل of لبنان and ليبيا, ب of بغداد are root letters
    for word in ("وزير", "لبنان", "ليبيا", "بغداد", "واشنطن"):
        assert canonical_tag(word) == word


def test_store_key_delegates():
    assert store_key("للجيش الروسي") == store_key("الجيش الروسي") == tag_key("الجيش الروسي")
    assert store_key("  أخبار   النيجر ") == "اخبار النيجر"
