"""``khabar import``: progress bar, then a summary and the bad lines."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from khabar.ingest.importer import ImportSummary, LineError, import_files, total_bytes
from khabar.settings import Settings
from khabar.storage import Store

SHOWN_ERRORS = 20


def run_import(args: argparse.Namespace, settings: Settings, store: Store) -> int:
    missing = [f for f in args.files if not _exists(f)]
    if missing:
        print(f"cannot read {', '.join(missing)}: check the path", file=sys.stderr)
        return 2
    err = Console(stderr=True)
    columns = (TextColumn("importing"), BarColumn(), DownloadColumn(), TimeRemainingColumn())
    with store, Progress(*columns, console=err, disable=args.quiet) as bar:
        task = bar.add_task("import", total=total_bytes(args.files))
        summary = import_files(
            store,
            args.files,
            fmt=args.format,
            batch_size=args.batch or settings.import_batch,
            progress=lambda done: bar.update(task, completed=done),
            enrich=make_enricher(args),
            after_batch=make_linker(args, store),
        )
    _report(summary, err)
    return 0


def make_enricher(args: argparse.Namespace):
    """The enrichment function for import/crawl, or None with ``--no-enrich``."""
    if not getattr(args, "enrich", True):
        return None
    from khabar.enrich.pipeline import Enricher

    return Enricher()  # callable; its ``version`` goes into the import fingerprint


def make_linker(args: argparse.Namespace, store: Store) -> Callable[[list[int]], None] | None:
    """The copy/story linking hook for import/crawl, or None with ``--no-stories``."""
    if not getattr(args, "stories", True):
        return None
    from khabar.enrich.linker import Linker

    linker = Linker(store)

    def hook(ids: list[int]) -> None:
        linker.link(ids)

    return hook


def _exists(path: str) -> bool:
    try:
        with open(path, "rb"):
            return True
    except OSError:
        return False


def report_skipped(errors: Sequence[LineError], invalid: int, err: Console) -> None:
    """The first :data:`SHOWN_ERRORS` bad lines (``file:line: reason``) and how many more there were."""
    for error in errors[:SHOWN_ERRORS]:
        err.print(f"[yellow]skipped[/] {error}", markup=True, highlight=False, soft_wrap=True)
    if invalid > SHOWN_ERRORS:
        err.print(f"… and {invalid - SHOWN_ERRORS} more invalid lines")


def _report(summary: ImportSummary, err: Console) -> None:
    report_skipped(summary.errors, summary.invalid, err)
    counts = summary.as_dict()
    print(", ".join(f"{k}: {v}" for k, v in counts.items()))
