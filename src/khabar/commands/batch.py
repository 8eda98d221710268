"""``khabar enrich-batch``: enrich large archives in parallel (dask) into parts for ``import --no-enrich``."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from khabar.commands.importing import report_skipped
from khabar.settings import Settings


def _problem(args: argparse.Namespace) -> str | None:
    """Why the command cannot start, or None."""
    missing = [f for f in args.files if not os.path.isfile(f)]
    if missing:
        return f"cannot read {', '.join(missing)}: check the path"
    if args.workers < 1 or (args.partitions is not None and args.partitions < 1):
        return "--workers and --partitions must be at least 1"
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        return f"--out {out} is not a directory"
    return None


def cmd_enrich_batch(args: argparse.Namespace, settings: Settings) -> int:
    """Enrich every article of the inputs and write ``DIR/part-NNNNN.jsonl.gz``; print a summary."""
    from khabar.enrich.batch import enrich_parts, plan_parts, resume

    problem = _problem(args)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    started = time.perf_counter()
    Path(args.out).mkdir(parents=True, exist_ok=True)
    err = Console(stderr=True)
    planned = plan_parts(args.files, args.format, args.out, partitions=args.partitions, workers=args.workers)
    jobs = resume(planned, args.out)
    if jobs is None:
        print(f"{args.out} holds parts of another run (other inputs or options): remove them or choose another --out",
              file=sys.stderr)
        return 2
    columns = (TextColumn("enriching"), BarColumn(), MofNCompleteColumn(), TextColumn("lines"),
               TimeRemainingColumn())
    with Progress(*columns, console=err, disable=args.quiet) as bar:
        task = bar.add_task("enrich", total=sum(j.lines for j in jobs))
        summary = enrich_parts(jobs, workers=args.workers, on_part=lambda part: bar.advance(task, part.lines))
    report_skipped(summary.errors, summary.invalid, err)
    elapsed = time.perf_counter() - started
    kept = f", parts kept: {len(planned) - len(jobs)}" if len(jobs) < len(planned) else ""
    print(f"articles in: {summary.read}, enriched: {summary.enriched}, invalid: {summary.invalid}, "
          f"parts written: {summary.parts}{kept}, elapsed: {elapsed:.1f}s")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``enrich-batch`` command."""
    p = sub.add_parser(
        "enrich-batch",
        help="enrich large archives in parallel into parts for `khabar import --no-enrich`",
        description="Enrich (section, tags, entities) every article of the inputs on several processes "
        "and write DIR/part-NNNNN.jsonl.gz in Khabar's import format; then "
        "`khabar import --no-enrich DIR/*.jsonl.gz` stores and links them without enriching again. "
        "Running the same command again after an interruption writes only the missing parts.",
    )
    p.add_argument("files", nargs="+", metavar="INPUT", help="JSONL / JSONL.gz files (as `khabar import` reads)")
    p.add_argument("--out", required=True, metavar="DIR", help="folder for the part files (created if missing)")
    p.add_argument("--format", default="khabar", choices=("khabar", "ant", "saudinewsnet"))
    p.add_argument("--workers", type=int, metavar="N", default=os.cpu_count() or 1,
                   help="worker processes (default: CPUs)")
    p.add_argument("--partitions", type=int, metavar="N", default=None,
                   help="parts to write (default: 4 per worker; a part of a .gz input reads past the lines before it)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_enrich_batch)
