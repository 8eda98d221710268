"""Model selection for the section classifier: validation part + 5-fold CV over the fit part.

    nice -n 10 .venv/bin/python bench/sections_cv.py [--data ../shared/data/ant_multisource/train.jsonl.gz]

Both halves of the protocol in one run, never touching the test part: the model is fitted on
the fit part and scored on the validation part (as ``bench/sections.py --validate``), then a
5-fold cross-validation over the fit part, folds by another byte of the folded-body hash so
identical texts share a fold. A change is worth adopting when it improves both.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

from khabar.commands.train import SECTIONS_DATA, find_data
from khabar.enrich import sections, train_sections
from khabar.model import Article

FOLDS = 5


def cv_fold(article: Article) -> int:
    """Fold of an article (byte 3 of the body hash: bytes 0-2 are the test, validation and stack splits)."""
    return train_sections._digest(article)[3] % FOLDS


def score(fit_part: list[Article], held: list[Article], fit: Callable = train_sections.fit) -> tuple[int, int, list]:
    """(right, total, predictions) of a model fitted on ``fit_part`` and applied to ``held``."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sections.npz"
        np.savez_compressed(path, **fit(fit_part))
        pred = sections.SectionModel.load(path).predict(held)
    return sum(p == a.section for p, a in zip(pred, held, strict=True)), len(held), pred


def evaluate(data: Path, fit: Callable = train_sections.fit, folds: int = FOLDS, log=print) -> dict:
    """Validation accuracy and the CV accuracy over the fit part (mean over rows of all folds);
    ``errors`` lists the validation rows the model gets wrong (outlet, title, gold, predicted)."""
    fit_part, val = train_sections.validation_split(train_sections.split(data)[0])
    right, total, pred = score(fit_part, val, fit)
    report: dict = {"validation": right / total, "errors": [
        (a.source, a.title, a.section, p) for a, p in zip(val, pred, strict=True) if a.section != p]}
    log(f"validation {right / total:.4f} ({total})")
    keys = [cv_fold(a) for a in fit_part]
    cv_right = cv_total = 0
    for k in range(folds):
        inner = [a for a, f in zip(fit_part, keys, strict=True) if f != k]
        held = [a for a, f in zip(fit_part, keys, strict=True) if f == k]
        r, t, _ = score(inner, held, fit)
        cv_right, cv_total = cv_right + r, cv_total + t
        log(f"fold {k}: {r / t:.4f} ({t})")
    report["cv"] = cv_right / cv_total
    log(f"cv {report['cv']:.4f} ({cv_total})")
    return report


def main() -> None:
    """Print validation and CV accuracy of the current training code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data")
    args = parser.parse_args()
    evaluate(find_data(args.data, SECTIONS_DATA))


if __name__ == "__main__":
    main()
