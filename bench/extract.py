"""Benchmark: Khabar's extraction vs plain ``trafilatura.extract`` on real Arabic pages.

Both run on the same raw page bytes in one process. Reported per page:

* **text F1** against the golden text (newspaper/newspaper4k/goose3 CNN Arabic
  expected text, magic-html's youm7 clean text): token-level F1 over the
  multiset of words after ``normalize_search`` + ``tokenize`` (Khabar's own
  text layer), so punctuation, harakat and letter variants do not count.
  Khabar's text is its body paragraphs (no title, no lifted boxes); trafilatura's
  is its default ``txt`` output.
* **snippets** for trafilatura's own assabah eval page: every "with" snippet
  found and no "without" snippet.
* **speed**: pages/s over all pages (the four htmldate pages are timed but have
  no text golden), best of ``--rounds`` runs after a warm-up.

Usage: ``python bench/extract.py [--data ../shared/data] [--rounds 5] [--out bench/results/extract.json]``
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import trafilatura

from khabar.arabic import normalize_search, tokenize
from khabar.ingest.extractor import extract_html

F1_PAGES = {
    "newspaper_cnn_arabic": ("html_fixtures_ar/newspaper_cnn_arabic/arabic_article.html",
                             "html_fixtures_ar/newspaper_cnn_arabic/expected_text.txt"),
    "newspaper4k_cnn_arabic": ("html_fixtures_ar/newspaper4k_cnn_arabic/arabic_article.html",
                               "html_fixtures_ar/newspaper4k_cnn_arabic/expected_text.txt"),
    "goose3_cnn_arabic": ("html_fixtures_ar/goose3_cnn_arabic/test_cnn_arabic.html",
                          "html_fixtures_ar/newspaper_cnn_arabic/expected_text.txt"),
    "youm7_magichtml": ("html_pages_ar/youm7.com__magichtml_4571254b.html",
                        "html_pages_ar/youm7.com__magichtml_4571254b.expected.txt"),
}  # fmt: skip
SNIPPET_PAGES = {
    "trafilatura_assabah": ("html_fixtures_ar/trafilatura_assabah/assabah.com.tn.article.html",
                            "html_fixtures_ar/trafilatura_assabah/expected_evaldata.json"),
}  # fmt: skip
TIMING_ONLY = [
    "html_pages_ar/akhbarelyom.com__htmldate_1731695567.html",
    "html_pages_ar/almadenahnews.com__htmldate_1588107198.html",
    "html_pages_ar/beirutobserver.com__htmldate_1764731404.html",
    "html_pages_ar/youm7.com__htmldate_1691196862.html",
]


def words(text: str) -> Counter[str]:
    """The normalized word multiset the F1 is computed on."""
    return Counter(tokenize(normalize_search(text)))


def f1(got: str, gold: str) -> float:
    """Token-level F1 (bag of normalized words)."""
    a, b = words(got), words(gold)
    overlap = sum((a & b).values())
    if not overlap:
        return 0.0
    p, r = overlap / sum(a.values()), overlap / sum(b.values())
    return round(2 * p * r / (p + r), 4)


def khabar_text(page: bytes) -> str:
    return "\n".join(extract_html(page).paragraphs)


def trafilatura_text(page: bytes) -> str:
    return trafilatura.extract(page) or ""


SYSTEMS: dict[str, Callable[[bytes], str]] = {"khabar": khabar_text, "trafilatura": trafilatura_text}


def snippets_ok(text: str, spec: dict) -> bool:
    norm = normalize_search(text)
    return all(normalize_search(s) in norm for s in spec["with"]) and not any(
        normalize_search(s) in norm for s in spec["without"]
    )


def timing(pages: list[bytes], rounds: int) -> dict[str, float]:
    """Best-of-rounds seconds per system over all pages, systems interleaved per round."""
    for fn in SYSTEMS.values():  # warm-up: imports, the language model, caches
        fn(pages[0])
    best = dict.fromkeys(SYSTEMS, float("inf"))
    for _ in range(rounds):
        for name, fn in SYSTEMS.items():
            t = time.perf_counter()
            for page in pages:
                fn(page)
            best[name] = min(best[name], time.perf_counter() - t)
    return best


def run(data: Path, rounds: int) -> dict:
    """Quality per page and speed over all pages."""
    report: dict = {"pages": {}, "metric": "token F1 over normalize_search+tokenize word multisets"}
    for name, (html, gold) in F1_PAGES.items():
        page, expected = (data / html).read_bytes(), (data / gold).read_text("utf-8")
        report["pages"][name] = {s: f1(fn(page), expected) for s, fn in SYSTEMS.items()}
    for name, (html, spec) in SNIPPET_PAGES.items():
        page, eval_spec = (data / html).read_bytes(), json.loads((data / spec).read_text("utf-8"))
        report["pages"][name] = {s: {"snippets_ok": snippets_ok(fn(page), eval_spec)} for s, fn in SYSTEMS.items()}
    files = [h for h, _ in F1_PAGES.values()] + [h for h, _ in SNIPPET_PAGES.values()] + TIMING_ONLY
    pages = [(data / f).read_bytes() for f in files]
    seconds = timing(pages, rounds)
    report["speed"] = {s: {"seconds": round(t, 4), "pages_per_s": round(len(pages) / t, 1)} for s, t in seconds.items()}
    report["speed"]["pages"] = len(pages)
    report["speed"]["time_ratio_khabar_over_trafilatura"] = round(seconds["khabar"] / seconds["trafilatura"], 3)
    f1_pages = [v for v in report["pages"].values() if isinstance(v.get("khabar"), float)]
    report["khabar_f1_at_least_trafilatura_everywhere"] = all(v["khabar"] >= v["trafilatura"] for v in f1_pages)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    root = Path(__file__).resolve().parent.parent
    parser.add_argument("--data", type=Path, default=root.parent / "shared" / "data")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--out", type=Path, default=root / "bench" / "results" / "extract.json")
    args = parser.parse_args()
    report = run(args.data, args.rounds)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
