"""``khabar related`` and ``khabar embed``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from khabar.commands.core import open_configured_store as _store
from khabar.settings import Settings


def search_context(settings: Settings):
    """(vectors, embedder), or (None, None) before ``khabar embed``."""
    from khabar.search.vectors import open_semantic

    return open_semantic(settings)


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
    plan = index.plan
    if plan.unknown:
        print(f"{len(plan.unknown)} vectors had no text version (sidecar written by an older khabar): re-embedded")
    if plan.changed:
        print(f"{len(plan.changed)} articles changed since they were embedded: re-embedded")
    print(f"{added} articles embedded with {embedder.name}; {len(index)} vectors in {index.path}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``related`` and ``embed``."""
    rel = sub.add_parser("related", help="related articles of one article (by url)")
    rel.add_argument("url")
    rel.add_argument("--json", action="store_true")
    rel.add_argument("--limit", type=int, default=10, help="similar articles (default 10)")
    rel.set_defaults(func=cmd_related)
    emb = sub.add_parser("embed", help="embed articles without a vector or changed since (vectors beside the store)")
    emb.add_argument("--rebuild", action="store_true", help="re-embed everything")
    emb.add_argument("--quiet", action="store_true", help="no progress bar")
    emb.set_defaults(func=cmd_embed)
