"""``khabar search --originals`` and ``/search?originals=1``: each wire text once.

Real sample articles imported by the installed ``khabar`` command, which links copies as it imports:
Sky News stored one Uber report under two addresses (its slug was corrected), so the second is a copy."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from cli_run import khabar
from realdata import SAMPLE

QUERY = "أوبر"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's articles naming Uber (the twice-stored report among them) and 20 others."""
    with gzip.open(SAMPLE, "rt", encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh]
    uber = [r for r in records if "أوبر" in r["title"] or "أوبر" in r["body"]]
    tmp = tmp_path_factory.mktemp("originals")
    path = tmp / "some.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in uber + records[:20]), "utf-8")
    done = khabar(tmp / "k.db", "import", "--quiet", str(path))
    assert done.returncode == 0, done.stderr
    return tmp / "k.db"


def _urls(db: Path, *extra: str) -> list[str]:
    done = khabar(db, "search", QUERY, "--json", "--limit", "50", *extra)
    assert done.returncode == 0, done.stderr
    return [hit["url"] for hit in json.loads(done.stdout)]


def test_originals_leave_out_the_copies_and_keep_their_originals(db: Path) -> None:
    every, originals = _urls(db), _urls(db, "--originals")
    shown = {url: json.loads(khabar(db, "show", url, "--json").stdout) for url in every}
    copies = {url for url, a in shown.items() if a["copy_of"]}
    assert copies and {shown[c]["copy_of"] for c in copies} <= set(every)
    assert originals == [url for url in every if url not in copies]
