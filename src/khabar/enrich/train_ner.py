"""Train and evaluate the CRF named-entity tagger on ANERcorp.

Split (fixed, deterministic): ANERcorp has no sentence marks, so sentences end
at "." tokens; the LAST 20% of sentences are held out for the report, and the
first 80% train the model. Hyper-parameters were chosen on the last 15% of the
80% (``tune``), never on the held-out part. ``khabar train ner`` retrains on the
80% and reports on the 20%; ``--full`` then refits on everything before saving.
The report scores the tagger as the app runs it, on documents (label consistency
across an article, :mod:`khabar.enrich.ner_consistency`), and also one sentence at
a time (``crf_rich_sentences``, what ``tag_tokens`` gives a lone sentence).
"""

from __future__ import annotations

import gzip
import json
import time
from pathlib import Path

from khabar.arabic import normalize_search
from khabar.enrich.ner_consistency import entities, propagate
from khabar.enrich.ner_features import Resources, plain_features, sentence_features
from khabar.enrich.word_clusters import load_clusters

Sentence = tuple[list[str], list[str]]
TYPES = ("PERS", "LOC", "ORG", "MISC")
C1, C2, MAX_ITER = 0.05, 0.05, 150  # chosen by ``tune`` on the validation part of the 80%
# ANERcorp marks no article boundaries. Its 316 articles hold about 150k tokens (~475 each) and these
# sentences average 31 tokens, so the held-out stream is tagged as documents of 15 consecutive sentences,
# about one article (label consistency works per document; longer blocks scored a little higher on validation).
DOC_SENTENCES = 15


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


def train_crf(sents: list[Sentence], res: Resources, out: Path, plain: bool = False,
              c1: float = C1, c2: float = C2, max_iter: int = MAX_ITER) -> Path:
    """Fit a CRF with L-BFGS and write it to ``out`` (a crfsuite model file)."""
    import pycrfsuite

    featurize = plain_features if plain else sentence_features
    trainer = pycrfsuite.Trainer(verbose=False)
    for words, tags in sents:
        trainer.append(featurize(words, res), tags)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": max_iter,
                        "feature.possible_transitions": True})
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))
    return out


def predict(model: Path, sents: list[Sentence], res: Resources, plain: bool = False,
            doc_sentences: int = 0) -> list[list[str]]:
    """Tag the words of the sentences with a saved CRF; with ``doc_sentences``, every block of that
    many sentences is one document for :func:`~khabar.enrich.ner_consistency.propagate`."""
    import pycrfsuite

    featurize = plain_features if plain else sentence_features
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    labels = [tagger.tag(featurize(words, res)) for words, _ in sents]
    if not doc_sentences:
        return labels
    out: list[list[str]] = []
    for a in range(0, len(sents), doc_sentences):
        out.extend(propagate([w for w, _ in sents[a:a + doc_sentences]], labels[a:a + doc_sentences]))
    return out


def save_resources(res: Resources, model_dir: Path) -> None:
    """Store the gazetteers next to the model (clusters ship with the package)."""
    data = {k: sorted(v) for k, v in res.gazetteers.items()}
    with gzip.open(model_dir / "gazetteers.json.gz", "wt", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False)


def load_resources(model_dir: Path) -> Resources:
    """Gazetteers saved with a model plus the shipped word clusters."""
    path = model_dir / "gazetteers.json.gz"
    gaz = {}
    if path.exists():
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            gaz = {k: set(v) for k, v in json.load(fh).items()}
    return Resources(gazetteers=gaz, clusters=load_clusters())


def _system(name: str, train: list[Sentence], test: list[Sentence], res: Resources, out_dir: Path) -> dict:
    """Fit one CRF and score it on ``test``; ``crf_rich`` is also scored sentence by sentence."""
    plain = name == "crf_plain"
    gold = [tags for _, tags in test]
    wall, cpu = time.perf_counter(), time.process_time()
    path = train_crf(train, res, out_dir / f"{name}.crfsuite", plain=plain)
    report = {name: {"train_seconds": round(time.perf_counter() - wall, 1),
                     "train_cpu_seconds": round(time.process_time() - cpu, 1)}}
    wall, cpu = time.perf_counter(), time.process_time()
    report[name].update(evaluate(gold, predict(path, test, res, plain, 0 if plain else DOC_SENTENCES)))
    tag_cpu = time.process_time() - cpu
    report[name].update(tag_seconds=round(time.perf_counter() - wall, 1), tag_cpu_seconds=round(tag_cpu, 1),
                        tokens_per_cpu_second=round(sum(len(w) for w, _ in test) / max(tag_cpu, 1e-9)))
    if not plain:  # what tag_tokens() does: one sentence at a time, consistency within the sentence only
        report[f"{name}_sentences"] = evaluate(gold, predict(path, test, res, plain, 1))
    return report


def run(data: Path, gaz_dir: Path | None, countries: Path | None, out_dir: Path,
        full: bool = False, with_plain: bool = True) -> dict:
    """Train on the 80%, report on the held-out 20% (plus the plain-CRF baseline), save the model."""
    train, test = split_heldout(read_anercorp(data))
    res = Resources(read_gazetteers(gaz_dir, countries), load_clusters())
    out_dir.mkdir(parents=True, exist_ok=True)
    report: dict = {"split": "last 20% of sentences held out", "train_sentences": len(train),
                    "test_sentences": len(test),
                    "documents": f"crf_rich: blocks of {DOC_SENTENCES} held-out sentences (ANERcorp has no "
                                 "article marks); crf_rich_sentences: the same model one sentence at a time"}
    for name in ["crf_rich"] + (["crf_plain"] if with_plain else []):
        report.update(_system(name, train, test, res, out_dir))
    model = out_dir / "crf_rich.crfsuite"
    if full:  # final model sees all of the labelled data; the report above stays the 80/20 one
        train_crf(train + test, res, model)
    model.replace(out_dir / "model.crfsuite")
    (out_dir / "crf_plain.crfsuite").unlink(missing_ok=True)
    save_resources(res, out_dir)
    (out_dir / "report.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    return report
