"""Real ANT articles for the store contract, picked by scanning the corpus.

No Arabic text is made up: every article, sentence and word comes from
``/work/shared/data/ant_multisource`` (Apache-2.0).
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from khabar.arabic import normalize_search, search_terms, stem, tokenize
from khabar.model import Article

ANT = Path("/work/shared/data/ant_multisource/train.jsonl.gz")
_ARABIC_WORD = r"(?<![\u0600-\u06ff]){}(?![\u0600-\u06ff])"


def to_article(row: dict[str, Any], max_paragraphs: int = 4) -> Article:
    """An :class:`Article` from an ANT row (first paragraphs only, to stay small)."""
    paragraphs = [p.strip() for p in row["text"].split("\n") if p.strip()][:max_paragraphs]
    return Article(
        url=row["url"],
        title=row["title"],
        paragraphs=paragraphs,
        lead=row["abstract"],
        published_at=parsedate_to_datetime(row["time"]),
        source=row["src"],
        author=row["author"],
        section=row["cat"],
    )


def terms(article: Article) -> tuple[list[str], list[str]]:
    """Index terms of title and body, as every backend must see them."""
    return search_terms(article.title), search_terms(article.body)


def forms(article: Article, stem_: str) -> set[str]:
    """The surface words of an article whose stem is ``stem_``."""
    text = normalize_search(article.title + "\n" + article.body)
    return {w for w in tokenize(text) if stem(w) == stem_}


def adjacent(seq: list[str], a: str, b: str) -> bool:
    return any(x == a and y == b for x, y in zip(seq, seq[1:], strict=False))


@dataclass
class Sample:
    """Real ANT articles picked by what they contain."""

    wazir: Article | None = None  # the only وزير-word in it is bare وزير
    lilwazir: Article | None = None  # the only وزير-word in it is للوزير
    zir: Article | None = None  # a real typo: "قال زير الخارجية"
    harakat: Article | None = None  # a title word carrying a damma (جُحا)
    cup: Article | None = None  # "كأس العالم" in its title
    cup_apart: Article | None = None  # كأس and العالم, never adjacent
    filler: dict[tuple[str, str], Article] = field(default_factory=dict)  # one per (outlet, section)

    @property
    def special(self) -> list[Article]:
        return [self.wazir, self.lilwazir, self.zir, self.harakat, self.cup, self.cup_apart]

    @property
    def all(self) -> list[Article]:
        """Every picked article, urls unique."""
        seen: dict[str, Article] = {}
        for a in [*self.special, *self.filler.values()]:
            seen.setdefault(a.url, a)
        return list(seen.values())

    def done(self) -> bool:
        return all(a is not None for a in self.special) and len(self.filler) == 30


def _pick(sample: Sample, row: dict[str, Any]) -> None:
    """Fill whichever slot of ``sample`` this row fits (cheap text checks first)."""
    text = row["title"] + "\n" + row["text"]
    short = len(row["text"]) < 1500
    if short and (row["src"], row["cat"]) not in sample.filler:
        sample.filler[row["src"], row["cat"]] = to_article(row)
    if sample.zir is None and "زير" in text and re.search(_ARABIC_WORD.format("زير"), text):
        zir = to_article(row, max_paragraphs=1)
        sample.zir = zir if not forms(zir, "وزير") and "زير" in search_terms(zir.body) else None
    if sample.harakat is None and "جُحا" in row["title"]:
        sample.harakat = to_article(row)
    if short:
        _pick_words(sample, row, text)


def _pick_words(sample: Sample, row: dict[str, Any], text: str) -> None:
    if sample.wazir is None and "وزير" in text and forms(a := to_article(row), "وزير") == {"وزير"}:
        sample.wazir = a
    if sample.lilwazir is None and "للوزير" in text and forms(a := to_article(row), "وزير") == {"للوزير"}:
        sample.lilwazir = a
    if (sample.cup is None or sample.cup_apart is None) and "كأس" in text and "العالم" in text:
        a = to_article(row)
        title, body = terms(a)
        if sample.cup is None and adjacent(title, "كاس", "عالم"):
            sample.cup = a
        together = adjacent(title, "كاس", "عالم") or adjacent(body, "كاس", "عالم")
        if sample.cup_apart is None and {"كاس", "عالم"} <= set(title + body) and not together:
            sample.cup_apart = a


def load_sample(path: Path = ANT) -> Sample:
    """Scan the corpus until every slot of a :class:`Sample` is filled."""
    sample = Sample()
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            _pick(sample, json.loads(line))
            if sample.done():
                break
    assert all(a is not None for a in sample.special), "corpus no longer holds the needed articles"
    return sample
