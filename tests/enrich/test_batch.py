"""The dask batch pipeline's pieces on real sample articles: planning, reading, the part records."""

from __future__ import annotations

import gzip
import json
from itertools import islice
from pathlib import Path

import pytest

from khabar.enrich.batch import Segment, plan_parts, read_segment
from khabar.ingest.export import import_record
from khabar.ingest.records import khabar_article, read_records
from khabar.storage.rows import article_values
from realdata import SAMPLE

BAD_LINES = ["{not json", json.dumps({"title": "no url"}), "", json.dumps({"url": "https://x.test/1", "body": ""})]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """A gzipped file of 120 real sample lines and a plain one of 60 more with bad and blank lines among them."""
    folder = tmp_path_factory.mktemp("batch-in")
    with gzip.open(SAMPLE, "rt", encoding="utf-8") as fh:
        lines = list(islice(fh, 180))
    first, second = folder / "a.jsonl.gz", folder / "b.jsonl"
    with gzip.open(first, "wt", encoding="utf-8") as out:
        out.writelines(lines[:120])
    second.write_text("".join(lines[120:150]) + "\n".join(BAD_LINES) + "\n" + "".join(lines[150:]), "utf-8")
    return [first, second]


def whole_file(path: Path) -> list[tuple[str, int, str | None, str | None]]:
    with (gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else path.open(encoding="utf-8")) as fh:
        return [(str(path), n, a.url if a else None, e) for n, a, e in read_records(fh, "khabar")]


@pytest.mark.parametrize("partitions", [1, 3, 7, 500])
def test_parts_cover_every_line_once_in_order(inputs: list[Path], partitions: int) -> None:
    jobs = plan_parts(inputs, "khabar", "/tmp/unused", partitions=partitions)
    assert 1 <= len(jobs) <= partitions
    assert [j.index for j in jobs] == list(range(len(jobs)))
    segments = [s for j in jobs for s in j.segments]
    read = [(s.path, n, a.url if a else None, e) for s in segments for n, a, e in read_segment(s, "khabar")]
    assert read == whole_file(inputs[0]) + whole_file(inputs[1])  # same numbers and errors as the importer's reader
    assert sum(j.lines for j in jobs) == 120 + 60 + len(BAD_LINES)


def test_default_parts_keep_every_worker_busy(inputs: list[Path]) -> None:
    assert len(plan_parts(inputs, "khabar", "/tmp/unused", workers=2)) == 8
    assert plan_parts([], "khabar", "/tmp/unused") == []
    with pytest.raises(ValueError, match="unknown format"):
        plan_parts(inputs, "csv", "/tmp/unused")


def test_a_segment_reports_bad_lines_with_their_file_line(inputs: list[Path]) -> None:
    records = list(read_segment(Segment(str(inputs[1]), 29, 36), "khabar"))
    assert [n for n, _, _ in records] == [29, 30, 31, 32, 34, 35]  # line 33 is blank
    errors = {n: e for n, a, e in records if a is None}
    assert set(errors) == {31, 32, 34}
    assert "invalid JSON" in errors[31] and "url" in errors[32] and "empty body" in errors[34]


def test_import_record_round_trips_through_the_import_format(inputs: list[Path]) -> None:
    articles = [a for _, a, _ in read_segment(Segment(str(inputs[0]), 1, 121), "khabar") if a is not None]
    assert len(articles) == 120
    for article in articles:
        clean = article.cleaned()
        record = json.loads(json.dumps(import_record(clean, "f" * 32), ensure_ascii=False))
        back = khabar_article(record).cleaned()
        assert article_values(back) == {**article_values(clean), "input_hash": "f" * 32}
        assert (back.tags, back.section, back.entities) == (clean.tags, clean.section, clean.entities)
