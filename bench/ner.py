"""Benchmark the NER tagger: rich CRF vs a plain CRF baseline on ANERcorp's held-out last 20%.

crf_rich (one CRF) and crf_stacked (two stages, khabar.enrich.ner_stack) tag blocks of 15 held-out
sentences as documents (label consistency, as for an article), decoded with the per-type recall bias
chosen on validation data (the first and the last 15% of the training 80%, khabar.enrich.ner_validation,
which also chooses between the two); *_unbiased is the same model decoded without the bias;
*_sentences one sentence at a time; crf_plain is the baseline.

    .venv/bin/python bench/ner.py [--data ../shared/data/anercorp/train.txt]

Prints a markdown table and writes bench/results/ner.json. Trains into a temporary
directory (or ``--model-out DIR``), so the user's model is left alone.
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
    parser.add_argument("--model-out", help="keep the trained model (80%% fit) in this directory")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        report = train_ner.run(find_data(args.data, NER_DATA), _optional("aner_gazetteers"),
                               _optional("gazetteers_wordlists/iso3166_countries_ar.tsv"),
                               Path(args.model_out or tmp))
    report["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version()}
    print(ner_table(report))
    tuning = report["decoding"]
    for name in ("one_stage", "two_stage"):
        t = tuning[name]
        print(f"{name}: bias {t['bias']}; validation micro F1 unbiased -> biased: "
              f"{t['unbiased']['micro']['f1']:.3f} -> {t['biased']['micro']['f1']:.3f} (last 15%), "
              f"{t['first_15%']['unbiased']['micro']['f1']:.3f} -> {t['first_15%']['biased']['micro']['f1']:.3f} "
              f"(first 15%); mean {t['mean_micro_f1']:.4f}")
    print(f"chosen on validation: {tuning['chosen']}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
