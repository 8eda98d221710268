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
    return _pairwise(tp, pairs(Counter(pred[i] for i in items)), pairs(Counter(gold[i] for i in items)))


def scores(pred: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> dict[str, dict[str, float]]:
    return {"bcubed": bcubed(pred, gold), "pairwise": pairwise(pred, gold)}


def held_out_counts(pred: Mapping, gold: Mapping, test: set) -> dict[str, float]:
    """Sums for scoring held-out items inside a clustering of *all* items, so that false
    merges with training items still count: BCubed terms of the test items (their full
    predicted and gold clusters) and the pairs that touch a test item.

    A pair with one end in this fold's test set and the other in another fold's is scored
    in both folds' clusterings, so it counts 1/2 in each (``tp``/``pp``/``gp``): summed over
    the folds every pair then counts once, as in a single clustering. Gold pairs never
    cross folds (folds keep clusters whole), so without the halving only false merges would
    count twice and pooled pairwise precision would be biased low; ``*_full`` keep those
    unhalved sums for comparison with earlier reports."""
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
                w = 1.0 if i in test and j in test else 0.5
                sp, sg = pred[i] == pred[j], gold[i] == gold[j]
                for key, hit in (("tp", sp and sg), ("pp", sp), ("gp", sg)):
                    out[key] += w * hit
                    out[f"{key}_full"] += hit
    return dict(out)


def _pairwise(tp: float, pp: float, gp: float) -> dict[str, float]:
    p, r = (tp / pp if pp else 1.0), (tp / gp if gp else 1.0)
    return {"precision": p, "recall": r, "f1": _f1(p, r)}


def from_counts(c: Mapping[str, float]) -> dict[str, dict[str, float]]:
    """BCubed and pairwise scores from (summed) :func:`held_out_counts`; ``pairwise_full`` is the
    pairwise score with cross-fold pairs counted in both folds (the convention before the halving)."""
    bp, br = c["bp"] / c["n"], c["br"] / c["n"]
    out = {"bcubed": {"precision": bp, "recall": br, "f1": _f1(bp, br)},
           "pairwise": _pairwise(c.get("tp", 0), c.get("pp", 0), c.get("gp", 0))}
    if "tp_full" in c:
        out["pairwise_full"] = _pairwise(c["tp_full"], c["pp_full"], c["gp_full"])
    return out


def pair_errors(runs: list[tuple[Mapping, set]], gold: Mapping, top: int = 10) -> dict[str, list]:
    """Where the pairwise errors of a cross-validation are: gold clusters by missed pairs and gold-cluster
    pairs by false pairs (weighted as :func:`held_out_counts`), each with the pairwise F1 that fixing
    only it would add to the pooled score. ``runs``: (predicted labels of all items, test items) per fold."""
    missed, false, tot = Counter(), Counter(), Counter()
    for pred, test in runs:
        c = held_out_counts(pred, gold, test)
        tot.update({k: c.get(k, 0) for k in ("tp", "pp", "gp")})
        items = list(gold)
        for x, i in enumerate(items):
            for j in items[x + 1 :]:
                if (i in test or j in test) and (pred[i] == pred[j]) != (gold[i] == gold[j]):
                    w = 1.0 if i in test and j in test else 0.5
                    if gold[i] == gold[j]:
                        missed[gold[i]] += w
                    else:
                        false[tuple(sorted((gold[i], gold[j])))] += w
    f1 = lambda tp, pp, gp: 2 * tp / (pp + gp)  # noqa: E731
    now = f1(tot["tp"], tot["pp"], tot["gp"])
    size = Counter(gold.values())
    return {
        "missed": [{"cluster": k, "size": size[k], "pairs": n,
                    "f1_gain": f1(tot["tp"] + n, tot["pp"] + n, tot["gp"]) - now} for k, n in missed.most_common(top)],
        "false": [{"clusters": list(k), "sizes": [size[k[0]], size[k[1]]], "pairs": n,
                   "f1_gain": f1(tot["tp"], tot["pp"] - n, tot["gp"]) - now} for k, n in false.most_common(top)],
    }
