"""BCubed and pairwise precision/recall/F1 of a clustering against gold labels."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def bcubed(pred: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> dict[str, float]:
    """Item-averaged precision/recall of each item's predicted vs gold cluster (Amigó et al. 2009)."""
    items = list(gold)
    joint = Counter((pred[i], gold[i]) for i in items)
    psize, gsize = Counter(pred[i] for i in items), Counter(gold[i] for i in items)
    p = sum(joint[(pred[i], gold[i])] / psize[pred[i]] for i in items) / len(items)
    r = sum(joint[(pred[i], gold[i])] / gsize[gold[i]] for i in items) / len(items)
    return {"precision": p, "recall": r, "f1": _f1(p, r)}


def pairwise(pred: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> dict[str, float]:
    """Precision/recall over same-cluster item pairs."""
    items = list(gold)
    joint = Counter((pred[i], gold[i]) for i in items)
    pairs = lambda c: sum(n * (n - 1) // 2 for n in c.values())  # noqa: E731
    tp = pairs(joint)
    pp, gp = pairs(Counter(pred[i] for i in items)), pairs(Counter(gold[i] for i in items))
    p, r = (tp / pp if pp else 1.0), (tp / gp if gp else 1.0)
    return {"precision": p, "recall": r, "f1": _f1(p, r)}


def scores(pred: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> dict[str, dict[str, float]]:
    return {"bcubed": bcubed(pred, gold), "pairwise": pairwise(pred, gold)}


def held_out_counts(pred: Mapping, gold: Mapping, test: set) -> dict[str, float]:
    """Sums for scoring held-out items inside a clustering of *all* items, so that false
    merges with training items still count: BCubed terms of the test items (their full
    predicted and gold clusters) and the pairs that touch a test item."""
    pc, gc = Counter(pred.values()), Counter(gold.values())
    joint = Counter((pred[i], gold[i]) for i in gold)
    out = Counter()
    for i in test:
        both = joint[(pred[i], gold[i])]
        out["bp"] += both / pc[pred[i]]
        out["br"] += both / gc[gold[i]]
        out["n"] += 1
    items = list(gold)
    for x, i in enumerate(items):
        for j in items[x + 1 :]:
            if i in test or j in test:
                sp, sg = pred[i] == pred[j], gold[i] == gold[j]
                out["tp"] += sp and sg
                out["pp"] += sp
                out["gp"] += sg
    return dict(out)


def from_counts(c: Mapping[str, float]) -> dict[str, dict[str, float]]:
    """BCubed and pairwise scores from (summed) :func:`held_out_counts`."""
    bp, br = c["bp"] / c["n"], c["br"] / c["n"]
    pp = c["tp"] / c["pp"] if c.get("pp") else 1.0
    pr = c["tp"] / c["gp"] if c.get("gp") else 1.0
    return {"bcubed": {"precision": bp, "recall": br, "f1": _f1(bp, br)},
            "pairwise": {"precision": pp, "recall": pr, "f1": _f1(pp, pr)}}
