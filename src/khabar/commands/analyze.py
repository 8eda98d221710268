"""``khabar analyze``: section, keyword tags and entities of articles, without a store."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import IO

from khabar.settings import Settings


def _records(stream: IO[str]) -> Iterator[tuple[int, object]]:
    """(line number, parsed article or error message) for each non-blank line."""
    from khabar.ingest.records import BadRecord, khabar_article

    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            yield number, khabar_article(json.loads(line))
        except (ValueError, BadRecord) as exc:  # JSONDecodeError and BadRecord are ValueErrors
            yield number, f"{type(exc).__name__}: {exc}"


def cmd_analyze(args: argparse.Namespace, settings: Settings) -> int:
    """Print one JSON line per article: url, section, tags, entities."""
    from khabar.enrich.pipeline import Enricher

    enricher = Enricher()
    stream = open(args.file, encoding="utf-8") if args.file else sys.stdin  # noqa: SIM115
    bad = 0
    try:
        for number, item in _records(stream):
            if isinstance(item, str):
                bad += 1
                print(f"{args.file or '<stdin>'}:{number}: skipped: {item}", file=sys.stderr)
                continue
            record = enricher.analyze(item)
            if args.json:
                print(json.dumps(record, ensure_ascii=False), flush=True)
            else:
                print(f"{record['url']}\t{record['section']}\t{' | '.join(record['tags'])}", flush=True)
    finally:
        if stream is not sys.stdin:
            stream.close()
    if bad:
        print(f"{bad} line(s) skipped", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``analyze`` command."""
    p = sub.add_parser("analyze", help="section, tags and entities of articles in Khabar's JSONL import format")
    p.add_argument("file", nargs="?", help="JSONL file (stdin when omitted)")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.set_defaults(func=cmd_analyze)
