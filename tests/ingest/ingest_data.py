"""Real-data helpers for the import tests (a uniquely named module, importable from tests).

Every fixture file is built at test time from real records of
``../shared/data`` (ANT multi-source, SaudiNewsNet) and written to pytest's
tmp_path; nothing from the research-only corpora is kept in the repo.
"""

from __future__ import annotations

import gzip
import json
from email.utils import parsedate_to_datetime
from itertools import islice
from pathlib import Path
from typing import Any

from khabar.arabic.normalize import normalize_display

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data"
ANT = DATA / "ant_multisource" / "train.jsonl.gz"
ANT_RAW = DATA / "ant_multisource" / "raw_samples"
SNN = DATA / "saudinewsnet" / "saudinewsnet.jsonl.gz"


def read_lines(path: Path, n: int, skip: int = 0) -> list[str]:
    """The raw JSONL lines ``skip .. skip+n`` of a gzipped corpus (newline stripped)."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [line.rstrip("\n") for line in islice(f, skip, skip + n)]


def unique_by_url(lines: list[str], body_key: str) -> list[str]:
    """Lines with a distinct url and a non-empty body, so expected counts are exact."""
    seen: set[str] = set()
    out = []
    for line in lines:
        obj = json.loads(line)
        if obj.get(body_key, "").strip() and obj["url"] not in seen:
            seen.add(obj["url"])
            out.append(line)
    return out


def ant_to_khabar(obj: dict[str, Any]) -> dict[str, Any]:
    """A real ANT record rewritten in Khabar's own import format."""
    return {
        "url": obj["url"],
        "title": obj["title"],
        "body": obj["text"],
        "published_at": parsedate_to_datetime(obj["time"]).isoformat(),
        "source": obj["src"],
        "author": obj.get("author") or "",
        "section": obj["cat"],
        "lead": obj.get("abstract") or "",
        "tags": [obj["cat"], obj["src"]],
    }


def write_jsonl(path: Path, lines: list[str]) -> Path:
    """Write lines as ``.jsonl`` or, when the name ends in ``.gz``, ``.jsonl.gz``."""
    text = "".join(line + "\n" for line in lines)
    if path.suffix == ".gz":
        with gzip.open(path, "wt", encoding="utf-8") as f:
            f.write(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False)


def shown(text: str) -> str:
    """A text as Khabar stores it for display (tatweel, controls and extra spaces removed)."""
    return normalize_display(text).strip()
