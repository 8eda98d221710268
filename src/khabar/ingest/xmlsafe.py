"""Guarded XML parsing for documents from the web (feeds, sitemaps, OPML).

Documents from the web may carry an internal DTD whose entities expand
exponentially ("billion laughs") or point at local files (XXE). Feeds and
sitemaps never need DTD entities, so any ``<!ENTITY`` declaration is refused
up front by a short expat pass that stops at the root element; the tree itself
is then built by lxml with entity resolution, DTD loading and network off.
"""

from __future__ import annotations

from xml.parsers import expat

from lxml import etree


class UnsafeXML(ValueError):
    """The document declares DTD entities (entity-expansion or XXE risk)."""


class MalformedXML(ValueError):
    """The document is not well-formed XML."""


class _RootFound(Exception):
    def __init__(self, name: str) -> None:
        self.name = name


def _refuse_entity(name: str, *_: object) -> None:
    raise UnsafeXML(f"XML entity declaration <!ENTITY {name} …> refused (entity-expansion/XXE protection)")


def _stop_at_root(name: str, _attrs: object) -> None:
    raise _RootFound(name)


def sniff_root(data: bytes) -> tuple[str, str] | None:
    """(namespace, local name) of the root element, or None if expat cannot reach it.

    Raises :class:`UnsafeXML` when the prolog declares an entity.
    """
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = _refuse_entity
    parser.StartElementHandler = _stop_at_root
    try:
        parser.Parse(data, True)
    except _RootFound as found:
        ns, _, local = found.name.rpartition(" ")
        return ns, local
    except expat.ExpatError:
        # Broken before the root: lenient parsers may still try it, so refuse declarations outright.
        if b"<!ENTITY" in data[:65536]:
            _refuse_entity("(in a malformed prolog)")
        return None
    return None


_PARSER_OPTIONS = dict(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, dtd_validation=False)


def parse_xml(data: bytes) -> etree._Element:
    """A guarded lxml tree of ``data`` (see module doc); raises UnsafeXML or MalformedXML."""
    sniff_root(data)
    try:
        return etree.fromstring(data, etree.XMLParser(**_PARSER_OPTIONS))
    except etree.XMLSyntaxError as exc:
        raise MalformedXML(f"malformed XML: {exc}") from None


def local_name(el: etree._Element) -> str:
    """An element's tag without its namespace ('' for comments and processing instructions)."""
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def namespace(el: etree._Element) -> str:
    return (etree.QName(el).namespace or "") if isinstance(el.tag, str) else ""
