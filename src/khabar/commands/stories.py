"""``khabar stories``: the hottest stories, or every story with all its articles.

``--refine`` first runs the periodic merge/split pass over the recent stories (the window of
:class:`~khabar.enrich.linker.Linker`, before the newest stored article), persists it, reports what
it did on stderr, and then lists as usual (same output and JSON)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from khabar.recent import hot_since
from khabar.settings import Settings
from khabar.storage import Store


def every_story(store: Store) -> list[dict[str, Any]]:
    """Every story, singletons included, with all its members (copies too) in publication order."""
    from khabar.shapes import member_json

    return [
        {"id": s.id, "headline": s.headline, "articles": [member_json(a) for a in store.story_articles(s.id)]}
        for s in store.all_stories()
    ]


def refine(store: Store) -> None:
    """Run the merge/split pass over the recent stories and persist it."""
    from khabar.enrich.linker import Linker

    result = Linker(store).refine()
    print(f"refine: {result.splits} articles split off, {result.merges} merges, "
          f"{len(result.stories)} stories updated", file=sys.stderr)


def cmd_stories(args: argparse.Namespace, settings: Settings) -> int:
    from khabar.commands.core import open_configured_store
    from khabar.shapes import story_json

    with open_configured_store(settings) as store:
        if args.refine:
            refine(store)
        if args.all:
            data = every_story(store)
        else:
            since = hot_since(store, args.since)
            data = [story_json(s) for s in store.hot_stories(since, args.limit, min_outlets=args.min_outlets)]
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=1))
    elif args.all:
        for s in data:
            print(f"{s['id']:>6}  {len(s['articles']):>3} articles  {s['headline']}")
    else:
        for s in data:
            outlets, articles = _count(s["outlet_count"], "outlet"), _count(s["article_count"], "article")
            print(f"{s['id']:>6}  {outlets:>11} {articles:>12}  {s['headline']}")
    return 0


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``khabar stories`` to the ``khabar`` parser."""
    p = sub.add_parser("stories", help="hot stories: most outlets, then most articles")
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--since", type=float, default=24.0, metavar="HOURS", help="window before the newest article (default 24)"
    )
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--min-outlets", type=int, default=1, metavar="N",
                   help="only stories that N or more outlets covered in the window (default 1)")
    p.add_argument("--all", action="store_true", help="every story with all its articles (singletons included)")
    p.add_argument("--refine", action="store_true",
                   help="first merge converged and split drifted recent stories (persisted), then list")
    p.set_defaults(func=cmd_stories)
