"""Per-article cost of copy detection + story assignment with N articles already stored.

Run: ``.venv/bin/python bench/speed.py [--n 100000] [--measure 1000]`` (project root).

The stream is SaudiNewsNet + ANT multi-source + ANT Jawhara FM (66,316 real
articles), sorted by time; beyond that, the same texts again with their
sentences in reverse order, one year later (distinct shingles and dates,
real vocabulary), until N. The first N − measure articles are added untimed;
the last ``measure`` are timed (CPU time, embeddings excluded: text-only
scorer). Writes ``bench/results/speed.json``.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from email.utils import parsedate_to_datetime
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench")]

from datetime import datetime  # noqa: E402

from devdata import ANT, JAWHARA, SNN, read_jsonl  # noqa: E402
from khabar.arabic import split_sentences  # noqa: E402
from khabar.enrich.copies import CopyDetector  # noqa: E402
from khabar.enrich.stories import Item, StoryClusterer  # noqa: E402

YEAR = 365 * 86400.0


def _ant_time(raw: str) -> float:
    try:
        return parsedate_to_datetime(raw).timestamp()
    except (TypeError, ValueError):
        return 1.5e9


def stream() -> list[tuple[float, str, str, str]]:
    """(time, outlet, title, body) of every real article, time-sorted."""
    out = [(datetime.fromisoformat(r["date_extracted"]).timestamp(), r["source"], r["title"] or "",
            r["content"] or "") for r in read_jsonl(SNN)]
    for path in (ANT, JAWHARA):
        out += [(_ant_time(r.get("time") or ""), r.get("src") or "jawharafm", r.get("title") or "",
                 r.get("text") or "") for r in read_jsonl(path)]
    out.sort(key=lambda r: r[0])
    return out


def synthetic(real: list, n: int):
    """Sentence-reversed copies one year later, to reach ``n`` articles."""
    for t, outlet, title, body in islice(real, n):
        yield t + YEAR, outlet, title, " ".join(reversed(split_sentences(body)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--measure", type=int, default=1000)
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "speed.json"))
    args = ap.parse_args()
    real = stream()
    rows = (real + list(synthetic(real, max(0, args.n - len(real)))))[: args.n]
    det, sc = CopyDetector(), StoryClusterer()
    copy_cpu = story_cpu = 0.0
    warm = len(rows) - args.measure
    t_start = time.process_time()
    for i, (t, outlet, title, body) in enumerate(rows):
        c0 = time.process_time()
        det.add(i, body or title)
        c1 = time.process_time()
        sc.add(Item(i, title, body, outlet, t))
        c2 = time.process_time()
        if i >= warm:
            copy_cpu, story_cpu = copy_cpu + c1 - c0, story_cpu + c2 - c1
        if i % 10000 == 0:
            print(f"{i} articles, {time.process_time() - t_start:.0f}s CPU", file=sys.stderr, flush=True)
    res = {"stored_before_measure": warm, "measured": args.measure, "real_articles": min(len(real), args.n),
           "copy_ms": copy_cpu / args.measure * 1000, "story_ms": story_cpu / args.measure * 1000,
           "total_ms": (copy_cpu + story_cpu) / args.measure * 1000, "stories": len(sc.stories),
           "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
           "total_cpu_s": time.process_time() - t_start}
    print(json.dumps(res, indent=1))
    Path(args.out).write_text(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
