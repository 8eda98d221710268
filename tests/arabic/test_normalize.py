"""Normalization on real passages from the ANT corpus."""

import re

from khabar.arabic import normalize_display, normalize_search, strip_harakat
from realdata import find_in_corpus

HARAKAT = re.compile("[\u064b-\u0652\u0670]")


def test_display_removes_tatweel_but_keeps_harakat_and_letters():
    passage = find_in_corpus("\u0640")[0]
    out = normalize_display(passage)
    assert "\u0640" not in out
    assert out.replace(" ", "") == passage.replace("\u0640", "").replace(" ", "")


def test_display_removes_bidi_and_zero_width_controls():
    passage = find_in_corpus("[\u200e\u200f]")[0]
    out = normalize_display(passage)
    assert not re.search("[\u200b-\u200f\u202a-\u202e]", out)
    assert len(out) < len(passage)


def test_display_turns_presentation_forms_into_letters():
    passage = find_in_corpus("[\ufe70-\ufefc]")[0]
    out = normalize_display(passage)
    assert not re.search("[\ufb50-\ufdff\ufe70-\ufefc]", out)
    assert "ﻻ" not in normalize_display("ﻻ") and normalize_display("ﻻ") == "لا"


def test_display_keeps_line_breaks():
    passage = find_in_corpus("\n")[0]
    assert "\n" in normalize_display(passage)


def test_search_folds_harakat_and_letter_variants():
    passage = find_in_corpus("[\u064b-\u0652]\\w*[أإآى]")[0]
    out = normalize_search(passage)
    assert not HARAKAT.search(out)
    assert not re.search("[أإآٱى]", out)


def test_search_folds_ta_marbuta_and_alef_on_a_real_word():
    passage = find_in_corpus("الرئاسة")[0]
    assert "الرياسه" not in normalize_search(passage)  # hamza on ya is kept: only ة→ه here
    assert "الرئاسه" in normalize_search(passage)


def test_search_maps_arabic_indic_digits_to_ascii():
    passage = find_in_corpus("[\u0660-\u0669]+")[0]
    digits = re.findall("[\u0660-\u0669]+", passage)[0]
    expected = "".join(str(ord(c) - 0x0660) for c in digits)
    assert expected in normalize_search(passage)


def test_search_normalization_is_idempotent_on_real_text():
    passage = find_in_corpus("[\u064b-\u0652]", context=300)[0]
    once = normalize_search(passage)
    assert normalize_search(once) == once


def test_strip_harakat_keeps_base_letters():
    passage = find_in_corpus("خضمّ")[0]
    assert "خضم" in strip_harakat(passage)
