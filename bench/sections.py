"""Benchmark the section classifier against TF-IDF + LinearSVC on the fixed ANT split.

    .venv/bin/python bench/sections.py [--data ../shared/data/ant_multisource/train.jsonl.gz] [--validate]

Prints a markdown table and writes bench/results/sections.json. The model is written to a
temporary file, so the shipped one is untouched (``khabar train sections`` replaces it).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
from pathlib import Path

from khabar.commands.train import SECTIONS_DATA, find_data, sections_table
from khabar.enrich import train_sections


def main() -> None:
    """Train, evaluate, print and save the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data")
    parser.add_argument("--extra", nargs="*", default=[])
    parser.add_argument("--out", default=str(Path(__file__).parent / "results" / "sections.json"))
    parser.add_argument("--validate", action="store_true",
                        help="score the validation part of the training side instead (prints, writes nothing)")
    args = parser.parse_args()
    if args.validate:
        with tempfile.TemporaryDirectory() as tmp:
            report = train_sections.validate(find_data(args.data, SECTIONS_DATA), Path(tmp) / "sections.npz")
        print(sections_table(report))
        return
    with tempfile.TemporaryDirectory() as tmp:
        report = train_sections.run(find_data(args.data, SECTIONS_DATA), [Path(p) for p in args.extra],
                                    Path(tmp) / "sections.npz")
    report["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version(),
                         "load_avg_1min": os.getloadavg()[0]}
    print(sections_table(report))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
