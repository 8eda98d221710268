"""feedgen extensions for what feedgen 1.0.0 cannot write itself: RFC 5005 paged-feed links, the original
article as ``rel="via"`` and an RSS description escaped as HTML."""

from __future__ import annotations

from html import escape

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.util import xml_elem
from lxml import etree

ATOM_LINK = "{http://www.w3.org/2005/Atom}link"


class FeedExtras(BaseExtension):
    """The paged-feed links (feedgen would make the last link it is given the RSS channel's link)."""

    def __init__(self) -> None:
        self.paging: tuple[tuple[str, str], ...] = ()

    def _insert(self, parent: etree._Element, before: str, tag: str) -> None:
        first = parent.find(before)
        at = len(parent) if first is None else parent.index(first)
        for offset, (rel, href) in enumerate(self.paging):
            link = etree.SubElement(parent, tag, href=href, rel=rel)  # takes the document's prefix
            parent.insert(at + offset, link)  # moved before the entries

    def extend_atom(self, feed: etree._Element) -> etree._Element:
        self._insert(feed, "entry", "link")  # feedgen's Atom elements carry the namespace as the default
        return feed

    def extend_rss(self, rss: etree._Element) -> etree._Element:
        self._insert(rss.find("channel"), "item", ATOM_LINK)
        return rss


class EntryExtras(BaseEntryExtension):
    """What feedgen 1.0.0 cannot write itself: the original article as ``rel="via"`` (it drops the
    ``rel`` of entry links, lkiesow/python-feedgen#135, which would make it a second alternate), and
    an RSS description escaped as HTML (readers read it as HTML; the lead is plain text)."""

    def __init__(self) -> None:
        self.via = ""

    def extend_atom(self, entry: etree._Element) -> etree._Element:
        if self.via:
            xml_elem("link", entry, href=self.via, rel="via")
        return entry

    def extend_rss(self, item: etree._Element) -> etree._Element:
        if self.via:
            xml_elem(ATOM_LINK, item, href=self.via, rel="via")
        for description in item.iter("description"):
            description.text = escape(description.text or "", quote=False)
        return item
