"""``khabar enrich-batch`` then ``khabar import --no-enrich`` stores what a normal enriched import stores.

Real sample articles, the installed ``khabar`` command (dask workers are real processes), real SQLite stores.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
from itertools import islice
from pathlib import Path

import pytest

from cli_run import khabar as run_khabar
from khabar.ingest.records import khabar_article
from khabar.storage import open_store
from realdata import SAMPLE

N = 240
BAD = ["{not json", json.dumps({"title": "بلا رابط", "body": "نص"}), json.dumps({"url": "https://x.test/a", "tags": 3})]


def khabar(*args: str) -> subprocess.CompletedProcess[str]:
    return run_khabar(None, *args, timeout=300)


def stored(db: Path) -> dict[str, dict]:
    """url -> the stored fields of every article (section, tags, entities and the text fields)."""
    with open_store(str(db)) as store:
        ids = [row.id for row in store.iter_texts()]
        return {s.article.url: {"section": s.article.section, "tags": s.article.tags, "title": s.article.title,
                                "paragraphs": s.article.paragraphs, "source": s.article.source,
                                "published_at": s.article.published_at, "in_story": s.story_id is not None,
                                "entities": [(e.text, e.type) for e in s.article.entities]}
                for s in store.get_articles(ids)}


def part_records(parts: list[Path]) -> list[dict]:
    out = []
    for part in parts:
        with gzip.open(part, "rt", encoding="utf-8") as fh:
            out.extend(json.loads(line) for line in fh)
    return out


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One batch run over a gzipped file of real sample lines and a plain file with bad lines among real ones."""
    folder = tmp_path_factory.mktemp("enrich-batch")
    with gzip.open(SAMPLE, "rt", encoding="utf-8") as fh:
        lines = list(islice(fh, N))
    first, second = folder / "a.jsonl.gz", folder / "b.jsonl"
    with gzip.open(first, "wt", encoding="utf-8") as out:
        out.writelines(lines[: N - 40])
    second.write_text("".join(lines[N - 40 : N - 20]) + "\n".join(BAD) + "\n" + "".join(lines[N - 20 :]), "utf-8")
    out_dir = folder / "parts"
    batch = khabar("enrich-batch", str(first), str(second), "--out", str(out_dir), "--workers", "2",
                   "--partitions", "2")
    assert batch.returncode == 0, batch.stderr
    parts = sorted(out_dir.glob("part-*"))
    serial = khabar("--db", str(folder / "serial.db"), "import", str(first), str(second), "--quiet")
    assert serial.returncode == 0, serial.stderr
    loaded = khabar("--db", str(folder / "batch.db"), "import", "--no-enrich", *map(str, parts), "--quiet")
    assert loaded.returncode == 0, loaded.stderr
    return {"folder": folder, "second": second, "out": out_dir, "parts": parts, "batch": batch, "loaded": loaded,
            "serial": stored(folder / "serial.db"), "batched": stored(folder / "batch.db")}


def test_summary_counts_articles_and_invalid_lines(run: dict) -> None:
    summary = run["batch"].stdout.strip().splitlines()[-1]
    match = re.fullmatch(r"articles in: (\d+), enriched: (\d+), invalid: (\d+), parts written: (\d+), "
                         r"elapsed: [\d.]+s", summary)
    assert match, summary
    assert tuple(map(int, match.groups())) == (N + len(BAD), N, len(BAD), 2)
    for line in (21, 22, 23):  # the bad lines of the second file, by their line number there
        assert f"{run['second']}:{line}:" in run["batch"].stderr


def test_parts_are_import_format_jsonl(run: dict) -> None:
    assert [p.name for p in run["parts"]] == ["part-00000.jsonl.gz", "part-00001.jsonl.gz"]
    records = part_records(run["parts"])
    assert len(records) == N
    articles = [khabar_article(r) for r in records]  # raises on anything the importer would reject
    assert all(a.section for a in articles) and sum(bool(a.tags) for a in articles) > N * 0.9
    assert "imported: 240, updated: 0, unchanged: 0, duplicates: 0, invalid: 0" in run["loaded"].stdout


def test_no_enrich_import_of_the_parts_equals_an_enriched_import(run: dict) -> None:
    serial, batched = run["serial"], run["batched"]
    assert len(serial) == N and set(batched) == set(serial)
    for url, fields in serial.items():
        got = batched[url]
        assert (got["section"], got["tags"]) == (fields["section"], fields["tags"]), url
        assert {k: got[k] for k in ("title", "paragraphs", "source", "published_at", "in_story")} == {
            k: fields[k] for k in ("title", "paragraphs", "source", "published_at", "in_story")}
    assert sum(len(f["tags"]) for f in serial.values()) > 3 * N  # enrichment really ran on both sides


def test_parts_carry_the_entities_into_the_store(run: dict) -> None:
    """Entities found by the NER model (none without it) travel in the parts and are stored by the import."""
    records = {r["url"]: r for r in part_records(run["parts"])}
    for url, fields in run["serial"].items():
        assert [(e["text"], e["type"]) for e in records[url].get("entities", [])] == fields["entities"], url
        assert run["batched"][url]["entities"] == fields["entities"], url


def test_reimporting_the_parts_changes_nothing(run: dict) -> None:
    again = khabar("--db", str(run["folder"] / "batch.db"), "import", "--no-enrich", *map(str, run["parts"]),
                   "--quiet")
    assert again.returncode == 0, again.stderr
    assert "imported: 0, updated: 0, unchanged: 240" in again.stdout


def test_refuses_missing_input_and_a_folder_with_parts_of_another_run(run: dict, tmp_path: Path) -> None:
    missing = khabar("enrich-batch", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "o"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr
    other = khabar("enrich-batch", str(run["second"]), "--out", str(run["out"]))
    assert other.returncode == 2 and "another run" in other.stderr
    assert sorted(run["out"].glob("part-*")) == run["parts"]


def test_a_rerun_of_a_killed_batch_writes_only_the_missing_parts(run: dict, tmp_path: Path) -> None:
    """A part is written whole or not at all; the same command run again keeps the finished parts."""
    out = tmp_path / "parts"
    shutil.copytree(run["out"], out)
    (out / "part-00001.jsonl.gz").unlink()
    kept = (out / "part-00000.jsonl.gz").stat().st_mtime_ns
    again = khabar("enrich-batch", str(run["folder"] / "a.jsonl.gz"), str(run["second"]), "--out", str(out),
                   "--workers", "2", "--partitions", "2")
    assert again.returncode == 0, again.stderr
    assert "parts written: 1, parts kept: 1" in again.stdout
    assert (out / "part-00000.jsonl.gz").stat().st_mtime_ns == kept
    assert part_records(sorted(out.glob("part-*"))) == part_records(run["parts"])


def test_a_later_enriched_import_of_the_archive_knows_its_inputs(run: dict) -> None:
    """The parts' input fingerprints are stored, so importing the original archive afterwards finds every
    article unchanged without enriching it again: the fingerprints equal a normal enriched import's."""
    with open_store(str(run["folder"] / "serial.db")) as serial, open_store(str(run["folder"] / "batch.db")) as batch:
        urls = list(run["serial"])
        assert serial.input_hashes(urls) == batch.input_hashes(urls) and all(serial.input_hashes(urls).values())
