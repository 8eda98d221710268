"""The site in a real browser (Debian Chromium driven by Playwright): RTL layout, search, navigation."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from web_helpers import PAGE_SIZE, Site

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
HOME_SHOT = Path("/tmp/khabar-home.png")
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium from Debian; never a downloaded one."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium fonts-noto-core")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    """A fresh desktop-sized tab."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ar")
    try:
        yield context.new_page()
    finally:
        context.close()


def _check_png(path: Path, min_bytes: int = 20_000) -> None:
    data = path.read_bytes()
    assert data.startswith(PNG) and len(data) > min_bytes


def test_home_renders_right_to_left(page: Any, site: Site) -> None:
    page.goto(site.url + "/")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert page.evaluate("document.documentElement.lang") == "ar"
    brand = page.locator("header a.brand").bounding_box()
    search = page.locator("header form.search input").bounding_box()
    assert brand and search and brand["x"] > search["x"]  # brand at the right edge, search box on the left
    assert brand["x"] + brand["width"] > 1280 * 0.8
    cards = page.locator(".articles .card")
    assert cards.count() == 20
    page.screenshot(path=str(HOME_SHOT))
    _check_png(HOME_SHOT)


def test_search_then_open_article(page: Any, site: Site, tmp_path: Path) -> None:
    page.goto(site.url + "/")
    box = page.locator("header form.search input[name=q]")
    box.fill("الوزير")
    box.press("Enter")
    page.wait_for_url("**/search?q=*")
    assert box.input_value() == "الوزير"  # the form keeps the query
    marks = page.locator(".results mark")
    assert marks.count() >= 10
    assert "وزير" in marks.first.inner_text()
    background = marks.first.evaluate("m => getComputedStyle(m).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    first = page.locator(".results .card h2 a").first
    title = first.inner_text()
    first.click()
    page.wait_for_url("**/articles/*")
    assert page.locator("article.full h1").inner_text() == title
    assert page.locator("article.full .body p").count() >= 1
    shot = tmp_path / "article.png"
    page.screenshot(path=str(shot), full_page=True)
    _check_png(shot)


def test_article_blocks_in_browser(page: Any, site: Site) -> None:
    page.goto(f"{site.url}/articles/{site.tagged_id}")
    assert page.locator(".attributions").inner_text().startswith("المصدر:")
    tags = page.locator(".tags a.tag")
    assert tags.count() == 3
    tags.first.click()
    page.wait_for_url("**/tags/*")
    assert page.locator(f'a[href="/articles/{site.tagged_id}"]').count() >= 1


def test_entities_block_in_browser(page: Any, site: Site) -> None:
    page.goto(f"{site.url}/articles/{site.tagged_id}")
    block = page.locator("nav.entities")
    assert block.is_visible() and block.evaluate("n => getComputedStyle(n).direction") == "rtl"
    heading, first = block.locator("h2").bounding_box(), block.locator(".entity").first.bounding_box()
    assert heading and first and heading["x"] > first["x"]  # the heading starts the row at the right
    assert block.locator(".entity").count() == 4 and block.locator("a.entity").count() == 2
    shot = Path("/tmp/khabar-entities.png")
    block.screenshot(path=str(shot))
    _check_png(shot, 2_000)
    block.locator("a.entity").first.click()
    page.wait_for_url("**/tags/*")
    assert page.locator(f'a[href="/articles/{site.tagged_id}"]').count() >= 1


def test_stories_page_then_a_story_in_browser(page: Any, linked: tuple[Any, Any, Any]) -> None:
    """The nav's stories link, the cards of the hottest stories, and a click through to one story."""
    url = str(linked[0].base_url).rstrip("/")
    page.goto(url + "/")
    page.locator("nav.sections a", has_text="القصص").click()
    page.wait_for_url("**/stories")
    assert page.locator("nav.sections a.active").inner_text() == "القصص"
    page.goto(url + "/stories?hours=960")
    cards = page.locator(".all-stories .story-card")
    assert cards.count() == PAGE_SIZE
    assert cards.first.evaluate("c => getComputedStyle(c).direction") == "rtl"
    shot = Path("/tmp/khabar-stories.png")
    page.screenshot(path=str(shot), full_page=True)
    _check_png(shot)
    headline = cards.first.locator("h3 a").inner_text()
    cards.first.locator("h3 a").click()
    page.wait_for_url("**/stories/*")
    assert page.locator("article.story h1").inner_text() == headline
    assert page.locator("nav.sections a.active").inner_text() == "القصص"
    assert page.locator(".timeline li").count() >= 2
