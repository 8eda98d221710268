"""Core commands: init, import, search, show, stats, serve."""

from __future__ import annotations

import argparse
import json
import sys

from khabar.settings import Settings
from khabar.storage import Store, open_store


def open_configured_store(settings: Settings) -> Store:
    """The store named by the settings."""
    return open_store(settings.db, title_weight=settings.title_weight)


def cmd_init(args: argparse.Namespace, settings: Settings) -> int:
    with open_configured_store(settings) as store:
        print(f"store ready at {settings.db} ({store.count_articles()} articles)")
    return 0


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    from khabar.commands.importing import run_import

    return run_import(args, settings, open_configured_store(settings))


def cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    from khabar.shapes import article_json

    with open_configured_store(settings) as store:
        stored = store.get_article(args.url)
        copies = store.copies_of(stored.id) if stored is not None else []
    if stored is None:
        print(f"no article with url {args.url!r}; try `khabar search` to find it", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(article_json(stored, copies), ensure_ascii=False, indent=1))
    else:
        from khabar.commands.output import print_article

        print_article(stored)
    return 0


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    with open_configured_store(settings) as store:
        stats = store.stats()
        stats["sources"] = [{"name": s.name, "articles": s.articles} for s in store.sources()]
        stats["sections"] = dict(store.sections())
    print(json.dumps(stats, ensure_ascii=False, indent=1))
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from khabar.web import create_app

    settings = settings.with_overrides(host=args.host, port=args.port)
    app = create_app(settings)
    print(f"serving {settings.db} on http://{settings.host}:{settings.port}", flush=True)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the core commands to the ``khabar`` parser."""
    sub.add_parser("init", help="create the store").set_defaults(func=cmd_init)
    imp = sub.add_parser("import", help="import JSONL / JSONL.gz article files")
    imp.add_argument("files", nargs="+", metavar="FILE")
    imp.add_argument("--format", default="khabar", choices=("khabar", "ant", "saudinewsnet"))
    imp.add_argument("--batch", type=int, default=None, help="articles per transaction")
    imp.add_argument("--quiet", action="store_true", help="no progress bar")
    imp.add_argument(
        "--no-enrich",
        dest="enrich",
        action="store_false",
        help="skip section, entity and tag enrichment (much faster for large archives)",
    )
    imp.add_argument("--no-stories", dest="stories", action="store_false", help="skip copy and story linking")
    imp.set_defaults(func=cmd_import)
    from khabar.commands.search import register as register_search

    register_search(sub)
    show = sub.add_parser("show", help="show one article by url")
    show.add_argument("url")
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=cmd_show)
    sub.add_parser("stats", help="counts of what is stored").set_defaults(func=cmd_stats)
    serve = sub.add_parser("serve", help="serve the web site and JSON API")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.set_defaults(func=cmd_serve)
