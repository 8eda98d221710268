"""``khabar search``: hybrid (BM25 + vectors) after ``khabar embed``, else BM25."""

from __future__ import annotations

import argparse
import json

from khabar.commands.core import open_configured_store as _store
from khabar.commands.related import search_context
from khabar.model import Filters
from khabar.search.query import parse_when
from khabar.settings import Settings


def search_filters(args: argparse.Namespace) -> Filters:
    from khabar.storage.rows import tag_key

    return Filters(
        source=args.source,
        section=args.section,
        tag=tag_key(args.tag) if args.tag else None,
        since=parse_when(args.since),
        until=parse_when(args.until, end=True),
        entity=tag_key(args.entity) if getattr(args, "entity", None) else None,
        originals=bool(getattr(args, "originals", False)),
    )


def add_search_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``khabar search`` (hybrid)."""
    parser.add_argument("query", help='words, "quoted phrases", -excluded')
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--limit", type=int, default=10)
    parser.add_argument("--page", type=int, default=1)
    parser.add_argument("--mode", choices=("hybrid", "lexical", "semantic"), default=None)
    parser.add_argument("--sort", choices=("relevance", "date"), default="relevance")
    add_filter_arguments(parser)


def add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    """The options :func:`search_filters` reads (``khabar search``, ``khabar export``)."""
    parser.add_argument("--source", help="outlet name")
    parser.add_argument("--section", help="section id, e.g. sport")
    parser.add_argument("--tag")
    parser.add_argument("--entity", help="a named entity (person, place, organisation), e.g. روسيا")
    parser.add_argument("--since", help="YYYY-MM-DD[THH:MM]")
    parser.add_argument("--until", help="YYYY-MM-DD (inclusive) or an exact time (exclusive)")
    parser.add_argument("--originals", action="store_true", help="each wire text once: leave copies out")


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    """Hybrid (or lexical / semantic) search with filters, sort and pages."""
    from khabar.search.hybrid import hybrid_search
    from khabar.shapes import hit_json

    mode = args.mode or settings.search_mode
    vectors, embedder = search_context(settings) if mode != "lexical" else (None, None)
    filters, offset = search_filters(args), (max(1, args.page) - 1) * args.limit
    with _store(settings) as store:
        if vectors is None and filters == Filters() and args.sort == "relevance":
            from khabar.search import search  # plain BM25, exactly as before `khabar embed`

            hits = search(store, args.query, limit=args.limit, offset=offset)
        else:
            hits = hybrid_search(store, vectors, embedder, args.query, args.limit, offset, filters, args.sort, mode)
    if args.json:
        print(json.dumps([hit_json(h) for h in hits], ensure_ascii=False, indent=1))
        return 0
    from khabar.commands.output import print_hits

    print_hits(hits)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``khabar search``."""
    srch = sub.add_parser("search", help="search: hybrid (BM25 + vectors) after `khabar embed`, else BM25")
    add_search_arguments(srch)
    srch.set_defaults(func=cmd_search)
