"""Batch enrichment of large archives with dask.bag, ahead of a ``khabar import --no-enrich``.

The input files are cut into line ranges, one range list per output part. Each dask task (run on
the multiprocessing scheduler) reads its own ranges, enriches the articles with its process's
:class:`~khabar.enrich.pipeline.Enricher` (built once per process, never pickled) and writes one
gzipped part in Khabar's import format, so only small job descriptions and counts travel between
processes, and memory stays bounded whatever the archive size.

A part holds each article as :func:`khabar.ingest.importer.import_files` would store it after
enrichment: cleaned text, section, merged canonical tags, entities, and ``input_hash`` (the import
fingerprint of the article as received): a ``--no-enrich`` import of the parts stores them all, and a
later enriched import of the original archive finds its articles unchanged.
"""

from __future__ import annotations

import gzip
import json
import math
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import islice
from pathlib import Path
from typing import Any

from khabar.ingest.export import import_record
from khabar.ingest.importer import MAX_KEPT_ERRORS, LineError
from khabar.ingest.records import BUILDERS, Record, is_ant_trec, open_text, read_ant_trec, read_jsonl
from khabar.storage.rows import input_fingerprint

# Parts per worker by default: a worker done early takes another part instead of idling. Not more: a part
# of a gzipped file is reached by reading past every line before it, so parts multiply that reading.
PARTS_PER_WORKER = 4
PLAN_FILE = "plan.json"  # beside the parts: lets a rerun of the same command resume


@dataclass(frozen=True)
class Segment:
    """Lines ``start`` (1-based, inclusive) to ``stop`` (exclusive) of one input file."""

    path: str
    start: int
    stop: int


@dataclass(frozen=True)
class PartJob:
    """What one dask task does: read ``segments`` in format ``fmt``, write part ``index`` into ``out``."""

    index: int
    segments: tuple[Segment, ...]
    fmt: str
    out: str

    @property
    def lines(self) -> int:
        return sum(s.stop - s.start for s in self.segments)

    @property
    def path(self) -> Path:
        return Path(self.out) / f"part-{self.index:05d}.jsonl.gz"


@dataclass
class PartResult:
    """Counts of one written part; ``errors``: its first :data:`MAX_KEPT_ERRORS` bad lines."""

    index: int
    lines: int
    read: int = 0
    enriched: int = 0
    invalid: int = 0
    errors: list[LineError] = field(default_factory=list)


@dataclass
class BatchSummary:
    """Counts of a whole batch run."""

    read: int = 0
    enriched: int = 0
    invalid: int = 0
    parts: int = 0
    errors: list[LineError] = field(default_factory=list)

    def add(self, part: PartResult) -> None:
        self.read += part.read
        self.enriched += part.enriched
        self.invalid += part.invalid
        self.parts += 1
        self.errors.extend(part.errors[: MAX_KEPT_ERRORS - len(self.errors)])


def count_lines(path: str | Path) -> int:
    """Lines of an input file as the importer numbers them (text mode, universal newlines)."""
    if is_ant_trec(path):
        return 1
    with open_text(path) as stream:
        return sum(1 for _ in stream)


def plan_parts(paths: Sequence[str | Path], fmt: str, out: str | Path, partitions: int | None = None,
               workers: int = 1) -> list[PartJob]:
    """Cut the inputs into ``partitions`` parts of about equal line counts (default
    :data:`PARTS_PER_WORKER` per worker), in input order."""
    if fmt not in BUILDERS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(BUILDERS)}")
    sizes = [(str(p), count_lines(p)) for p in paths]
    total = sum(n for _, n in sizes)
    if total == 0:
        return []
    wanted = partitions or PARTS_PER_WORKER * workers
    per_part = math.ceil(total / max(1, min(wanted, total)))
    jobs: list[PartJob] = []
    current: list[Segment] = []
    room = per_part
    for path, n in sizes:
        start = 1
        while start <= n:
            take = min(room, n - start + 1)
            current.append(Segment(path, start, start + take))
            start, room = start + take, room - take
            if room == 0:
                jobs.append(PartJob(len(jobs), tuple(current), fmt, str(out)))
                current, room = [], per_part
    if current:
        jobs.append(PartJob(len(jobs), tuple(current), fmt, str(out)))
    return jobs


def read_segment(segment: Segment, fmt: str) -> Iterator[Record]:
    """The records of a segment, numbered by their line in the file."""
    with open_text(segment.path) as stream:
        if is_ant_trec(segment.path):
            yield from read_ant_trec(stream)
            return
        lines = islice(stream, segment.start - 1, segment.stop - 1)
        for number, article, error in read_jsonl(lines, BUILDERS[fmt]):  # type: ignore[arg-type]
            yield number + segment.start - 1, article, error


def plan_record(jobs: Sequence[PartJob]) -> dict[str, Any]:
    """What identifies a run's output: its inputs (size and modification time), format and line ranges."""
    paths = sorted({s.path for j in jobs for s in j.segments})
    return {"format": jobs[0].fmt if jobs else "",
            "inputs": [[p, os.path.getsize(p), os.path.getmtime(p)] for p in paths],
            "parts": [[[s.path, s.start, s.stop] for s in j.segments] for j in jobs]}


def resume(jobs: Sequence[PartJob], out: str | Path) -> list[PartJob] | None:
    """The jobs still to run in ``out``: all of them in a folder without parts (the plan is written there
    first), the missing parts when ``out`` holds this same plan (a rerun of a killed run), None when it
    holds parts of another run."""
    plan, folder = plan_record(jobs), Path(out)
    if any(folder.glob("part-*.jsonl.gz")):
        try:
            same = json.loads((folder / PLAN_FILE).read_text("utf-8")) == json.loads(json.dumps(plan))
        except (OSError, ValueError):
            same = False
        return [j for j in jobs if not j.path.exists()] if same else None
    tmp = folder / (PLAN_FILE + ".tmp")
    tmp.write_text(json.dumps(plan), "utf-8")
    os.replace(tmp, folder / PLAN_FILE)
    return list(jobs)


@cache
def _enricher():  # noqa: ANN202 - one per worker process: models load once, are never pickled
    from khabar.enrich.pipeline import Enricher

    return Enricher()


def run_part(job: PartJob) -> PartResult:
    """Enrich and write one part (atomically: a killed run leaves no half part behind)."""
    enricher = _enricher()
    version = enricher.version
    result = PartResult(job.index, job.lines)
    tmp = job.path.with_name(job.path.name + ".tmp")
    with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=5) as out:
        for segment in job.segments:
            for number, article, error in read_segment(segment, job.fmt):
                result.read += 1
                if article is None:
                    result.invalid += 1
                    if len(result.errors) < MAX_KEPT_ERRORS:
                        result.errors.append(LineError(segment.path, number, error or "unreadable"))
                    continue
                clean = article.cleaned()  # what the importer enriches and stores
                record = import_record(enricher(clean), input_fingerprint(clean, version))
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                result.enriched += 1
    os.replace(tmp, job.path)
    return result


def enrich_parts(jobs: Sequence[PartJob], workers: int = 2,
                 on_part: Callable[[PartResult], None] | None = None) -> BatchSummary:
    """Run the jobs with dask.bag on ``workers`` processes; ``on_part`` hears of each finished part."""
    import dask.bag as db
    from dask.callbacks import Callback

    seen: set[int] = set()

    class _Report(Callback):
        def _posttask(self, key, result, dsk, state, worker_id) -> None:  # noqa: ANN001
            # a part's result also passes through the final gathering task: report it once
            for item in result if isinstance(result, list) else ():
                if isinstance(item, PartResult) and item.index not in seen and on_part is not None:
                    seen.add(item.index)
                    on_part(item)

    summary = BatchSummary()
    if not jobs:
        return summary
    bag = db.from_sequence(list(jobs), npartitions=len(jobs)).map(run_part)
    with _Report():
        # chunksize 1: dask's default of 6 ready tasks per submission would send every part to one worker
        results = bag.compute(scheduler="processes", num_workers=max(1, workers), chunksize=1)
    for part in sorted(results, key=lambda r: r.index):
        summary.add(part)
    return summary
