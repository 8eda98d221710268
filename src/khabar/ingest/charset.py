"""Decode fetched HTML bytes to text.

Order of evidence, most to least trustworthy: the HTTP header charset, a byte
order mark, ``<meta charset>`` / ``http-equiv`` in the first 4 KB, strict
UTF-8, then charset-normalizer's detection, which tells windows-1256 from
ISO-8859-6 on old Arabic pages that declare nothing.
"""

from __future__ import annotations

import codecs
import re

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.IGNORECASE)
# Labels browsers treat as aliases (WHATWG): latin-1 means windows-1252, etc.
_ALIASES = {"latin-1": "cp1252", "iso-8859-1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252", "arabic": "iso8859-6"}


def _codec(label: str | None) -> str | None:
    """A Python codec name for a charset label, or None when unknown."""
    if not label:
        return None
    label = _ALIASES.get(label.strip().strip("\"'").lower(), label.strip().strip("\"'").lower())
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _detect(body: bytes) -> str | None:
    """charset-normalizer's best guess for undeclared bytes."""
    from charset_normalizer import from_bytes

    best = from_bytes(body).best()
    return best.encoding if best is not None else None


def detect_charset(body: bytes, declared: str | None = None) -> str:
    """The codec to decode ``body`` with (see module doc for the order)."""
    codec = _codec(declared)
    if codec:
        return codec
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    m = _META.search(body[:4096])
    codec = _codec(m.group(1).decode("ascii", "ignore")) if m else None
    if codec:
        return codec
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    return _codec(_detect(body)) or "utf-8"


def charset_from_content_type(content_type: str | None) -> str | None:
    """The ``charset=`` parameter of a Content-Type header value."""
    m = re.search(r"charset\s*=\s*[\"']?([^\"';\s]+)", content_type or "", re.IGNORECASE)
    return m.group(1) if m else None


def decode_html(body: bytes, declared: str | None = None) -> str:
    """Decode HTML bytes; ``declared`` is the HTTP charset (or a Content-Type value)."""
    if declared and "=" in declared:
        declared = charset_from_content_type(declared)
    codec = detect_charset(body, declared)
    text = body.decode(codec, errors="replace")
    return text[1:] if text.startswith("\ufeff") else text
