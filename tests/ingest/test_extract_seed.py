"""The seed round-trip: the aggregator page must come out exactly as the issue specifies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from khabar.ingest.extractor import extract_text

DATA = Path(__file__).parent / "testdata" / "seed"
TAGS = [
    "أخبار النيجر", "أسلحة ومعدات عسكرية", "إفريقيا", "الجيش الروسي", "باريس",
    "رجال المخابرات", "غوغل Google", "موسكو", "نيامي", "وزارة الدفاع الروسية",
]  # fmt: skip
SIMILAR_COUNT = 10


@pytest.fixture(scope="module")
def seed_text() -> str:
    return (DATA / "aggregator-page.txt").read_text("utf-8")


def test_seed_round_trip_with_known_tags_is_exact(seed_text):
    got = extract_text(seed_text, known_tags=TAGS).to_json()
    expected = json.loads((DATA / "aggregator-page.expected.json").read_text("utf-8"))
    assert got == expected


def test_seed_fields_as_specified(seed_text):
    e = extract_text(seed_text, known_tags=TAGS)
    assert len(e.paragraphs) == 8
    assert not any(p.startswith("إقرأ") for p in e.paragraphs)
    assert [(link.title, link.url) for link in e.related_links] == [
        ("تقارب مع موسكو.. خروج فرنسا من النيجر كآخر حليف لباريس في منطقة الساحل الإفريقي", None)
    ]
    assert e.attributions == ["نوفوستي", "RT Arabic"]
    assert e.tags == TAGS
    assert len(e.read_also) == 1
    assert e.read_also[0].title == "خلال قمة إسطنبول.. ليبيا وتركيا تبحثان تعزيز التعاون في مجال الطاقة"
    assert len(e.read_also[0].paragraphs) == 6
    assert len(e.similar_headlines) == SIMILAR_COUNT
    assert e.similar_headlines[0] == "بوتين يأمل بألا تضطر روسيا لاستخدام أسلحة نووية في أوكرانيا"
    assert e.title_inferred and e.title and e.paragraphs[0].startswith(e.title)
    assert e.language == "ar"


def test_seed_tags_without_store_knowledge(seed_text):
    """No known tags: phrase structure alone. Currently all 10 come out exact."""
    tags = extract_text(seed_text).tags
    exact = sum(t in TAGS for t in tags)
    assert exact == 10 and len(tags) == 10


def test_seed_to_article(seed_text):
    article = extract_text(seed_text, url="https://example.org/a", known_tags=TAGS).to_article()
    assert article.url == "https://example.org/a"
    assert article.title_inferred and len(article.paragraphs) == 8
    assert article.attributions == ["نوفوستي", "RT Arabic"] and article.tags == TAGS
