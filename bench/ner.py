"""Benchmark the NER tagger: rich CRF vs a plain CRF baseline on ANERcorp's held-out last 20%.

crf_rich tags blocks of 15 held-out sentences as documents (label consistency, as for an article),
decoded with the per-type recall bias chosen on validation data (the last and the first 15% of the
training 80%, see khabar.enrich.ner_decode); crf_rich_unbiased is the same model decoded without the bias;
crf_rich_sentences is the biased model one sentence at a time; crf_plain is the baseline.

    .venv/bin/python bench/ner.py [--data ../shared/data/anercorp/train.txt]

Prints a markdown table and writes bench/results/ner.json. Trains into a temporary
directory, so the user's model is left alone.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
from pathlib import Path

from khabar.commands.train import NER_DATA, _optional, find_data, ner_table
from khabar.enrich import train_ner


def main() -> None:
    """Train both CRFs, evaluate, print and save the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data")
    parser.add_argument("--out", default=str(Path(__file__).parent / "results" / "ner.json"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        report = train_ner.run(find_data(args.data, NER_DATA), _optional("aner_gazetteers"),
                               _optional("gazetteers_wordlists/iso3166_countries_ar.tsv"), Path(tmp))
    report["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version()}
    print(ner_table(report))
    tuning = report["decoding"]
    first = tuning["first_15%"]
    print(f"\nbias chosen on validation (last and first {tuning['validation_sentences']} sentences of the training "
          f"80%): {tuning['bias']}; micro F1 unbiased -> biased: {tuning['unbiased']['micro']['f1']:.3f} -> "
          f"{tuning['biased']['micro']['f1']:.3f} (last 15%), {first['unbiased']['micro']['f1']:.3f} -> "
          f"{first['biased']['micro']['f1']:.3f} (first 15%)")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
