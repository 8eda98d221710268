"""Small helpers shared by the HTTP tests."""

from __future__ import annotations

import html
import re

WESTERN = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")
MARK = re.compile(r"<mark>(.*?)</mark>")


def page_text(markup: str) -> str:
    """The page with entities decoded, for 'does this text appear' checks."""
    return html.unescape(markup)


def shown(text: str) -> str:
    """How the site shows a piece of article text: Western digits."""
    return text.translate(WESTERN)


def links(markup: str, prefix: str) -> list[str]:
    """Every href starting with ``prefix``, in page order."""
    return re.findall(r'href="(' + re.escape(prefix) + r'[^"]*)"', markup)
