"""ANERcorp as the NER trainer reads it: its sentences, the fixed held-out split, the gazetteers
the features look names up in, and entity-level scoring against its gold labels.

ANERcorp has no sentence marks, so sentences end at "." tokens; the last 20% of them are held
out (:func:`split_heldout`). Scores are exact span and type (:func:`evaluate`).
"""

from __future__ import annotations

from pathlib import Path

from khabar.arabic import normalize_search
from khabar.enrich.ner_consistency import entities

Sentence = tuple[list[str], list[str]]
TYPES = ("PERS", "LOC", "ORG", "MISC")


def read_anercorp(path: str | Path) -> list[Sentence]:
    """Sentences of a ``token TAG`` file, cut after each "." token."""
    sents: list[Sentence] = []
    words: list[str] = []
    tags: list[str] = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        parts = line.replace("\u200f", " ").split()
        if len(parts) < 2:
            continue
        # one malformed line glues a number to the word: keep the word, the last field is the tag
        words.append(parts[0])
        tags.append(parts[-1])
        if parts[0] == ".":
            sents.append((words, tags))
            words, tags = [], []
    if words:
        sents.append((words, tags))
    return sents


def split_heldout(sents: list[Sentence], part: float = 0.2) -> tuple[list[Sentence], list[Sentence]]:
    """(first 80%, last 20%) of the sentences, in file order."""
    cut = int(len(sents) * (1 - part))
    return sents[:cut], sents[cut:]


def read_gazetteers(aner_dir: Path | None, countries: Path | None) -> dict[str, set[str]]:
    """Normalized names per type from ANERGazet files and the iso-codes Arabic country names."""
    gaz: dict[str, set[str]] = {"LOC": set(), "ORG": set(), "PERS": set()}
    for kind, name in (("LOC", "Loc"), ("ORG", "Org"), ("PERS", "Pers")):
        path = aner_dir / f"ANERGazet_Aligned{name}Gazetteer.txt" if aner_dir else None
        if path and path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                line = line.strip()
                if line and not line.startswith(("====", "****")):
                    gaz[kind].add(normalize_search(line))
    if countries and countries.exists():
        gaz["COUNTRY"] = set()
        for row in countries.read_text(encoding="utf-8").splitlines()[1:]:
            cols = row.split("\t")
            for name in (cols[3], cols[5]) if len(cols) > 5 else cols[3:4]:
                if name.strip():
                    gaz["COUNTRY"].add(normalize_search(name.strip()))
    return gaz


def evaluate(gold: list[list[str]], pred: list[list[str]]) -> dict[str, dict[str, float]]:
    """Entity-level precision/recall/F1 per type, micro and macro (exact span and type)."""
    counts = {t: [0, 0, 0] for t in TYPES}  # true positives, predicted, gold
    for g, p in zip(gold, pred, strict=True):
        gs, ps = entities(g), entities(p)
        for t in TYPES:
            gt, pt = {e for e in gs if e[2] == t}, {e for e in ps if e[2] == t}
            counts[t][0] += len(gt & pt)
            counts[t][1] += len(pt)
            counts[t][2] += len(gt)
    out = {t: _prf(*c) for t, c in counts.items()}
    out["micro"] = _prf(*(sum(c[i] for c in counts.values()) for i in range(3)))
    out["macro"] = {k: sum(out[t][k] for t in TYPES) / len(TYPES) for k in ("precision", "recall", "f1")}
    return out


def _prf(tp: int, npred: int, ngold: int) -> dict[str, float]:
    p, r = tp / npred if npred else 0.0, tp / ngold if ngold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "support": ngold}

