"""Rebuild the bundled sample: ANT multi-source articles from 9-24 May 2018, in Khabar's format.

    python data/sample/make_sample.py ../shared/data/ant_multisource/train.jsonl.gz data/sample/ant-2018-05.jsonl.gz

A two-week window (rather than a random draw) keeps same-event coverage by
several outlets together, which the story and related-article features need.
"""

from __future__ import annotations

import gzip
import io
import json
import sys
from datetime import UTC, datetime

from khabar.ingest.records import BadRecord, ant_article

START, END = datetime(2018, 5, 9, tzinfo=UTC), datetime(2018, 5, 25, tzinfo=UTC)


def main(src: str, dst: str) -> None:
    rows, seen = [], set()
    with gzip.open(src, "rt", encoding="utf-8") as fh:
        for line in fh:
            try:
                a = ant_article(json.loads(line))
            except BadRecord:
                continue
            if a.published_at and START <= a.published_at < END and a.url not in seen:
                seen.add(a.url)  # ANT files some articles under two categories: keep the first
                rows.append(a)
    rows.sort(key=lambda a: (a.published_at, a.url))
    with gzip.GzipFile(dst, "wb", mtime=0) as raw, io.TextIOWrapper(raw, encoding="utf-8") as out:
        for a in rows:
            obj = {"url": a.url, "title": a.title, "body": a.body, "published_at": a.published_at.isoformat(),
                   "source": a.source, "author": a.author, "section": a.section, "language": "ar"}
            out.write(json.dumps(obj, ensure_ascii=False) + "\n")
    print(f"{len(rows)} articles → {dst}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
