"""Listing, article, section, source and tag pages over real HTTP."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import quote

import httpx
from web_helpers import ATTRIBUTIONS, PAGE_SIZE, TAGS, Site, links, page_text, shown

from khabar.sections import SECTIONS
from khabar.web.filters import arabic_date


def test_home_lists_latest_arabic_articles(client: httpx.Client, site: Site) -> None:
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert '<html lang="ar" dir="rtl">' in r.text
    assert "<title>آخر الأخبار — خبر</title>" in r.text
    assert len(links(r.text, "/articles/")) == PAGE_SIZE
    newest = max(site.records, key=lambda rec: rec["published_at"])
    assert shown(newest["title"]) in page_text(r.text)
    assert re.search(r'<time datetime="2018-05-\d\dT\d\d:\d\d:\d\dZ">', r.text)
    for section_id, name in SECTIONS.items():  # the sections nav shows Arabic names
        assert f'<a href="/sections/{section_id}">{name}</a>' in r.text


def test_digits_are_western_throughout(client: httpx.Client) -> None:
    text = client.get("/").text
    assert "١٢ مركبة" not in text and "12 مركبة" in text  # a lead written with Arabic-Indic digits
    assert not re.search("[٠-٩]", text)
    assert f"عدد الأخبار: {2095:,}" in text


def test_pagination(client: httpx.Client, site: Site) -> None:
    first = links(client.get("/").text, "/articles/")
    second_page = client.get("/", params={"page": 2})
    assert second_page.status_code == 200
    second = links(second_page.text, "/articles/")
    assert len(second) == PAGE_SIZE and not set(first) & set(second)
    assert 'rel="prev" href="?page=1"' in second_page.text and 'rel="next" href="?page=3"' in second_page.text
    last = -(-len(site.records) // PAGE_SIZE)
    assert client.get("/", params={"page": last}).status_code == 200
    assert client.get("/", params={"page": last + 1}).status_code == 404
    assert client.get("/", params={"page": 0}).status_code == 422


def test_article_page_shows_everything(client: httpx.Client, site: Site) -> None:
    r = client.get(f"/articles/{site.tagged_id}")
    assert r.status_code == 200
    text, rec = page_text(r.text), site.tagged
    assert f"<h1>{shown(rec['title'])}</h1>" in text
    assert f"<title>{shown(rec['title'])} — خبر</title>" in text
    stamp = rec["published_at"].replace("+00:00", "Z")
    assert f'<time datetime="{stamp}">{arabic_date(stamp)}</time>' in text
    assert rec["source"] in text
    for paragraph in rec["body"].split("\n\n"):
        assert f"<p>{shown(paragraph.strip())}</p>" in text
    assert re.search(r'<meta name="description" content="[^"]{40,}">', r.text)
    for source in ATTRIBUTIONS:
        assert f"المصدر: {source}" in text
    assert "كلمات دلالية" in text
    tags_block = r.text.split('<nav class="tags"', 1)[1].split("</nav>", 1)[0]  # (names link to tags too)
    assert links(tags_block, "/tags/") == [f"/tags/{quote(t)}" for t in TAGS]


def test_article_without_tags_has_no_blocks(client: httpx.Client, site: Site) -> None:
    r = client.get(f"/articles/{site.tagged_id + 1}")
    assert r.status_code == 200 and "المصدر:" not in r.text and "كلمات دلالية" not in r.text


def test_unknown_article_and_path_are_404(client: httpx.Client) -> None:
    r = client.get("/articles/987654")
    assert r.status_code == 404 and "لم نجد هذا الخبر" in r.text and 'dir="rtl"' in r.text
    assert client.get("/articles/987654", params={"format": "json"}).status_code == 404
    missing = client.get("/no/such/page")
    assert missing.status_code == 404 and 'lang="ar"' in missing.text


def test_section_page_filters(client: httpx.Client, site: Site) -> None:
    expected = Counter(rec["section"] for rec in site.records)["sport"]
    r = client.get("/sections/sport", params={"format": "json"})
    data = r.json()
    assert data["title"] == "رياضة" and data["total"] == expected
    assert {a["section"] for a in data["articles"]} == {"sport"}
    assert 'class="active">رياضة</a>' in client.get("/sections/sport").text
    assert client.get("/sections/no-such-section").status_code == 404


def test_sources_page_lists_outlets_with_counts(client: httpx.Client, site: Site) -> None:
    counts = Counter(rec["source"] for rec in site.records)
    text = client.get("/sources").text
    for name, n in counts.items():
        assert f'href="/sources/{quote(name)}">{name}</a>' in text
        assert f"{n:,} خبر" in text
    data = client.get("/sources", params={"format": "json"}).json()
    assert {s["name"]: s["articles"] for s in data["sources"]} == dict(counts)


def test_source_page_filters(client: httpx.Client, site: Site) -> None:
    name = "بي بي سي عربي"
    expected = sum(rec["source"] == name for rec in site.records)
    data = client.get(f"/sources/{quote(name)}", params={"format": "json"}).json()
    assert data["total"] == expected and {a["source"] for a in data["articles"]} == {name}
    assert client.get("/sources/" + quote("لا يوجد")).status_code == 404


def test_tag_page_filters(client: httpx.Client, site: Site) -> None:
    data = client.get(f"/tags/{quote(TAGS[1])}", params={"format": "json"}).json()
    assert data["total"] == 1 and data["articles"][0]["url"] == site.tagged["url"]
    r = client.get(f"/tags/{quote(TAGS[1])}")
    assert f'href="/articles/{site.tagged_id}"' in r.text and "كلمات دلالية" in r.text
