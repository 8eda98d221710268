"""Keyword tags against AKEC crowd keyphrases: Khabar vs YAKE vs TF-IDF.

AKEC (research-only, never shipped): documents/pure/<ID>.txt and
keyphrases/sort_frequency/pure.txt (crowd keyphrases, most chosen first).

Matching: a tag matches a keyphrase when their token sequences are equal after
search normalization (harakat, أ/إ/آ→ا, ة→ه, ى→ي) and the light stemmer
(which removes ال, proclitics, pronoun/plural suffixes), i.e.
``tuple(search_terms(tag)) == tuple(search_terms(kp))``.

* P@10: share of a system's first min(10, n) tags that match any crowd keyphrase
  (n = tags returned; Khabar may return 5–12, the baselines always 10);
* F1@10: against the document's 10 most chosen keyphrases;
* tags/doc: average number of tags returned (capped at 10).

Ids: ``train.ids`` (tuning) and ``test.ids`` (held out) when present; the
shared copy has only ``ids.txt`` (the 100 training documents). Usage::

    python bench/keyphrases.py [--akec ../shared/data/akec] [--out bench/results/keyphrases.json]
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import Counter
from pathlib import Path

from khabar.arabic import is_stopword, search_terms, tokenize
from khabar.enrich.docfreq import idf
from khabar.enrich.keyphrases import extract_tags
from khabar.model import Article

ROOT = Path(__file__).resolve().parents[1]


def load(akec: Path, ids_file: str) -> list[tuple[str, str, list[str]]]:
    """(id, text, crowd keyphrases most chosen first) for the ids in a file."""
    ids = (akec / ids_file).read_text("utf-8").split()
    kps = {}
    for line in (akec / "keyphrases/sort_frequency/pure.txt").read_text("utf-8-sig").splitlines():
        doc, _, rest = line.partition(" : ")
        kps[doc.strip()] = [k.strip() for k in rest.split(",") if k.strip()]
    return [(i, (akec / f"documents/pure/{i}.txt").read_text("utf-8-sig"), kps[i]) for i in ids]


def key(phrase: str) -> tuple[str, ...]:
    """The matching key (module doc)."""
    return tuple(search_terms(phrase))


def khabar(text: str) -> list[str]:
    paragraphs = [p.strip() for p in text.splitlines() if p.strip()]
    return extract_tags(Article(url="akec", paragraphs=paragraphs))


def make_yake():
    import yake

    extractor = yake.KeywordExtractor(lan="ar", n=3, top=10)
    return lambda text: [k for k, _ in extractor.extract_keywords(text)][:10]


def tfidf(text: str) -> list[str]:
    """Top-10 unigrams and bigrams of stems (no stopword at either edge) by tf·mean idf."""
    words = [w for w in tokenize(text) if re.match("[\u0621-\u064a]", w)]
    stems = [search_terms(w)[0] if search_terms(w) else "" for w in words]
    tf: Counter[tuple[str, ...]] = Counter()
    surface: dict[tuple[str, ...], str] = {}
    for i in range(len(words)):
        for n in (1, 2):
            span = words[i : i + n]
            if len(span) < n or is_stopword(span[0]) or is_stopword(span[-1]):
                continue
            k = tuple(stems[i : i + n])
            tf[k] += 1
            surface.setdefault(k, " ".join(span))
    scored = sorted(tf, key=lambda k: -tf[k] * sum(idf(s) for s in k) / len(k))
    return [surface[k] for k in scored[:10]]


def evaluate(system, docs) -> dict[str, float]:
    """Mean P@10, F1@10 and tags/doc of one system over documents."""
    p_sum = f_sum = n_sum = 0.0
    for _, text, kps in docs:
        tags = system(text)[:10]
        every, top = {key(k) for k in kps}, {key(k) for k in kps[:10]}
        got = [key(t) for t in tags]
        p_sum += sum(g in every for g in got) / max(1, len(got))
        hits = len(set(got) & top)
        p, r = hits / max(1, len(got)), hits / max(1, len(top))
        f_sum += 2 * p * r / (p + r) if p + r else 0.0
        n_sum += len(tags)
    n = max(1, len(docs))
    return {"P@10": round(p_sum / n, 3), "F1@10": round(f_sum / n, 3), "tags_per_doc": round(n_sum / n, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--akec", type=Path, default=ROOT.parent / "shared/data/akec")
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/keyphrases.json")
    parser.add_argument("--no-yake", action="store_true")
    args = parser.parse_args()
    systems = {"khabar": khabar, "tfidf": tfidf}
    if not args.no_yake:
        systems["yake"] = make_yake()
    splits = {"train": "train.ids", "test": "test.ids"}
    if not (args.akec / "train.ids").exists():
        splits = {"train (ids.txt)": "ids.txt"}
    results: dict = {"matching": "search-normalized + stemmed token sequence equality"}
    for split, ids in splits.items():
        if not (args.akec / ids).exists():
            results[split] = "not available"
            continue
        docs = load(args.akec, ids)
        results[split] = {"docs": len(docs)}
        for name, system in systems.items():
            start = time.perf_counter()
            results[split][name] = evaluate(system, docs)
            results[split][name]["docs_per_s"] = round(len(docs) / (time.perf_counter() - start), 1)
    if "test" not in results:
        results["test"] = "test.ids not in the shared copy (held out); run with --akec on the full corpus"
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
