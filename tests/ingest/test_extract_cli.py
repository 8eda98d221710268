"""``khabar extract`` end to end (plain text, HTML, stdin)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

from khabar.cli import main

DATA = Path(__file__).parent / "testdata"
KEYS = ["title", "title_inferred", "paragraphs", "published_at", "author", "language", "image", "canonical_url",
        "attributions", "tags", "related_links", "similar_headlines", "read_also"]  # fmt: skip


def run(argv, capsys) -> dict:
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_extract_plain_text_json_shape(capsys):
    out = run(["extract", str(DATA / "seed/aggregator-page.txt"), "--json"], capsys)
    assert list(out) == KEYS
    assert list(out["read_also"][0]) == KEYS
    assert len(out["paragraphs"]) == 8 and out["title_inferred"] is True


def test_extract_html_with_url(capsys):
    url = "https://example.org/2013/08/03/syria-clashes/"
    out = run(["extract", str(DATA / "pages/cnn_arabic.html"), "--url", url, "--json"], capsys)
    assert out["title"] == "معارضون يسيطرون على مخازن للصواريخ بريف دمشق"
    assert out["published_at"].startswith("2013-08-03")  # from --url: the page has no date metadata


def test_extract_stdin_legacy_encoding(capsys, monkeypatch):
    raw = (DATA / "legacy_encoding/chardet__chromium_windows-1256_with_no_encoding_specified.html").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    out = run(["extract", "-", "--json"], capsys)
    assert out["paragraphs"][0].startswith("أعلنت كتائب الشهيد عز الدين القسام")


def test_extract_url_goes_through_the_polite_fetcher(capsys):
    from loopback import Loopback

    page = (DATA / "pages" / "cnn_arabic.html").read_bytes()
    srv = Loopback(robots=b"User-agent: *\nDisallow: /private/\n")
    srv.routes["/news/a.html"] = lambda h: h.send(200, page, "text/html; charset=utf-8")
    srv.routes["/private/a.html"] = lambda h: h.send(200, page, "text/html; charset=utf-8")
    srv.thread.start()
    try:
        # loopback is refused unless allowed, like any private address
        assert main(["extract", srv.url("/news/a.html"), "--json"]) == 2
        assert "non-public address" in capsys.readouterr().err
        out = run(["extract", srv.url("/news/a.html"), "--allow-host", "127.0.0.1", "--json"], capsys)
        assert out["title"] and len(out["paragraphs"]) > 3
        assert main(["extract", srv.url("/private/a.html"), "--allow-host", "127.0.0.1", "--json"]) == 2
        assert "robots" in capsys.readouterr().err.lower()
    finally:
        srv.shutdown()
        srv.server_close()
