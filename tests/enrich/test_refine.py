"""The periodic merge/split pass, on real articles of the dev gold day: in the clusterer, and persisted
by the linker during import and by ``khabar stories --refine``."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from test_stories import ARSENAL, HILAL, NASSR, SNN, add_all, clusterer

from khabar.cli import main
from khabar.storage import open_store

pytestmark = pytest.mark.skipif(not SNN.exists(), reason="needs ../shared/data (research-only, not shipped)")
# Three reports of the Gulf Cup 23 postponement (gold dev-7). The first two share too little to join
# online; the third is close to both, joins the first, and the two stories have then converged.
GULF = ["الكويت تعلن تأجيل كأس «خليجي ٢٣» لمدة عام واحد", "أحمد الخميس: قرار تأجيل خليجي 23 اتخذ بالإجماع",
        "تأجيل «خليجي 23» إلى نهاية عام 2016"]


def test_refine_merges_stories_that_converged() -> None:
    sc = clusterer()
    first, second, third = add_all(sc, GULF)
    assert first != second and third == first  # online: two stories
    assert sc.refine() == (0, 1)
    labels = sc.labels()
    assert labels[0] == labels[1] == labels[2] and len(sc.stories) == 1
    assert sc.stories[labels[0]].article_count == 3
    assert sc.refine() == (0, 0)  # nothing left to do


def test_refine_keeps_same_day_matches_apart() -> None:
    sc = clusterer()
    add_all(sc, [HILAL[0], NASSR[0], ARSENAL[0], HILAL[1], NASSR[1], ARSENAL[1], HILAL[2], *GULF])
    before = sc.labels()
    sc.refine()
    after = sc.labels()
    matches = [after[i] for i in range(7)]
    assert matches[0] == matches[3] == matches[6] and matches[1] == matches[4] and matches[2] == matches[5]
    assert len({matches[0], matches[1], matches[2]}) == 3
    assert len({after[i] for i in (7, 8, 9)}) == 1 and not {after[i] for i in (7, 8, 9)} & set(matches)
    assert {before[i] for i in range(7)} == set(matches)  # the matches' stories were not touched


def _day() -> list[dict[str, Any]]:
    with gzip.open(SNN, "rt", encoding="utf-8") as fh:
        return [r for r in map(json.loads, fh) if r["date_extracted"].startswith("2015-08-03")]


def _records(titles: list[str]) -> list[dict[str, Any]]:
    by_title = {(r["title"] or "")[:50].strip(): r for r in _day()}
    return [by_title[t[:50].strip()] for t in titles]


def _import(db: Path, tmp: Path, records: list[dict[str, Any]], name: str) -> None:
    path = tmp / name
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    assert main(["--db", str(db), "import", "--quiet", "--no-enrich", "--format", "saudinewsnet", str(path)]) == 0


def _stories(db: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> list[dict[str, Any]]:
    capsys.readouterr()
    assert main(["--db", str(db), "stories", "--json", "--all", *extra]) == 0
    return json.loads(capsys.readouterr().out)


def test_linker_merges_converged_stories_in_the_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "k.db"
    first, second, third = _records(GULF)
    matches = _records([HILAL[0], NASSR[0], HILAL[1], NASSR[1]])
    # The rest of the day first, without the other Gulf Cup reports (an archive, so that IDF is the day's);
    # then the two reports and the matches.
    gold = map(json.loads, (SNN.parents[1] / "gold_clusters" / "dev" / "dev_gold.jsonl").open(encoding="utf-8"))
    chosen = {r["url"] for r in (first, second, third, *matches)} | {g["id"] for g in gold if g["cluster"] == "dev-7"}
    _import(db, tmp_path, [r for r in _day() if r["url"] not in chosen], "day.jsonl")
    _import(db, tmp_path, [first, second, *matches], "a.jsonl")
    apart = _stories(db, capsys)
    story_of = {a["url"]: s["id"] for s in apart for a in s["articles"]}
    assert story_of[first["url"]] != story_of[second["url"]]
    _import(db, tmp_path, [third], "b.jsonl")  # a later import: the third report links the two
    merged = _stories(db, capsys)
    story_of = {a["url"]: s["id"] for s in merged for a in s["articles"]}
    assert story_of[first["url"]] == story_of[second["url"]] == story_of[third["url"]]
    assert len(merged) == len(apart) - 1 and all(s["articles"] for s in merged)  # the emptied story is gone
    assert story_of[matches[0]["url"]] == story_of[matches[2]["url"]] != story_of[matches[1]["url"]]
    with open_store(str(db)) as store:
        row = store.get_story(story_of[first["url"]])
        assert (row.article_count, row.outlet_count) == (3, len({first["source"], second["source"], third["source"]}))
    assert _stories(db, capsys, "--refine") == merged  # on demand: nothing left to do, same JSON shape
