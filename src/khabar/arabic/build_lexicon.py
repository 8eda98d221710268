"""Build the word-count lexicon that guards the light stemmer.

The stemmer strips a clitic or affix only when what remains is a word the
corpus actually uses, so it needs counts of search-normalized Arabic tokens.
Only Apache-2.0 text (the ANT corpora) may go into the shipped file.

Usage::

    python -m khabar.arabic.build_lexicon OUT.tsv.gz FILE.jsonl.gz [FILE ...] [--min-count 3]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from khabar.arabic.normalize import normalize_search
from khabar.arabic.tokenize import tokenize

# Arabic-letter tokens only: numbers, Latin and hashtags are not stemmed.
_ARABIC_WORD = re.compile("^[\u0621-\u064a]+$")
_FIELDS = ("title", "abstract", "text")


def _texts(path: Path) -> Iterable[str]:
    """Yield the text fields of a JSONL(.gz) corpus file, or lines of a text file."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if not path.name.endswith((".jsonl", ".jsonl.gz")):
                yield line
                continue
            row = json.loads(line)
            for field in _FIELDS:
                value = row.get(field)
                if isinstance(value, str) and value:
                    yield value


def build_lexicon(paths: Iterable[str | Path]) -> Counter[str]:
    """Count search-normalized Arabic tokens in the given corpus files.

    JSONL files contribute their title/abstract/text fields (the ANT layout);
    any other file is read as plain text. Abstracts repeat the body's lead, so
    lead words count twice; that only shifts counts, never which words exist.
    """
    counts: Counter[str] = Counter()
    for path in paths:
        for text in _texts(Path(path)):
            counts.update(t for t in tokenize(normalize_search(text)) if _ARABIC_WORD.match(t))
    return counts


def write_lexicon(counts: Counter[str], out: str | Path, min_count: int = 3) -> int:
    """Write ``word<TAB>count`` lines (most frequent first) to a gzip file; return rows."""
    rows = [(w, c) for w, c in counts.most_common() if c >= min_count]
    # mtime=0 keeps the gzip byte-identical across rebuilds.
    with open(out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write("".join(f"{w}\t{c}\n" for w, c in rows).encode("utf-8"))
    return len(rows)


def write_stems(out: str | Path) -> int:
    """Precompute ``word<TAB>stem`` for every lexicon word whose stem differs.

    Stemming a new word costs ~50 µs of lexicon lookups; the table turns the
    words an import meets most into one dict lookup. Rebuild it whenever the
    stemmer's rules or the lexicon change (a test checks it is current)."""
    from khabar.arabic.stemmer import compute_stem, lexicon

    rows = [(w, s) for w in lexicon() if (s := compute_stem(w)) != w]
    with open(out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write("".join(f"{w}\t{s}\n" for w, s in rows).encode("utf-8"))
    return len(rows)


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="output .tsv.gz")
    parser.add_argument("files", nargs="*", help="corpus files (.jsonl.gz with title/abstract/text)")
    parser.add_argument("--min-count", type=int, default=3)
    parser.add_argument("--stems", help="also write the precomputed stem table here (after the lexicon)")
    args = parser.parse_args(argv)
    n = write_lexicon(build_lexicon(args.files), args.out, args.min_count)
    print(f"wrote {n} words to {args.out}")
    if args.stems:
        print(f"wrote {write_stems(args.stems)} stems to {args.stems}")


if __name__ == "__main__":
    main()
