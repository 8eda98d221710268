"""Sources, feeds and crawling: ``source add``, ``feed add/remove``, ``feeds``, ``opml``, ``crawl``."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from rich.console import Console
from rich.markup import escape

from khabar.commands.core import open_configured_store
from khabar.commands.importing import make_enricher, make_linker
from khabar.model import FeedRow
from khabar.settings import Settings
from khabar.storage import Store

if TYPE_CHECKING:  # the fetch and crawl stack loads only for the commands that use it
    from khabar.ingest.crawler import CrawlSummary
    from khabar.ingest.fetcher import FetchPolicy

SHOWN_ERRORS = 30


def fetch_policy(settings: Settings, allow_hosts: list[str] | None) -> FetchPolicy:
    """The fetch settings plus any ``--allow-host`` given on the command line."""
    from khabar.ingest.fetcher import FetchPolicy

    policy = FetchPolicy.from_settings(settings)
    return FetchPolicy.from_settings(settings, allowed_hosts=policy.allowed_hosts | set(allow_hosts or ()))


def _outlet_name(url: str) -> str:
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def cmd_source_add(args: argparse.Namespace, settings: Settings) -> int:
    from khabar.ingest.discovery import discover
    from khabar.ingest.fetcher import Fetcher, FetchError

    async def find() -> list[str]:
        async with Fetcher(fetch_policy(settings, args.allow_host)) as fetcher:
            return await discover(fetcher, args.url)

    try:
        found = asyncio.run(find())
    except FetchError as exc:
        print(f"cannot fetch {args.url}: {exc}", file=sys.stderr)
        return 1
    if not found:
        print(
            f"no feeds found for {args.url} (looked for <link rel=alternate> and the usual feed paths);"
            " add one with `khabar feed add URL --source NAME`",
            file=sys.stderr,
        )
        return 1
    name = args.name or _outlet_name(args.url)
    with open_configured_store(settings) as store:
        store.add_source(name, homepage=args.url)
        for url in found:
            store.add_feed(url, source=name)
    print(f"{name}: {len(found)} feed(s)")
    for url in found:
        print(f"  {url}")
    return 0


def cmd_feed_add(args: argparse.Namespace, settings: Settings) -> int:
    if urlsplit(args.url).scheme not in ("http", "https"):
        print(f"not an http(s) URL: {args.url}", file=sys.stderr)
        return 2
    with open_configured_store(settings) as store:
        store.add_feed(args.url, source=args.source)
    print(f"added {args.url}" + (f" ({args.source})" if args.source else ""))
    return 0


def cmd_feed_remove(args: argparse.Namespace, settings: Settings) -> int:
    with open_configured_store(settings) as store:
        removed = store.remove_feed(args.url)
    print(f"removed {args.url}" if removed else f"no feed {args.url}", file=sys.stdout if removed else sys.stderr)
    return 0 if removed else 1


def feed_json(row: FeedRow) -> dict[str, Any]:
    """A feed row as JSON (times ISO 8601 UTC)."""
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in asdict(row).items()}


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "—"


def _error_cell(row: FeedRow) -> str:
    """The last error with its time; dimmed when a later poll succeeded."""
    if not row.last_error:
        return ""
    stale = row.last_success is not None and row.last_error_at is not None and row.last_success > row.last_error_at
    text = escape(f"{_when(row.last_error_at)} {row.last_error}")
    return f"[dim]{text}[/]" if stale else f"[red]{text}[/]"


def cmd_feeds(args: argparse.Namespace, settings: Settings) -> int:
    with open_configured_store(settings) as store:
        rows = store.list_feeds()
    if args.json:
        print(json.dumps([feed_json(r) for r in rows], ensure_ascii=False, indent=1))
        return 0
    from rich.table import Table

    table = Table("outlet", "URL", "last success", "last error", "next due", "articles", show_lines=False)
    for r in rows:
        outlet = escape(r.source or r.title)
        table.add_row(outlet, r.url, _when(r.last_success), _error_cell(r), _when(r.next_due), str(r.articles))
    Console(highlight=False).print(table if rows else "no feeds yet: `khabar source add URL` or `khabar feed add URL`")
    return 0


def cmd_opml_import(args: argparse.Namespace, settings: Settings) -> int:
    from khabar.ingest.opml import OPMLError, read_feed_list_json, read_opml

    data = Path(args.file).read_bytes()
    try:
        refs = read_feed_list_json(data) if data.lstrip()[:1] == b"{" else read_opml(data)
    except OPMLError as exc:
        print(f"cannot read {args.file}: {exc}", file=sys.stderr)
        return 1
    with open_configured_store(settings) as store:
        for ref in refs:
            source = ref.title or _outlet_name(ref.url)
            if ref.html_url:
                store.add_source(source, homepage=ref.html_url)
            store.add_feed(ref.url, source=source, title=ref.title)
    print(f"imported {len(refs)} feed(s) from {args.file}")
    return 0


def cmd_opml_export(args: argparse.Namespace, settings: Settings) -> int:
    from khabar.ingest.opml import FeedRef, write_opml

    with open_configured_store(settings) as store:
        refs = [FeedRef(r.url, r.source or r.title) for r in store.list_feeds()]
    text = write_opml(refs)
    if args.file:
        Path(args.file).write_text(text, encoding="utf-8")
        print(f"wrote {len(refs)} feed(s) to {args.file}")
    else:
        sys.stdout.write(text)
    return 0


def _report(summary: CrawlSummary, err: Console) -> None:
    """Errors on stderr, then one ``key: value, …`` summary line on stdout."""
    for url, error in list(summary.feed_errors.items())[:SHOWN_ERRORS]:
        err.print(f"[red]feed failed[/] {escape(url)}: {escape(error)}", highlight=False)
    for url, error in list(summary.page_errors.items())[:SHOWN_ERRORS]:
        err.print(f"[yellow]page failed[/] {escape(url)}: {escape(error)}", highlight=False)
    print(", ".join(f"{k}: {v}" for k, v in summary.as_dict().items()), flush=True)


async def _crawl(args: argparse.Namespace, settings: Settings, store: Store, err: Console) -> None:
    """One pass (or, with --watch, pass after pass) under a progress display."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from khabar.ingest.crawler import Crawler
    from khabar.ingest.fetcher import Fetcher

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=err, disable=args.quiet, transient=True) as bar:
        feeds, pages = bar.add_task("feeds", total=0), bar.add_task("pages", total=0)

        def progress(event: str, n: int) -> None:
            task = feeds if event.startswith("feed") else pages
            bar.update(task, **({"advance": n} if event in ("feed", "page") else {"total": _total(bar, task) + n}))

        async with Fetcher(fetch_policy(settings, args.allow_host)) as fetcher:
            crawler = Crawler(
                store,
                fetcher,
                progress=progress,
                max_pages_per_feed=settings.crawl_max_pages,
                enrich=make_enricher(args),
                after_store=make_linker(args, store),
            )
            if not args.watch:
                return _report(await crawler.run_once(args.limit), err)
            await crawler.watch(limit=args.limit, on_pass=lambda s: _report(s, err))


def _total(bar: Any, task: Any) -> float:
    return bar.tasks[task].total or 0


def cmd_crawl(args: argparse.Namespace, settings: Settings) -> int:
    err = Console(stderr=True)
    with open_configured_store(settings) as store:
        try:
            asyncio.run(_crawl(args, settings, store, err))
        except KeyboardInterrupt:
            err.print("stopped; every stored article is kept, and feeds not recorded are polled again next time")
            return 0 if args.watch else 130
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``source``, ``feed``, ``feeds``, ``opml`` and ``crawl``."""
    allow = {"action": "append", "metavar": "HOST", "help": "fetch HOST even at a private or loopback address"}
    source = sub.add_parser("source", help="news outlets").add_subparsers(dest="action", required=True)
    add = source.add_parser("add", help="add an outlet and the feeds its site declares or hosts at the usual paths")
    add.add_argument("url")
    add.add_argument("--name", help="outlet name (default: the host name)")
    add.add_argument("--allow-host", **allow)
    add.set_defaults(func=cmd_source_add)
    feed = sub.add_parser("feed", help="add or remove one feed").add_subparsers(dest="action", required=True)
    fadd = feed.add_parser("add", help="add a feed URL (RSS, Atom, RDF, JSON Feed or sitemap)")
    fadd.add_argument("url")
    fadd.add_argument("--source", help="the outlet it belongs to")
    fadd.set_defaults(func=cmd_feed_add)
    frm = feed.add_parser("remove", help="stop crawling a feed (its articles stay)")
    frm.add_argument("url")
    frm.set_defaults(func=cmd_feed_remove)
    feeds = sub.add_parser("feeds", help="feeds with last success, last error, next due and article counts")
    feeds.add_argument("--json", action="store_true")
    feeds.set_defaults(func=cmd_feeds)
    opml = sub.add_parser("opml", help="import or export the feed list").add_subparsers(dest="action", required=True)
    imp = opml.add_parser("import", help="add the feeds of an OPML file (or a feeds_ar JSON list)")
    imp.add_argument("file", metavar="FILE")
    imp.set_defaults(func=cmd_opml_import)
    exp = opml.add_parser("export", help="write the feeds as OPML (to stdout without FILE)")
    exp.add_argument("file", nargs="?", metavar="FILE")
    exp.set_defaults(func=cmd_opml_export)
    crawl = sub.add_parser("crawl", help="poll due feeds and store their new articles")
    crawl.add_argument("--watch", action="store_true", help="keep crawling as feeds fall due (Ctrl-C stops)")
    crawl.add_argument("--limit", type=int, help="at most N feeds per pass")
    crawl.add_argument("--allow-host", **allow)
    crawl.add_argument("--quiet", action="store_true", help="no progress display")
    crawl.add_argument("--no-enrich", dest="enrich", action="store_false", help="skip section/entity/tag enrichment")
    crawl.add_argument("--no-stories", dest="stories", action="store_false", help="skip copy and story linking")
    crawl.set_defaults(func=cmd_crawl)
