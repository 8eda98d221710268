"""Golden outputs of real Arabic pages (see testdata/README.md for origins)."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from khabar.arabic import normalize_search, tokenize
from khabar.ingest.extractor import extract_html

PAGES = Path(__file__).parent / "testdata" / "pages"
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample" / "ant-2018-05.jsonl.gz"
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data not present")


def f1(got: str, gold: str) -> float:
    """Token F1 over normalized words (the metric of bench/extract.py)."""
    a, b = Counter(tokenize(normalize_search(got))), Counter(tokenize(normalize_search(gold)))
    overlap = sum((a & b).values())
    return 0.0 if not overlap else 2 * overlap / (sum(a.values()) + sum(b.values()))


def body(e) -> str:
    return "\n".join(e.paragraphs)


def test_cnn_arabic_body_title_image():
    e = extract_html((PAGES / "cnn_arabic.html").read_bytes())
    assert f1(body(e), (PAGES / "cnn_arabic.expected.txt").read_text("utf-8")) >= 0.99
    assert e.title == "معارضون يسيطرون على مخازن للصواريخ بريف دمشق" and not e.title_inferred
    assert e.image.endswith("Gal.syria.assad.army.jpg_-1_-1.jpg")
    assert e.canonical_url == "http://arabic.cnn.com/2013/middle_east/8/3/syria.clashes/index.html"
    assert e.language == "ar" and e.site_name == "CNNArabic"
    assert e.attributions == ["CNN"]  # the dateline "دمشق، سوريا (CNN) --"
    assert not any("ترحب شبكة" in p for p in e.paragraphs)  # comment-policy notice dropped


@needs_shared
@pytest.mark.parametrize(
    "page", ["newspaper4k_cnn_arabic/arabic_article.html", "goose3_cnn_arabic/test_cnn_arabic.html"]
)
def test_cnn_arabic_variants(page):
    e = extract_html((SHARED / "html_fixtures_ar" / page).read_bytes())
    gold = (SHARED / "html_fixtures_ar/newspaper_cnn_arabic/expected_text.txt").read_text("utf-8")
    assert f1(body(e), gold) >= 0.99
    meta = json.loads((SHARED / "html_fixtures_ar/newspaper4k_cnn_arabic/expected_metadata.json").read_text("utf-8"))
    assert e.title == meta["title"] and e.image == meta["meta_img"] and e.language == meta["language"]


def test_youm7_clean_text_at_least_trafilatura():
    import trafilatura

    html = (PAGES / "youm7_magichtml.html").read_bytes()
    gold = (PAGES / "youm7_magichtml.expected.txt").read_text("utf-8")
    e = extract_html(html)
    assert f1(body(e), gold) >= f1(trafilatura.extract(html) or "", gold)
    assert f1(body(e), gold) >= 0.85  # the golden keeps a video player's UI strings; we do not
    assert e.title.startswith("وزارة النقل تشغل 10 سيارات كهربائية") and not e.title.endswith("اليوم السابع")
    assert e.published_at is not None and e.published_at.date() == date(2024, 5, 13)


def test_assabah_with_and_without_snippets():
    spec = json.loads((PAGES / "assabah.expected.json").read_text("utf-8"))
    e = extract_html((PAGES / "assabah.html").read_bytes(), url=spec["url"])
    text = normalize_search(body(e))
    assert all(normalize_search(s) in text for s in spec["with"])
    assert not any(normalize_search(s) in text for s in spec["without"])
    assert normalize_search(e.title) == normalize_search(" ".join(spec["title"].split()))


@needs_shared
def test_expected_dates_of_real_pages():
    expected = json.loads((SHARED / "html_pages_ar/expected_dates.json").read_text("utf-8"))
    folder = SHARED / "html_pages_ar"
    for url, row in expected.items():
        page = next(folder.glob(f"*__htmldate_{row['file']}"))
        e = extract_html(page.read_bytes(), url=url)
        assert e.published_at is not None and e.published_at.date().isoformat() == row["date"], page.name


def _sample_articles(n: int) -> list[dict]:
    """The first ``n`` bundled-sample articles with at least three paragraphs (real ANT text)."""
    import gzip

    found = []
    with gzip.open(SAMPLE, "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            if len([p for p in record["body"].split("\n\n") if len(p) > 80]) >= 3:
                found.append(record)
            if len(found) == n:
                return found
    raise AssertionError("the bundled sample has too few long articles")


def _structure_page(main: dict, others: list[dict], tags: list[str]) -> str:
    """A publisher-style page: headline, paragraphs, a read-also box mid-body, a tag block, a related list."""
    paras = [p for p in main["body"].split("\n\n") if len(p) > 80][:3]
    related, similar = others[0], others[1:]
    return (
        f"<html><head><title>{main['title']} - موقع</title></head><body><nav><a href='/'>الرئيسية</a></nav>"
        f"<article><h1>{main['title']}</h1><p>{paras[0]}</p>"
        f"<p><strong>اقرأ أيضا:</strong> <a href='/x/1'>{related['title']}</a></p>"
        + "".join(f"<p>{p}</p>" for p in paras[1:])
        + "<div class='tags'><span>كلمات دلالية</span>"
        + "".join(f"<a href='/t/{i}'>{t}</a>" for i, t in enumerate(tags))
        + "</div><div><h3>أخبار ذات صلة</h3><ul>"
        + "".join(f"<li><a href='/y/{i}'>{o['title']}</a></li>" for i, o in enumerate(similar))
        + "</ul></div></article></body></html>"
    )


def test_html_boxes_lifted_as_structure():
    main, *others = _sample_articles(4)
    tags = ["الجيش الروسي", "وزارة الدفاع الروسية", "موسكو"]  # three of the seed page's tags
    page = _structure_page(main, others, tags).encode()
    e = extract_html(page, url="https://ex.org/2024/03/15/a")
    assert e.title == main["title"] and len(e.paragraphs) == 3
    assert [(link.title, link.url) for link in e.related_links] == [(others[0]["title"], "https://ex.org/x/1")]
    assert e.tags == tags  # each link is one tag, never re-split
    assert e.similar_headlines == [o["title"] for o in others[1:]]
    assert e.published_at is not None and e.published_at.date() == date(2024, 3, 15)
