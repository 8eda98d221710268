"""Related articles: Khabar vs a seed-like TF-IDF baseline on the same articles, same run.

Run: ``OMP_NUM_THREADS=2 .venv/bin/python bench/related.py`` (project root).

* **baseline** (what the seed aggregator shows): cosine of word TF-IDF over
  title + body (normalized words, IDF from the same articles), top 10, the
  article itself excluded; no time, no de-duplication, no floor.
* **khabar**: :func:`khabar.search.related.related` (e5 title + lead vectors,
  cached in ``bench/.cache``), its ``similar`` list (10). Articles are imported as
  ``khabar import`` does (enriched: section, tags, entities; linked: copies, stories);
  ``khabar_without_story_links`` hides the story links (the story linker was tuned on
  the gold day, so this shows what the ranking does without it). CPU ms per call are
  ``time.process_time`` around each call (first call per seed); wall ms beside them, with the load average.

Datasets: (1) the bundled ANT sample, 14-18 May 2018 (sections known, 36 texts
filed twice); (2) the 502 gold-labelled SaudiNewsNet articles of the dev day
(gold events known, wire copies reprinted by many outlets). Every article is a seed.

Figures per list, averaged over seeds: precision by same section (ANT) and by
shared entities (a pick mentions a place/organisation of the ANERGazet or ISO
country lists that the seed names in its title or lead), share of same-event
picks (gold), share of copies (the seed's text, or a text already in the list:
same content hash, ≥ 0.8 shingle containment, or one canonical text for
:class:`khabar.enrich.copies.CopyDetector`, all judged on the full bodies);
``same_event_distinct`` counts same-event picks that are not copies.
``p@10`` divides by 10, ``precision`` by the number of picks returned.
Writes ``bench/results/related.json``.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "2")
import numpy as np  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench")]

from devdata import CACHE, DEV_DAY, SNN, load_day, read_jsonl  # noqa: E402
from khabar.arabic import STOPWORDS, normalize_search, tokenize  # noqa: E402
from khabar.enrich.copies import CopyDetector  # noqa: E402
from khabar.enrich.embeddings import CachedEmbedder, E5Embedder, embedding_text  # noqa: E402
from khabar.enrich.linker import Linker  # noqa: E402
from khabar.enrich.pipeline import Enricher  # noqa: E402
from khabar.enrich.shingles import norm_words, overlap, shingle_sequence, shingle_set  # noqa: E402
from khabar.ingest.importer import import_files  # noqa: E402
from khabar.model import Filters, StoredArticle  # noqa: E402
from khabar.search.related import related  # noqa: E402
from khabar.search.vectors import VectorIndex, signature  # noqa: E402
from khabar.storage import open_store  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
SAMPLE = ROOT / "data" / "sample" / "ant-2018-05.jsonl.gz"
WINDOW = (datetime(2018, 5, 14, tzinfo=UTC), datetime(2018, 5, 19, tzinfo=UTC))
K = 10


def entity_lexicon() -> frozenset[str]:
    """Normalized place/organisation names (one or two words)."""
    names: set[str] = set()
    for f in ("ANERGazet_AlignedLocGazetteer.txt", "ANERGazet_AlignedOrgGazetteer.txt"):
        names.update((SHARED / "aner_gazetteers" / f).read_text("utf-8").splitlines())
    for line in (SHARED / "gazetteers_wordlists" / "iso3166_countries_ar.tsv").read_text("utf-8").splitlines()[1:]:
        names.add(line.split("\t")[3])
    out = {" ".join(tokenize(normalize_search(n))) for n in names}
    return frozenset(n for n in out if len(n) >= 3 and n not in STOPWORDS and n.count(" ") <= 1)


def entities(text: str, lexicon: frozenset[str]) -> frozenset[str]:
    words = tokenize(normalize_search(text))
    grams = set(words) | {f"{a} {b}" for a, b in zip(words, words[1:], strict=False)}
    return frozenset(grams & lexicon)


class Judge:
    """Labels for the figures, computed once per article from the full texts."""

    def __init__(self, articles: list[StoredArticle], events: dict[int, str], lexicon: frozenset[str]) -> None:
        self.by_id = {a.id: a for a in articles}
        sizes: dict[str, int] = {}
        for e in events.values():
            sizes[e] = sizes.get(e, 0) + 1
        self.events = {i: e for i, e in events.items() if sizes[e] > 1}  # seeds whose event has other reports
        self.hash = {a.id: a.article.content_hash for a in articles}
        self.shingles = {a.id: shingle_set(shingle_sequence(norm_words(a.article.body))) for a in articles}
        self.lead_ents = {a.id: entities(f"{a.article.title} {a.article.body[:300]}", lexicon) for a in articles}
        self.all_ents = {a.id: entities(f"{a.article.title} {a.article.body}", lexicon) for a in articles}
        detector = CopyDetector()  # the project's near-copy detector (bench/copies.py), oldest first
        for a in sorted(articles, key=lambda a: a.id):
            detector.add(a.id, a.article.body)
        self.canonical = {a.id: detector.canonical(a.id) for a in articles}

    def copy(self, a: int, b: int) -> bool:
        """Same text: equal hash, ≥ 0.8 shingle containment, or one canonical for CopyDetector."""
        return (self.hash[a] == self.hash[b] or self.canonical[a] == self.canonical[b]
                or overlap(self.shingles[a], self.shingles[b])[1] >= 0.8)

    def figures(self, seed: int, picks: list[int]) -> dict[str, float | None]:
        n = len(picks)
        sec = self.by_id[seed].article.section
        copy = [self.copy(seed, p) or any(self.copy(q, p) for q in picks[:i]) for i, p in enumerate(picks)]
        out: dict[str, float | None] = {"n": n, "copies": sum(copy) / n if n else 0.0}
        event = self.events.get(seed)
        hits = {
            "section": [bool(sec) and self.by_id[p].article.section == sec for p in picks] if sec else None,
            "entities": [bool(self.lead_ents[seed] & self.all_ents[p]) for p in picks]
            if self.lead_ents[seed] else None,
            "same_event": [self.events.get(p) == event for p in picks] if event else None,
            # A copy repeats what the reader just read: same-event picks that are not copies.
            "same_event_distinct": [self.events.get(p) == event and not c for p, c in zip(picks, copy, strict=False)]
            if event else None,
        }
        for name, h in hits.items():
            out[f"{name}_p@10"] = None if h is None else sum(h) / K
            out[f"{name}_precision"] = None if h is None else (sum(h) / n if n else 0.0)
        return out


def baseline(articles: list[StoredArticle]) -> dict[int, list[int]]:
    """Seed-like: TF-IDF cosine of title + body words, top 10, self excluded, nothing else."""
    analyzer = lambda t: [w for w in tokenize(normalize_search(t)) if w not in STOPWORDS]  # noqa: E731
    m = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True).fit_transform(
        [f"{a.article.title}\n{a.article.body}" for a in articles])
    sims = (m @ m.T).toarray()
    np.fill_diagonal(sims, -1)
    ids = [a.id for a in articles]
    return {ids[r]: [ids[j] for j in np.argsort(-sims[r])[:K]] for r in range(len(ids))}


def summarize(judge: Judge, lists: dict[int, list[int]]) -> dict[str, float]:
    rows = [judge.figures(seed, picks) for seed, picks in lists.items()]
    keys = rows[0].keys()
    return {k: round(float(np.mean([r[k] for r in rows if r[k] is not None])), 4)
            for k in keys if any(r[k] is not None for r in rows)}


class NoStories:
    """The store with its story links hidden: what the ranking does from vectors and signatures alone."""

    def __init__(self, store) -> None:
        self._store = store

    def __getattr__(self, name: str):
        return getattr(self._store, name)

    def story_articles(self, story_id: int) -> list:
        return []


def run_related(store, index: VectorIndex, articles: list[StoredArticle]) -> tuple[dict[int, list[int]], dict]:
    """Similar lists of every seed, with CPU and wall time per call (ms, p50 / p95 / mean; wall_* and the
    load average beside them: on a shared machine wall time mostly measures the other processes)."""
    lists, cpu, wall = {}, [], []
    for a in articles:
        t0, w0 = time.process_time(), time.perf_counter()
        lists[a.id] = [p.article.id for p in related(store, index, a.id).similar]
        cpu.append((time.process_time() - t0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
    pct = lambda ms, q: round(float(np.percentile(ms, q)), 2)  # noqa: E731
    return lists, {"p50": pct(cpu, 50), "p95": pct(cpu, 95), "mean": round(float(np.mean(cpu)), 2),
                   "wall_p50": pct(wall, 50), "wall_p95": pct(wall, 95), "load_average": round(os.getloadavg()[0], 2)}


def compare(name: str, store, index: VectorIndex, events: dict[int, str], lexicon: frozenset[str]) -> dict:
    articles = store.latest(100_000)
    judge = Judge(articles, events, lexicon)
    related(store, index, articles[0].id)  # warm-up: background IDF table, usearch
    ours, cpu = run_related(store, index, articles)
    no_story, _ = run_related(NoStories(store), index, articles)
    if os.environ.get("SHOW_COPIES"):
        for seed, picks in ours.items():
            for p in picks:
                if judge.copy(seed, p):
                    print("COPY", judge.by_id[seed].article.title, "|", judge.by_id[p].article.title)
    result = {"articles": len(articles), "baseline": summarize(judge, baseline(articles)),
              "khabar": summarize(judge, ours), "khabar_without_story_links": summarize(judge, no_story),
              "khabar_cpu_ms_per_call": cpu, "seeds_with_events": sum(a.id in events for a in articles),
              "stories": len({a.story_id for a in articles if a.story_id is not None})}
    print(name, json.dumps(result, indent=1), flush=True)
    return result


def ant_dataset(tmp: Path, cache: CachedEmbedder):
    store = open_store(str(tmp / "ant.db"))
    import_files(store, [SAMPLE])
    keep = store.latest(100_000, 0, Filters(since=WINDOW[0], until=WINDOW[1]))
    store.close()
    records = [json.loads(line) for line in __import__("gzip").open(SAMPLE, "rt", encoding="utf-8")]
    urls = {a.article.url for a in keep}
    (tmp / "win.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records
                                           if r["url"] in urls), "utf-8")
    store = open_store(str(tmp / "win.db"))
    import_linked(store, tmp / "win.jsonl")
    return store, _index(tmp / "win.db.vectors", store, cache), {}


def snn_day_all(tmp: Path, cache: CachedEmbedder):
    """Every article of the dev day (for bench/search.py)."""
    return snn_dataset(tmp, cache, gold_only=False)


def snn_dataset(tmp: Path, cache: CachedEmbedder, gold_only: bool = True):
    gold = {a.url: a for a in load_day() if a.cluster or not gold_only}
    rows = [r for r in read_jsonl(SNN) if r["date_extracted"].startswith(DEV_DAY) and r["url"] in gold]
    (tmp / "gold.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    store = open_store(str(tmp / "gold.db"))
    import_linked(store, tmp / "gold.jsonl", fmt="saudinewsnet")
    stored = {u: store.get_article(u) for u in gold}
    stored = {u: s for u, s in stored.items() if s is not None}
    index = VectorIndex(tmp / "gold.db.vectors", cache.name, cache.dim)
    # The raw title + body (as bench/stories.py embeds them): its cache already holds these vectors.
    index.add([s.id for s in stored.values()],
              cache.passage([embedding_text(gold[u].title, gold[u].body) for u in stored]),
              [signature(s.article.title, s.article.body) for s in stored.values()])
    index.save()
    return store, index, {s.id: gold[u].cluster for u, s in stored.items() if gold[u].cluster}


def import_linked(store, path: Path, fmt: str = "khabar") -> None:
    """Import as ``khabar import`` does: enrich (section, tags) and link copies and stories."""
    linker = Linker(store)
    import_files(store, [path], fmt=fmt, enrich=Enricher().enrich, after_batch=linker.link)


def _index(path: Path, store, cache: CachedEmbedder) -> VectorIndex:
    articles = store.latest(100_000)
    index = VectorIndex(path, cache.name, cache.dim)
    texts = [embedding_text(a.article.title, a.article.body) for a in articles]
    index.add([a.id for a in articles], cache.passage(texts),
              [signature(a.article.title, a.article.body) for a in articles])
    index.save()
    return index


def main() -> None:
    only = sys.argv[1:]  # e.g. `snn` or `ant` for a partial run (results file not written)
    lexicon = entity_lexicon()
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        if not only or "ant" in only:
            cache = CachedEmbedder(E5Embedder(), CACHE / "search_emb.sqlite")
            store, index, events = ant_dataset(Path(tmp), cache)
            out["ant_sample_14_18_may"] = compare("ant", store, index, events, lexicon)
        if not only or "snn" in only:
            cache = CachedEmbedder(E5Embedder(), CACHE / "embeddings.sqlite")  # shared with bench/stories.py
            store, index, events = snn_dataset(Path(tmp), cache)
            out["saudinewsnet_dev_gold"] = compare("snn", store, index, events, lexicon)
    if only:
        return
    path = ROOT / "bench" / "results" / "related.json"
    path.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
