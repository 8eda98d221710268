"""``khabar export``: stored articles out in the import format, with a progress bar and a summary."""

from __future__ import annotations

import argparse
import sys

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from khabar.commands.core import open_configured_store
from khabar.settings import Settings


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from khabar.commands.search import search_filters
    from khabar.ingest.export import export_articles, export_file

    filters = search_filters(args)
    to_stdout = args.file in (None, "-")
    err = Console(stderr=True)
    with open_configured_store(settings) as store:
        columns = (TextColumn("exporting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        with Progress(*columns, console=err, disable=args.quiet) as bar:
            task = bar.add_task("export", total=store.count_articles(filters))
            progress = lambda done: bar.update(task, completed=done)  # noqa: E731
            try:
                if to_stdout:
                    count = export_articles(store, sys.stdout, filters, progress)
                else:
                    count = export_file(store, args.file, filters, progress)
            except BrokenPipeError:
                raise  # output piped into `head`: the command line ends quietly
            except OSError as exc:
                print(f"cannot write {args.file}: {exc.strerror or exc}; check the path and free space",
                      file=sys.stderr)
                return 2
    where = "standard output" if to_stdout else args.file
    print(f"exported: {count} articles to {where}", file=sys.stderr)
    if count and not to_stdout:
        print(f"load into another store with: khabar --db TARGET import --no-enrich {args.file}", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``export`` command."""
    from khabar.commands.search import add_filter_arguments

    p = sub.add_parser("export", help="write stored articles in the JSONL import format (backups, moving stores)")
    p.add_argument("file", nargs="?", help="output .jsonl or .jsonl.gz (standard output when omitted or -)")
    add_filter_arguments(p)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_export)
