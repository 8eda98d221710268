"""Near-copy detection: precision and recall of :class:`CopyDetector` on real articles.

Run: ``.venv/bin/python bench/copies.py [--distractors 5000] [--originals 500]`` (project root).

1. **Variants**: SaudiNewsNet articles (≥ 80 words) are indexed among distractors
   (the whole dev day plus other SaudiNewsNet articles); each original then yields
   republished variants (``bench/variants.py``: dropped/changed first line,
   dateline + byline, trimmed ending, punctuation/harakat/tatweel, a middle
   third inside the long text, a new headline, a combination). A variant is found
   when ``find`` returns the original's canonical article.
2. **Same-event pairs** of the dev gold set: two articles of one gold cluster are
   labelled by a measure independent of the detector, the share of the shorter
   text covered by common word runs of ≥ 8 words (difflib): < 0.3 = *distinct
   words* (must not be copies), ≥ 0.8 = *real copies* (must be), between =
   ambiguous (counted, not scored). Pairs of different gold events must never be copies.
3. **ANT identical texts**: all of ANT ``train.jsonl.gz`` is streamed through
   ``add``; a group of identical texts is found when all its members share one canonical.

Writes ``bench/results/copies.json``.
"""

from __future__ import annotations

import argparse
import difflib
import json
import random
import sys
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench")]

from devdata import ANT, DEV_DAY, SNN, read_jsonl  # noqa: E402
from khabar.enrich.copies import CopyDetector  # noqa: E402
from khabar.enrich.shingles import norm_words  # noqa: E402
from variants import EDITS  # noqa: E402


def coverage(a: str, b: str, run: int = 8) -> float:
    """Share of the shorter text's words inside common runs of ≥ ``run`` words."""
    wa, wb = norm_words(a)[:1500], norm_words(b)[:1500]
    if not wa or not wb:
        return 0.0
    blocks = difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_matching_blocks()
    return sum(bl.size for bl in blocks if bl.size >= run) / min(len(wa), len(wb))


def build_index(n_distractors: int, seed: int):
    """Detector over the dev day + random other SaudiNewsNet articles; returns it and the indexed rows."""
    rows = [{**r, "content": r["content"] or ""} for r in read_jsonl(SNN)]
    rng = random.Random(seed)
    day = [r for r in rows if r["date_extracted"].startswith(DEV_DAY)]
    rest = [r for r in rows if not r["date_extracted"].startswith(DEV_DAY)]
    indexed = day + rng.sample(rest, n_distractors)
    det = CopyDetector()
    t0 = time.perf_counter()
    for i, r in enumerate(indexed):
        det.add(i, r["content"])
    ms = (time.perf_counter() - t0) / len(indexed) * 1000
    return det, indexed, ms


def run_variants(det: CopyDetector, indexed: list[dict], n: int, seed: int) -> dict:
    rng = random.Random(seed)
    pool = [i for i, r in enumerate(indexed) if len(r["content"].split()) >= 80]
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for i in rng.sample(pool, min(n, len(pool))):
        other = indexed[rng.choice(pool)]["content"]
        for name, edit in EDITS.items():
            text = edit(indexed[i]["content"], rng, other)
            if text is None:
                continue
            match = det.find(text)
            found[name][1] += 1
            found[name][0] += bool(match and match.canonical == det.canonical(i))
    total = [sum(v[0] for v in found.values()), sum(v[1] for v in found.values())]
    return {"recall": total[0] / total[1], "found": total[0], "variants": total[1],
            "by_edit": {k: {"found": v[0], "variants": v[1], "recall": v[0] / v[1]} for k, v in found.items()}}


def run_gold_pairs(det: CopyDetector, indexed: list[dict]) -> dict:
    pos = {r["url"]: i for i, r in enumerate(indexed)}
    gold = [json.loads(x) for x in (ROOT.parent / "shared/data/gold_clusters/dev/dev_gold.jsonl").open()]
    same = lambda a, b: det.canonical(pos[a["id"]]) == det.canonical(pos[b["id"]])  # noqa: E731
    counts = defaultdict(lambda: [0, 0])  # label -> [predicted copies, pairs]
    for a, b in combinations(gold, 2):
        if a["cluster"] != b["cluster"]:
            counts["different_event"][0] += same(a, b)
            counts["different_event"][1] += 1
            continue
        cov = coverage(indexed[pos[a["id"]]]["content"], indexed[pos[b["id"]]]["content"])
        label = "distinct_words" if cov < 0.3 else "real_copy" if cov >= 0.8 else "ambiguous"
        counts[label][0] += same(a, b)
        counts[label][1] += 1
    return {k: {"predicted_copies": v[0], "pairs": v[1]} for k, v in counts.items()}


def run_ant() -> dict:
    groups: dict[str, list[int]] = defaultdict(list)
    det = CopyDetector()
    t0 = time.perf_counter()
    n = 0
    for n, r in enumerate(read_jsonl(ANT)):
        text = r["text"] or ""
        det.add(n, text)
        if text.strip():
            groups[text].append(n)
    ms = (time.perf_counter() - t0) / (n + 1) * 1000
    multi = [g for g in groups.values() if len(g) > 1]
    ok = sum(len({det.canonical(i) for i in g}) == 1 for g in multi)
    copies = sum(det.canonical(i) != i for i in range(n + 1))
    in_groups = sum(len(g) - 1 for g in multi)
    return {"articles": n + 1, "identical_groups": len(multi), "groups_found": ok, "group_recall": ok / len(multi),
            "copies_flagged": copies, "copies_outside_identical_groups": copies - in_groups, "ms_per_add": ms}


def summarize(variants: dict, pairs: dict) -> dict:
    """Precision over every copy decision that has a label; recall over variants + real copies."""
    tp = variants["found"] + pairs.get("real_copy", {}).get("predicted_copies", 0)
    fn = variants["variants"] - variants["found"] + pairs.get("real_copy", {}).get("pairs", 0) - \
        pairs.get("real_copy", {}).get("predicted_copies", 0)
    fp = sum(pairs.get(k, {}).get("predicted_copies", 0) for k in ("distinct_words", "different_event"))
    return {"precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / (tp + fn), "tp": tp, "fp": fp, "fn": fn}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--distractors", type=int, default=5000)
    ap.add_argument("--originals", type=int, default=500)
    ap.add_argument("--seed", type=int, default=20150803)
    ap.add_argument("--skip-ant", action="store_true")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "copies.json"))
    args = ap.parse_args()
    det, indexed, ms = build_index(args.distractors, args.seed)
    out = {"indexed": len(indexed), "ms_per_add": ms, "params": {k: v for k, v in vars(det).items()
                                                                  if isinstance(v, int | float)}}
    out["variants"] = run_variants(det, indexed, args.originals, args.seed)
    print(json.dumps(out["variants"], indent=1), file=sys.stderr)
    out["gold_pairs"] = run_gold_pairs(det, indexed)
    out["summary"] = summarize(out["variants"], out["gold_pairs"])
    if not args.skip_ant:
        out["ant"] = run_ant()
    print(json.dumps(out, indent=1))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
