"""Feed lists in and out: OPML 1.0/2.0, and the JSON outlet list of ``shared/data/feeds_ar``.

OPML is read through the guarded parser of :mod:`khabar.ingest.xmlsafe` (an OPML
file is as untrusted as any feed) and written with ElementTree.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from khabar.ingest.xmlsafe import MalformedXML, UnsafeXML, local_name, parse_xml

# ISO 3166 alpha-3 codes of the Arab League members (the keys of the yavuz list that matter here).
# fmt: off
ARAB_COUNTRIES = frozenset({
    "DZA", "BHR", "COM", "DJI", "EGY", "IRQ", "JOR", "KWT", "LBN", "LBY", "MRT",
    "MAR", "OMN", "PSE", "QAT", "SAU", "SOM", "SDN", "SYR", "TUN", "ARE", "YEM",
})
# fmt: on


class OPMLError(ValueError):
    """The file is not OPML Khabar can read."""


@dataclass(frozen=True)
class FeedRef:
    """A feed as listed in a subscription file."""

    url: str
    title: str = ""
    html_url: str = ""
    category: str = ""


def read_opml(text: str | bytes) -> list[FeedRef]:
    """Every feed (``<outline xmlUrl=…>``) of an OPML document, first occurrence of each URL.

    A feed's category is its ``category`` attribute, else the title of the
    enclosing folder outline."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        root = parse_xml(data)
    except (UnsafeXML, MalformedXML) as exc:
        raise OPMLError(str(exc)) from None
    if local_name(root) != "opml":
        raise OPMLError(f"not OPML: root element is <{local_name(root)}>")
    body = next((el for el in root if local_name(el) == "body"), None)
    if body is None:
        raise OPMLError("OPML without a <body>")
    refs: dict[str, FeedRef] = {}
    _walk(body, "", refs)
    return list(refs.values())


def _walk(parent: Any, folder: str, refs: dict[str, FeedRef]) -> None:
    """Collect feeds below ``parent`` (recursive over folder outlines)."""
    for el in parent:
        if local_name(el) != "outline":
            continue
        name = (el.get("title") or el.get("text") or "").strip()
        url = (el.get("xmlUrl") or el.get("xmlurl") or "").strip()
        if url:
            category = (el.get("category") or "").split(",")[0].strip().strip("/") or folder
            refs.setdefault(url, FeedRef(url, name, (el.get("htmlUrl") or "").strip(), category))
        _walk(el, name if not url else folder, refs)


def write_opml(feeds: Iterable[FeedRef], title: str = "Khabar feeds") -> str:
    """An OPML 2.0 document with one folder outline per category."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = format_datetime(datetime.now(UTC), usegmt=True)
    body = ET.SubElement(root, "body")
    folders: dict[str, ET.Element] = {}
    for ref in feeds:
        parent = body
        if ref.category:
            if ref.category not in folders:
                folders[ref.category] = ET.SubElement(body, "outline", text=ref.category, title=ref.category)
            parent = folders[ref.category]
        attrs = {"type": "rss", "text": ref.title or ref.url, "title": ref.title or ref.url, "xmlUrl": ref.url}
        if ref.html_url:
            attrs["htmlUrl"] = ref.html_url
        ET.SubElement(parent, "outline", attrs)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def read_feed_list_json(text: str | bytes, countries: Iterable[str] | None = None) -> list[FeedRef]:
    """FeedRefs from the ``{ISO3: [{publication_name, publication_website_uri,
    publication_rss_feed_uri}]}`` list of ``shared/data/feeds_ar``; category = country code.

    ``countries`` restricts to some codes (e.g. :data:`ARAB_COUNTRIES`)."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise OPMLError(f"malformed feed list JSON: {exc}") from None
    if not isinstance(data, dict):
        raise OPMLError("feed list JSON must map country codes to lists of outlets")
    wanted = set(countries) if countries is not None else None
    refs: dict[str, FeedRef] = {}
    for country, outlets in data.items():
        if wanted is not None and country not in wanted or not isinstance(outlets, list):
            continue
        for o in outlets:
            url = str(o.get("publication_rss_feed_uri") or "").strip() if isinstance(o, dict) else ""
            if url:
                name = str(o.get("publication_name") or "").strip()
                refs.setdefault(url, FeedRef(url, name, str(o.get("publication_website_uri") or ""), country))
    return list(refs.values())
