"""Decoding page bytes: header, BOM, meta, UTF-8, then detection (windows-1256 / ISO-8859-6)."""

from __future__ import annotations

from pathlib import Path

import pytest

from khabar.ingest.charset import charset_from_content_type, decode_html, detect_charset

LEGACY = Path(__file__).parent / "testdata" / "legacy_encoding"
LEDE = "أعلنت كتائب الشهيد عز الدين القسام الذراع العسكري لحركة /حماس/"


@pytest.mark.parametrize(
    ("name", "codec"),
    [
        ("chardet__chromium_windows-1256_with_no_encoding_specified.html", "cp1256"),
        ("chardet__chromium_ISO-8859-6_with_no_encoding_specified.html", "iso8859-6"),
    ],
)
def test_undeclared_legacy_arabic(name, codec):
    body = (LEGACY / name).read_bytes()
    assert detect_charset(body) == codec
    assert LEDE in decode_html(body)


def test_declared_charset_wins():
    body = "<p>خبر عاجل</p>".encode("cp1256")
    assert decode_html(body, "windows-1256") == "<p>خبر عاجل</p>"
    assert decode_html(body, "text/html; charset=windows-1256") == "<p>خبر عاجل</p>"


def test_meta_charset_and_http_equiv():
    html = '<html><head><meta charset="windows-1256"></head><body>خبر</body></html>'
    assert "خبر" in decode_html(html.encode("cp1256"))
    html = '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-6"><p>خبر</p>'
    assert "خبر" in decode_html(html.encode("iso8859-6"))


def test_bom_and_utf8():
    assert decode_html("\ufeffخبر".encode()) == "خبر"
    assert decode_html("خبر".encode("utf-16")) == "خبر"
    assert decode_html("<p>خبر</p>".encode()) == "<p>خبر</p>"


def test_content_type_parsing():
    assert charset_from_content_type('text/html; charset="UTF-8"') == "UTF-8"
    assert charset_from_content_type("text/html") is None
