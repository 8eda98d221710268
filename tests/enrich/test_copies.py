"""Copy detection on real SaudiNewsNet articles of the dev gold day."""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from pathlib import Path

import pytest

from khabar.enrich.copies import CopyDetector

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
SNN = DATA / "saudinewsnet" / "saudinewsnet.jsonl.gz"
pytestmark = pytest.mark.skipif(not SNN.exists(), reason="needs ../shared/data (research-only, not shipped)")

# Real pairs of the dev gold day (cluster dev-13: one ministry release, two outlets; dev-6: one match, own words).
OLP_A = "http://www.alweeam.com.sa/"  # prefixes resolved by title below
TITLES = {
    "olp_long": "التجارة تطلق خدمة الدفع المباشر«OLP»في خدماتها الا",
    "olp_short": "التجارة تطلق الدفع المباشر",
    "arsenal_riyadh": "آرسنال يفوز على تشلسي ويتوج بطلاً للدرع الخيرية",
    "arsenal_jazirah": "آرسنال يكسب تشلسي ويطير ببطولة الدرع الخيرية",
    "long_aawsat": "آرسنال ينتزع كأس الدرع الإنجليزية وفوز أول لفينغر",
}


@lru_cache(maxsize=1)
def day() -> dict[str, dict]:
    """Articles of 2015-08-03 keyed by title prefix (first 50 characters)."""
    out = {}
    with gzip.open(SNN, "rt", encoding="utf-8") as fh:
        for line in fh:
            if '"date_extracted": "2015-08-03' in line:
                row = json.loads(line)
                out.setdefault((row["title"] or "")[:50].strip(), row)
    return out


def body(key: str) -> str:
    return day()[TITLES[key][:50].strip()]["content"]


def test_exact_copy_survives_punctuation_harakat_and_spacing():
    det = CopyDetector()
    text = body("olp_long")
    assert det.add(1, text) is None
    variant = text.replace("،", ",").replace("التجارة", "التِّجارة").replace(" ", "  ").replace("ـ", "")
    assert det.add(2, variant) == 1
    assert det.find(variant).exact


def test_near_copy_with_dateline_and_byline():
    det = CopyDetector()
    det.add(1, body("olp_long"))
    det.add(2, body("arsenal_riyadh"))
    assert det.add(3, "الرياض - واس: " + body("olp_long") + "\nمحرر الشؤون المحلية") == 1


def test_real_short_version_is_contained_in_the_long_one():
    """alwatan printed 88 words of the 249-word release: Jaccard is low, containment high."""
    det = CopyDetector()
    det.add(10, body("olp_long"))
    match = det.find(body("olp_short"))
    assert match is not None and match.canonical == 10
    assert match.containment >= 0.8 and match.jaccard < 0.6


def test_excerpt_from_the_middle_of_a_long_article_and_the_reverse_order():
    long_text = body("long_aawsat")
    words = long_text.split()
    middle = " ".join(words[len(words) // 3 : len(words) // 3 + 120])
    det = CopyDetector()
    det.add(1, long_text)
    assert det.add(2, middle) == 1
    det2 = CopyDetector()  # the short one first: the long one is still its copy
    det2.add(1, middle)
    assert det2.add(2, long_text) == 1


def test_same_event_in_other_words_is_not_a_copy():
    det = CopyDetector()
    det.add(1, body("arsenal_riyadh"))
    assert det.add(2, body("arsenal_jazirah")) is None


def test_copies_resolve_to_the_first_canonical_and_state_persists(tmp_path):
    det = CopyDetector()
    text = body("olp_long")
    det.add(1, text)
    det.add(2, text + " المصدر: واس")
    assert det.add(3, "متابعات: " + text) == 1
    det.dump(tmp_path / "copies.pkl")
    again = CopyDetector.load(tmp_path / "copies.pkl")
    assert again.find(text).canonical == 1 and again.canonical(3) == 1 and len(again) == 3


def test_empty_and_tiny_texts():
    det = CopyDetector()
    assert det.add(1, "") is None and det.find("") is None
    assert det.add(2, "خبر قصير") is None
    assert det.add(3, "خبرٌ قصير!") == 2  # exact after normalization


def test_removed_text_is_no_longer_found_and_its_id_can_come_back():
    det = CopyDetector()
    text, other = body("olp_long"), body("arsenal_riyadh")
    det.add(1, text)
    det.add(2, "الرياض - واس: " + text)  # a near copy of 1
    det.add(3, text)  # an exact copy of 1
    assert det.remove(1) and not det.remove(1) and 1 not in det and len(det) == 2
    assert det.canonical(2) == 2 and det.canonical(3) == 3  # their canonical is gone
    match = det.find(text)
    assert match is not None and match.exact and match.matched == 3  # the other holder of the exact text
    assert det.add(1, other) is None  # same id, new text: not a copy of its own old text
    assert det.find(other).canonical == 1
    for aid in (2, 3):
        det.remove(aid)
    assert det.find(text) is None and det.find(body("olp_short")) is None  # no LSH window of 1, 2 or 3 left
    assert det.add(4, text) is None and det.add(5, text) == 4
