"""Real named entities (text and type) from ANERcorp's gold annotation, for the store tests.

ANERcorp is research-only: it is read here, never shipped.
"""

from __future__ import annotations

from pathlib import Path

from khabar.model import NamedEntity
from realdata import DATA

ANER = DATA / "anercorp" / "train.txt"


def gold_entities(limit: int, path: Path = ANER) -> list[NamedEntity]:
    """The first ``limit`` gold entity mentions of the file (BIO runs joined), repeats included."""
    found: list[NamedEntity] = []
    words: list[str] = []
    kind = ""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            word, _, label = line.strip().rpartition(" ")
            if words and not (label.startswith("I-") and label[2:] == kind):
                found.append(NamedEntity(" ".join(words), kind))
                words, kind = [], ""
                if len(found) >= limit:
                    break
            if label.startswith(("B-", "I-")) and word:
                words, kind = [*words, word], label[2:]
    return found
