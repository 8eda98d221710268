"""Where the real data lives and how to pull real text from it (import as `realdata`)."""

from __future__ import annotations

import gzip
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("KHABAR_SHARED", ROOT.parent / "shared")).resolve()
DATA = SHARED / "data"
ANT = DATA / "ant_multisource" / "train.jsonl.gz"
SAUDI = DATA / "saudinewsnet" / "saudinewsnet.jsonl.gz"
SAMPLE = ROOT / "data" / "sample" / "ant-2018-05.jsonl.gz"


def iter_jsonl(path: Path) -> Iterator[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def ant_texts() -> Iterator[str]:
    for record in iter_jsonl(ANT):
        yield record.get("text") or ""


def find_in_corpus(pattern: str, context: int = 60, limit: int = 1, texts: Iterator[str] | None = None) -> list[str]:
    """Real passages of the ANT corpus around the first matches of a regex."""
    rx, found = re.compile(pattern), []
    for text in texts or ant_texts():
        m = rx.search(text)
        if m:
            found.append(text[max(0, m.start() - context) : m.end() + context])
            if len(found) >= limit:
                break
    if not found:
        pytest.skip(f"no passage matching {pattern!r} in the corpus")
    return found
