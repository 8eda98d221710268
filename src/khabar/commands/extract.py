"""``khabar extract``: run the extractor on one page and print what it understood."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from khabar.settings import Settings


def _read(source: str) -> tuple[bytes, str | None, str | None]:
    """Page bytes, the HTTP charset (if fetched) and the URL it came from."""
    if source == "-":
        return sys.stdin.buffer.read(), None, None
    if source.startswith(("http://", "https://")):
        import httpx

        # A plain GET for now; the polite fetcher (robots, rate limits) will replace it.
        response = httpx.get(source, follow_redirects=True, timeout=30, headers={"User-Agent": "khabar/0.1"})
        response.raise_for_status()
        return response.content, response.headers.get("content-type"), str(response.url)
    return Path(source).read_bytes(), None, None


def _looks_like_html(body: bytes) -> bool:
    head = body[:2048].lstrip().lower()
    return head.startswith((b"<!doctype", b"<html", b"<?xml")) or b"<body" in head or b"<div" in head


def cmd_extract(args: argparse.Namespace, settings: Settings) -> int:
    from khabar.ingest.charset import decode_html
    from khabar.ingest.extractor import extract_html, extract_text

    body, charset, fetched_url = _read(args.source)
    url = args.url or fetched_url
    now = datetime.now(UTC)
    if _looks_like_html(body):
        result = extract_html(body, url=url, fetched_at=now, charset=charset)
    else:
        result = extract_text(decode_html(body, charset), url=url, fetched_at=now)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=1))
        return 0
    print(result.title + (" (inferred)" if result.title_inferred else ""))
    print()
    print("\n\n".join(result.paragraphs))
    for label, values in (("attributions", result.attributions), ("tags", result.tags)):
        if values:
            print(f"\n{label}: " + " · ".join(values))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``khabar extract``."""
    p = sub.add_parser(
        "extract",
        help="extract an article from an HTML page or plain text",
        description="Extract title, body, dates, attributions, tags and related links from one page. "
        "PATH may be '-' (stdin) or an http(s) URL, fetched with a plain GET for now "
        "(the polite crawler fetcher is separate).",
    )
    p.add_argument("source", metavar="PATH_OR_URL")
    p.add_argument("--url", help="the page's URL (resolves relative links, gives a date from the URL)")
    p.add_argument("--json", action="store_true", help="print the extraction as JSON")
    p.set_defaults(func=cmd_extract)
