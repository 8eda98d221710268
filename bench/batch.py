"""Benchmark ``khabar enrich-batch`` + ``import --no-enrich`` against a serial enriched ``khabar import``.

Run: ``nice -n 10 .venv/bin/python bench/batch.py [--n 2000] [--corpus saudinewsnet|ant] [--workers 2]``
(from the project root; set ``KHABAR_NER_MODEL=/tmp/no-ner-model`` to run without entities, as CI).

In the same run, on the first N lines of a real corpus, through the real ``khabar`` entry point:

* **serial** (baseline): ``khabar import FILE`` into a fresh SQLite store (enrich + store + link);
* **batch**: ``khabar enrich-batch FILE --out DIR --workers W``, then
  ``khabar import --no-enrich DIR/*.jsonl.gz`` into another fresh store (store + link).

Wall and CPU seconds (user + sys of the command and every process it waited for, dask workers
included) of each side, then a real equality check of the two stores: section and tags (and
entities) of every article. Writes
``bench/results/batch.json`` (one entry per NER mode). The temporary files are deleted.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from khabar.storage import open_store  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
CORPORA = {"saudinewsnet": DATA / "saudinewsnet" / "saudinewsnet.jsonl.gz",
           "ant": DATA / "ant_multisource" / "train.jsonl.gz"}
OUT = ROOT / "bench" / "results" / "batch.json"
KHABAR = [sys.executable, "-m", "khabar.cli"]


def timed(*args: str) -> tuple[float, float, str]:
    """Run ``khabar ARGS``: (wall s, CPU s of it and its waited-for children, stdout's last line)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([*KHABAR, *args], capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"khabar {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout.strip().splitlines()[-1]


def labels(db: Path) -> dict[str, tuple]:
    """url -> (section, tags, entities, linked into a story) of every stored article."""
    with open_store(str(db)) as store:
        ids = [row.id for row in store.iter_texts()]
        return {s.article.url: (s.article.section, s.article.tags, [(e.text, e.type) for e in s.article.entities],
                                s.story_id is not None) for s in store.get_articles(ids)}


def compare(a: dict[str, tuple], b: dict[str, tuple]) -> dict[str, int]:
    """Counts of articles whose field is equal in both stores (over the urls of either)."""
    urls = set(a) | set(b)
    same = {name: 0 for name in ("section", "tags", "entities", "linked")}
    for url in urls:
        if url in a and url in b:
            for i, name in enumerate(same):
                same[name] += a[url][i] == b[url][i]
    return {"articles_serial": len(a), "articles_batch": len(b), "urls": len(urls), **{f"same_{k}": v
                                                                                       for k, v in same.items()}}


def run(corpus: str, n: int, workers: int, tmp: Path) -> dict:
    source = tmp / f"{corpus}.jsonl"
    with gzip.open(CORPORA[corpus], "rt", encoding="utf-8") as fin, source.open("w", encoding="utf-8") as fout:
        fout.writelines(islice(fin, n))
    fmt = ("--format", corpus)
    serial = timed("--db", str(tmp / "serial.db"), "import", str(source), *fmt, "--quiet")
    enrich = timed("enrich-batch", str(source), "--out", str(tmp / "parts"), *fmt, "--workers", str(workers),
                   "--quiet")
    parts = sorted(str(p) for p in (tmp / "parts").glob("part-*.jsonl.gz"))
    load = timed("--db", str(tmp / "batch.db"), "import", "--no-enrich", *parts, "--quiet")
    batch_wall, batch_cpu = enrich[0] + load[0], enrich[1] + load[1]
    return {
        "n": n, "corpus": corpus, "workers": workers, "parts": len(parts),
        "serial": {"wall_s": round(serial[0], 2), "cpu_s": round(serial[1], 2), "summary": serial[2]},
        "enrich_batch": {"wall_s": round(enrich[0], 2), "cpu_s": round(enrich[1], 2), "summary": enrich[2]},
        "import_no_enrich": {"wall_s": round(load[0], 2), "cpu_s": round(load[1], 2), "summary": load[2]},
        "batch_total": {"wall_s": round(batch_wall, 2), "cpu_s": round(batch_cpu, 2)},
        "wall_ratio_serial_over_batch": round(serial[0] / batch_wall, 2),
        "cpu_ratio_batch_over_serial": round(batch_cpu / serial[1], 2),
        "equality": compare(labels(tmp / "serial.db"), labels(tmp / "batch.db")),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--corpus", choices=sorted(CORPORA), default="saudinewsnet")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    ner = os.environ.get("KHABAR_NER_MODEL", "")
    mode = "no_ner" if ner and not Path(ner).exists() else "ner"
    with tempfile.TemporaryDirectory(prefix="khabar-bench-batch-") as tmp:
        result = run(args.corpus, args.n, args.workers, Path(tmp))
    result.update(ner_model=mode, python=platform.python_version(), cpus=os.cpu_count())
    print(json.dumps(result, indent=1, ensure_ascii=False))
    eq = result["equality"]
    ok = eq["same_section"] == eq["same_tags"] == eq["urls"] == eq["articles_serial"] == eq["articles_batch"]
    print(f"sections and tags identical for every article: {ok} "
          f"({eq['same_section']}/{eq['urls']} sections, {eq['same_tags']}/{eq['urls']} tags, "
          f"{eq['same_entities']}/{eq['urls']} entities)")
    print(f"wall serial/batch: {result['wall_ratio_serial_over_batch']}x; "
          f"CPU batch/serial: {result['cpu_ratio_batch_over_serial']}x")
    saved = json.loads(OUT.read_text("utf-8")) if OUT.exists() else {}
    saved[mode] = result
    OUT.write_text(json.dumps(saved, indent=1, ensure_ascii=False) + "\n", "utf-8")
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
