"""Copies and stories linked during import, on real data: the bundled ANT sample plus
real SaudiNewsNet wire copies of the dev gold day, through the ``khabar`` CLI."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from khabar.cli import main
from khabar.storage import open_store
from realdata import DATA, SAMPLE, SAUDI

GOLD = DATA / "gold_clusters" / "dev" / "dev_gold.jsonl"
pytestmark = pytest.mark.skipif(not (SAUDI.exists() and GOLD.exists()), reason="needs ../shared/data")
# dev-1: one civil-defence release (عسير rain warning) published six times by five outlets;
# dev-38: one Yemenia flights release re-published by three.
CLUSTERS = ("dev-1", "dev-38")


def _wire_records() -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The SaudiNewsNet records of the chosen gold clusters, in file order, and url -> cluster."""
    gold = {r["id"]: r["cluster"] for r in map(json.loads, GOLD.open(encoding="utf-8")) if r["cluster"] in CLUSTERS}
    with gzip.open(SAUDI, "rt", encoding="utf-8") as fh:
        return [r for r in map(json.loads, fh) if r["url"] in gold], gold


def _run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> Any:
    capsys.readouterr()
    assert main(["--db", str(db), *args]) == 0
    out = capsys.readouterr().out
    return json.loads(out) if "--json" in args else out


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("linker")
    wire = tmp / "wire.jsonl"
    records, gold = _wire_records()
    wire.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    db = tmp / "k.db"
    assert main(["--db", str(db), "import", "--quiet", "--no-enrich", str(SAMPLE)]) == 0
    assert main(["--db", str(db), "import", "--quiet", "--no-enrich", "--format", "saudinewsnet", str(wire)]) == 0
    return {"db": db, "wire": wire, "records": records, "gold": gold}


def _group(site: dict[str, Any], cluster: str) -> list[dict[str, Any]]:
    return [r for r in site["records"] if site["gold"][r["url"]] == cluster]


def test_copies_point_at_the_first_publication(site: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    asir = _group(site, "dev-1")
    assert len(asir) == 6 and len({r["source"] for r in asir}) == 5  # 3alyoum ran it twice
    first, *others = asir
    shown = _run(capsys, site["db"], "show", first["url"], "--json")
    assert shown["copy_of"] is None and shown["story_id"] is not None
    assert sorted(c["url"] for c in shown["copies"]) == sorted(r["url"] for r in others)
    assert {c["source"] for c in shown["copies"]} == {r["source"] for r in others}
    for r in others:
        copy = _run(capsys, site["db"], "show", r["url"], "--json")
        assert (copy["copy_of"], copy["story_id"], copy["copies"]) == (first["url"], shown["story_id"], [])


def test_every_article_in_exactly_one_story(site: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    stories = _run(capsys, site["db"], "stories", "--json", "--all")
    urls = [a["url"] for s in stories for a in s["articles"]]
    with open_store(str(site["db"])) as store:
        assert len(urls) == len(set(urls)) == store.count_articles()
    assert all(s["articles"] and s["headline"] for s in stories)
    asir = {r["url"] for r in _group(site, "dev-1")}
    (story,) = [s for s in stories if asir & {a["url"] for a in s["articles"]}]
    assert asir <= {a["url"] for a in story["articles"]}
    hot = _run(capsys, site["db"], "stories", "--json", "--since", "100000", "--limit", "3")
    assert hot[0]["outlet_count"] >= 5  # the re-published release tops the ranking
    wide = _run(capsys, site["db"], "stories", "--json", "--since", "100000", "--limit", "500", "--min-outlets", "2")
    assert {s["id"] for s in wide} == {s["id"] for s in stories if len({a["source"] for a in s["articles"]}) >= 2}
    assert 1 <= len(wide) < len(stories)


def test_reimport_changes_nothing(site: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    before = _run(capsys, site["db"], "stories", "--json", "--all")
    out = _run(capsys, site["db"], "import", "--quiet", "--no-enrich", "--format", "saudinewsnet", str(site["wire"]))
    assert "imported: 0" in out
    assert _run(capsys, site["db"], "stories", "--json", "--all") == before


def test_small_batches_link_in_input_order(site: dict[str, Any], tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    args = ["--db", str(db), "import", "--quiet", "--no-enrich", "--format", "saudinewsnet", "--batch", "2"]
    assert main([*args, str(site["wire"])]) == 0
    with open_store(str(db)) as store, open_store(str(site["db"])) as full:
        for r in site["records"]:
            assert store.get_article(r["url"]).copy_of == full.get_article(r["url"]).copy_of


def test_reimport_with_a_changed_text_relinks_only_that_article(site: dict[str, Any], tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """Through ``khabar import`` with enrichment (the input fingerprint path): a re-published copy of the
    عسير release whose page now carries the Yemenia release becomes a copy of that one, in its story."""
    db = tmp_path / "e.db"
    _run(capsys, db, "import", "--quiet", "--format", "saudinewsnet", str(site["wire"]))
    asir, yemenia = _group(site, "dev-1"), _group(site, "dev-38")
    before = {r["url"]: _run(capsys, db, "show", r["url"], "--json") for r in site["records"]}
    edited = asir[2]["url"]
    changed = [{**r, "title": yemenia[0]["title"], "content": yemenia[0]["content"]} if r["url"] == edited else r
               for r in site["records"]]
    path = tmp_path / "changed.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in changed), encoding="utf-8")
    out = _run(capsys, db, "import", "--quiet", "--format", "saudinewsnet", str(path))
    assert f"updated: 1, unchanged: {len(changed) - 1}" in out
    after = {r["url"]: _run(capsys, db, "show", r["url"], "--json") for r in site["records"]}
    target = before[yemenia[0]["url"]]
    assert (after[edited]["copy_of"], after[edited]["story_id"]) == (yemenia[0]["url"], target["story_id"])
    assert before[edited]["copy_of"] == asir[0]["url"]
    for url, shown in after.items():
        if url != edited:
            assert (shown["story_id"], shown["copy_of"]) == (before[url]["story_id"], before[url]["copy_of"])
    assert edited not in {c["url"] for c in after[asir[0]["url"]]["copies"]}
    assert edited in {c["url"] for c in after[yemenia[0]["url"]]["copies"]}
