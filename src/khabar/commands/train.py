"""``khabar train ner`` and ``khabar train sections``: rebuild the enrichment models."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from khabar.settings import Settings

ROOTS = (Path("../shared/data"), Path("/work/shared/data"))
NER_DATA = "anercorp/train.txt"
SECTIONS_DATA = "ant_multisource/train.jsonl.gz"
PACKAGE_MODELS = Path(__file__).resolve().parent.parent / "enrich" / "models"


def find_data(given: str | None, relative: str) -> Path:
    """The given path, else ``relative`` under ../shared/data or /work/shared/data."""
    candidates = [Path(given)] if given else [root / relative for root in ROOTS]
    for path in candidates:
        if path.exists():
            return path
    tried = ", ".join(str(p) for p in candidates)
    raise FileNotFoundError(f"training data not found (tried {tried}); this needs {relative} "
                            "from the shared data folder, or pass --data PATH")


def _optional(relative: str) -> Path | None:
    return next((root / relative for root in ROOTS if (root / relative).exists()), None)


def cmd_train_ner(args: argparse.Namespace, settings: Settings) -> int:
    from khabar.enrich import train_ner
    from khabar.enrich.entities import model_dir

    data = find_data(args.data, NER_DATA)
    out = Path(args.out) if args.out else model_dir()
    report = train_ner.run(data, _optional("aner_gazetteers"),
                           _optional("gazetteers_wordlists/iso3166_countries_ar.tsv"), out,
                           full=args.full, with_plain=not args.no_baseline)
    print(ner_table(report))
    print(f"model written to {out}")
    return 0


def ner_table(report: dict) -> str:
    """Markdown table of entity-level F1 per type, micro and macro, per system."""
    systems = [s for s in ("crf_stacked", "crf_stacked_unbiased", "crf_stacked_sentences", "crf_rich",
                          "crf_rich_unbiased", "crf_rich_sentences", "crf_plain") if s in report]
    cols = ("PERS", "LOC", "ORG", "MISC", "micro", "macro")
    lines = ["| system | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for s in systems:
        lines.append(f"| {s} | " + " | ".join(f"{report[s][c]['f1']:.3f}" for c in cols) + " |")
    return "\n".join(lines)


def cmd_train_sections(args: argparse.Namespace, settings: Settings) -> int:
    from khabar.enrich import train_sections

    data = find_data(args.data, SECTIONS_DATA)
    extra = [Path(p) for p in args.extra]
    out = Path(args.out) if args.out else PACKAGE_MODELS / "sections.npz"
    report = train_sections.run(data, extra, out)
    print(sections_table(report))
    print(json.dumps({k: report[k] for k in ("train", "test", "model_bytes")}), file=sys.stderr)
    print(f"model written to {out}")
    return 0


def sections_table(report: dict) -> str:
    """Markdown table: accuracy, macro-F1 and speed of the model and of the baseline."""
    rows = [("khabar (tf-idf + outlet + linear svm + per-outlet second stage)", report["khabar"]),
            ("baseline tf-idf + linearsvc", report["baseline_tfidf_linearsvc"])]
    lines = ["| system | accuracy | macro-F1 | articles/s (wall) | articles/CPU-s |", "|---|---|---|---|---|"]
    for name, r in rows:
        speed = f"{r.get('articles_per_s', '')} | {r.get('articles_per_cpu_s', '')}"
        lines.append(f"| {name} | {r['accuracy']:.3f} | {r['macro_f1']:.3f} | {speed} |")
    if by := report.get("by_article"):
        k, b = by["khabar"], by["baseline_tfidf_linearsvc"]
        lines.append(f"\nOver distinct articles ({k['articles']} URLs, {k['filed_twice']} filed under two sections,"
                     f" either one right): khabar {k['accuracy']:.3f}, baseline {b['accuracy']:.3f}")
    return "\n".join(lines)


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``train ner`` and ``train sections``."""
    train = sub.add_parser("train", help="train the enrichment models")
    tsub = train.add_subparsers(dest="model", required=True, metavar="MODEL")
    ner = tsub.add_parser("ner", help="named entities from ANERcorp (CRF)")
    ner.add_argument("--data", help=f"ANERcorp token/tag file (default ../shared/data/{NER_DATA})")
    ner.add_argument("--out", help="model directory (default $KHABAR_NER_MODEL or ~/.cache/khabar/ner)")
    ner.add_argument("--full", action="store_true", help="refit on all sentences after the report")
    ner.add_argument("--no-baseline", action="store_true", help="skip the plain-CRF baseline")
    ner.set_defaults(func=cmd_train_ner)
    sec = tsub.add_parser("sections", help="section classifier from the ANT corpus")
    sec.add_argument("--data", help=f"ANT multi-source JSONL (default ../shared/data/{SECTIONS_DATA})")
    sec.add_argument("--extra", nargs="*", default=[], metavar="PATH",
                     help="more ANT-format files for training only (e.g. ant_v1.1.jsonl.gz)")
    sec.add_argument("--out", help="model file (default: the package's enrich/models/sections.npz)")
    sec.set_defaults(func=cmd_train_sections)
