"""``khabar extract``: run the extractor on one page and print what it understood."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from khabar.settings import Settings


def _fetch(url: str, settings: Settings, allow_hosts: list[str] | None) -> tuple[bytes, str | None, str]:
    """One page through the crawler's polite fetcher (robots.txt, size cap, address policy)."""
    import asyncio

    from khabar.commands.feeds import fetch_policy
    from khabar.ingest.fetcher import Fetcher

    async def get():
        async with Fetcher(fetch_policy(settings, allow_hosts)) as fetcher:
            return await fetcher.get(url)

    result = asyncio.run(get())
    return result.body, result.content_type, result.final_url


def _read(source: str, settings: Settings, allow_hosts: list[str] | None) -> tuple[bytes, str | None, str | None]:
    """Page bytes, the HTTP content type (if fetched) and the URL it came from."""
    if source == "-":
        return sys.stdin.buffer.read(), None, None
    if source.startswith(("http://", "https://")):
        return _fetch(source, settings, allow_hosts)
    return Path(source).read_bytes(), None, None


def _looks_like_html(body: bytes) -> bool:
    head = body[:2048].lstrip().lower()
    return head.startswith((b"<!doctype", b"<html", b"<?xml")) or b"<body" in head or b"<div" in head


def cmd_extract(args: argparse.Namespace, settings: Settings) -> int:
    from khabar.ingest.charset import decode_html
    from khabar.ingest.extractor import extract_html, extract_text
    from khabar.ingest.fetchresult import FetchError

    try:
        body, charset, fetched_url = _read(args.source, settings, args.allow_host)
    except (FetchError, OSError) as exc:
        print(f"cannot read {args.source}: {exc}", file=sys.stderr)
        return 2
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
        "PATH may be '-' (stdin) or an http(s) URL, fetched politely like the crawler does.",
    )
    p.add_argument("source", metavar="PATH_OR_URL")
    p.add_argument("--url", help="the page's URL (resolves relative links, gives a date from the URL)")
    p.add_argument("--json", action="store_true", help="print the extraction as JSON")
    p.add_argument("--allow-host", action="append", metavar="HOST", help="fetch HOST even at a private address")
    p.set_defaults(func=cmd_extract)
