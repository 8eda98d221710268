"""Document frequencies of the shipped background corpus (ANT news, ``data/df.tsv.gz``)."""

from __future__ import annotations

import gzip
import math
from functools import lru_cache
from importlib.resources import files

UNSEEN_DF = 20  # a stem missing from the df table (df < 3) is scored as if seen this often


@lru_cache(maxsize=1)
def document_frequencies() -> tuple[int, dict[str, int]]:
    """(number of documents, stem -> document frequency) of the shipped background corpus."""
    ref = files("khabar.enrich").joinpath("data/df.tsv.gz")
    with ref.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        docs = int(fh.readline().split("\t")[1])
        table = {t: int(n) for t, n in (line.rstrip("\n").split("\t") for line in fh)}
    return docs, table


def idf(term: str) -> float:
    """Smoothed inverse document frequency of a stem. A stem the table lacks is
    rare *or* a typo / odd inflection (مطبوعاتها, فاجأتني): it is capped at the
    IDF of ``UNSEEN_DF`` documents rather than getting the maximum."""
    docs, table = document_frequencies()
    return math.log((docs + 1) / (table.get(term, UNSEEN_DF) + 1))
