"""``khabar related``, ``khabar embed`` and the hybrid ``khabar search`` implementation."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

from khabar.commands.core import open_configured_store as _store
from khabar.model import Filters
from khabar.settings import Settings


def search_context(settings: Settings):
    """(vectors, embedder) for hybrid search and related, or (None, None) before ``khabar embed``."""
    from khabar.search.vectors import make_embedder, open_vectors

    vectors = open_vectors(settings.db, settings.vectors_dir)
    return (vectors, make_embedder(settings.embedder)) if vectors is not None else (None, None)


def pick_json(pick: Any) -> dict[str, Any]:
    """``{"url", "title", "score"}`` of one related pick."""
    a = pick.article.article
    return {"url": a.url, "title": a.title, "score": round(pick.score, 4)}


def related_json(result: Any) -> dict[str, Any]:
    """The public shape: ``{"read_also": [...], "similar": [{"url", "title", "score"}]}``."""
    return {"read_also": [pick_json(p) for p in result.read_also], "similar": [pick_json(p) for p in result.similar]}


def cmd_related(args: argparse.Namespace, settings: Settings) -> int:
    from khabar.search.related import related

    vectors, embedder = search_context(settings)
    with _store(settings) as store:
        stored = store.get_article(args.url)
        if stored is None:
            print(f"no article with url {args.url!r}; try `khabar search` to find it", file=sys.stderr)
            return 1
        if vectors is None:
            print("no article vectors yet: run `khabar embed` first", file=sys.stderr)
        result = related(store, vectors, stored.id, embedder, n_similar=args.limit)
    data = related_json(result)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=1))
        return 0
    for label, key in (("إقرأ أيضاً", "read_also"), ("مقالات مشابهة", "similar")):
        print(label)
        for item in data[key]:
            print(f"  • {item['title']}  ({item['score']:.2f})  {item['url']}")
    return 0


def cmd_embed(args: argparse.Namespace, settings: Settings) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from khabar.search.vectors import VectorIndex, make_embedder, sidecar_path

    index = VectorIndex(sidecar_path(settings.db, settings.vectors_dir))
    embedder = make_embedder(settings.embedder)
    if args.rebuild:
        index.reset(embedder.name, embedder.dim)
    columns = (TextColumn("embedding"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with _store(settings) as store, Progress(*columns, disable=args.quiet) as bar:
        task = bar.add_task("embed", total=None)
        added = index.update(store, embedder, progress=lambda done, n: bar.update(task, completed=done, total=n))
    print(f"{added} articles embedded with {embedder.name}; {len(index)} vectors in {index.path}")
    return 0


def parse_when(text: str | None, end: bool = False) -> datetime | None:
    """ISO date or datetime; a bare ``--until`` date includes that whole day."""
    if not text:
        return None
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value + timedelta(days=1) if end and len(text) == 10 else value


def search_filters(args: argparse.Namespace) -> Filters:
    from khabar.storage.rows import tag_key

    return Filters(
        source=args.source, section=args.section, tag=tag_key(args.tag) if args.tag else None,
        since=parse_when(args.since), until=parse_when(args.until, end=True),
    )


def add_search_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``khabar search`` (hybrid)."""
    parser.add_argument("query", help='words, "quoted phrases", -excluded')
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--limit", type=int, default=10)
    parser.add_argument("--page", type=int, default=1)
    parser.add_argument("--mode", choices=("hybrid", "lexical", "semantic"), default=None)
    parser.add_argument("--sort", choices=("relevance", "date"), default="relevance")
    parser.add_argument("--source", help="outlet name")
    parser.add_argument("--section", help="section id, e.g. sport")
    parser.add_argument("--tag")
    parser.add_argument("--since", help="YYYY-MM-DD[THH:MM]")
    parser.add_argument("--until", help="YYYY-MM-DD (inclusive) or an exact time (exclusive)")


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
    """Add ``related`` and ``embed`` (``search`` is registered by core with :func:`add_search_arguments`)."""
    rel = sub.add_parser("related", help="related articles of one article (by url)")
    rel.add_argument("url")
    rel.add_argument("--json", action="store_true")
    rel.add_argument("--limit", type=int, default=10, help="similar articles (default 10)")
    rel.set_defaults(func=cmd_related)
    emb = sub.add_parser("embed", help="compute missing article embeddings (vectors beside the store)")
    emb.add_argument("--rebuild", action="store_true", help="re-embed everything")
    emb.add_argument("--quiet", action="store_true", help="no progress bar")
    emb.set_defaults(func=cmd_embed)
