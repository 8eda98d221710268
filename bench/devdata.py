"""Loading the real corpora for the story and copy benchmarks (read-only, nothing is copied)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
SNN = DATA / "saudinewsnet" / "saudinewsnet.jsonl.gz"
ANT = DATA / "ant_multisource" / "train.jsonl.gz"
JAWHARA = DATA / "ant_v1.1_jawharafm" / "ant_v1.1.jsonl.gz"
GOLD = DATA / "gold_clusters" / "dev" / "dev_gold.jsonl"
DEV_DAY = "2015-08-03"
CACHE = ROOT / "bench" / ".cache"  # derived vectors only (no article text); safe to delete


@dataclass(frozen=True)
class DevArticle:
    """A SaudiNewsNet article of the dev day, with its gold cluster when it is labelled."""

    url: str
    source: str
    time: datetime
    title: str
    body: str
    cluster: str | None


def read_jsonl(path: Path) -> Iterator[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def load_day() -> list[DevArticle]:
    """All 1,343 articles of the dev day in crawl order; the 502 gold ones carry ``cluster``."""
    gold = {r["id"]: r["cluster"] for r in map(json.loads, GOLD.read_text("utf-8").splitlines())}
    rows = [r for r in read_jsonl(SNN) if r["date_extracted"].startswith(DEV_DAY)]
    out = [
        DevArticle(r["url"], r["source"], datetime.fromisoformat(r["date_extracted"]), r["title"] or "",
                   r["content"] or "", gold.get(r["url"]))
        for r in rows
    ]
    out.sort(key=lambda a: (a.time, a.url))
    missing = set(gold) - {a.url for a in out}
    if missing:
        raise SystemExit(f"{len(missing)} gold ids not found in SaudiNewsNet")
    return out
