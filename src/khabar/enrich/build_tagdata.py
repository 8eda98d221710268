"""Build the shipped data of the keyword tagger.

* ``data/df.tsv.gz``: document frequency of stemmed Arabic terms over the ANT
  multisource corpus (Apache-2.0), the IDF background of tag scoring. First
  line ``#docs<TAB>N``, then ``stem<TAB>df`` for stems in at least ``--min-df``
  documents.
* ``data/country_aliases.tsv``: ``alias<TAB>canonical`` country names derived
  from Debian iso-codes (LGPL-2.1+, see ``data/README.txt``) plus the everyday
  news forms the ISO names lack (روسيا for الاتحاد الروسي, تركيا, سوريا...).

Usage::

    python -m khabar.enrich.build_tagdata --ant ../shared/data/ant_multisource/train.jsonl.gz \
        --iso ../shared/data/gazetteers_wordlists/iso3166_countries_ar.tsv
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
from collections import Counter
from pathlib import Path

from khabar.arabic import normalize_display, search_terms, strip_harakat

DATA = Path(__file__).parent / "data"
_ARABIC = re.compile("^[\u0621-\u064a]+$")

# Everyday news names (display form, then extra aliases) where the ISO name is formal or missing.
NEWS_NAMES: dict[str, tuple[str, ...]] = {
    "RU": ("روسيا", "روسيا الاتحادية", "الاتحاد الروسي"),
    "TR": ("تركيا", "جمهورية تركيا"),
    "SY": ("سوريا", "سورية", "الجمهورية العربية السورية"),
    "IR": ("إيران", "الجمهورية الإسلامية الإيرانية"),
    "KR": ("كوريا الجنوبية", "جمهورية كوريا"),
    "KP": ("كوريا الشمالية",),
    "PS": ("فلسطين", "دولة فلسطين"),
    "AE": ("الإمارات", "الإمارات العربية المتحدة", "دولة الإمارات"),
    "GB": ("بريطانيا", "المملكة المتحدة"),
    "US": ("الولايات المتحدة", "أمريكا", "أميركا", "الولايات المتحدة الأمريكية", "الولايات المتحدة الأميركية"),
    "SA": ("السعودية", "المملكة العربية السعودية"),
    "CN": ("الصين", "جمهورية الصين الشعبية"),
    "FR": ("فرنسا", "الجمهورية الفرنسية"),
    "DE": ("ألمانيا",),
    "EG": ("مصر",),
    "NE": ("النيجر",),
}
# Non-country names with competing spellings; the first is the most common in ANT.
EXTRA: tuple[tuple[str, ...], ...] = (("أفريقيا", "إفريقيا", "افريقيا"),)


def build_df(paths: list[Path], min_df: int) -> tuple[int, Counter[str]]:
    """Document frequency of stemmed Arabic terms over title+text of JSONL.gz corpora."""
    df: Counter[str] = Counter()
    docs = 0
    for path in paths:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                text = f"{row.get('title') or ''}\n{row.get('text') or ''}"
                df.update({t for t in search_terms(text) if _ARABIC.match(t)})
                docs += 1
    return docs, Counter({t: n for t, n in df.items() if n >= min_df})


def write_df(docs: int, df: Counter[str], out: Path) -> None:
    """Write the table, most frequent first; mtime=0 keeps rebuilds byte-identical."""
    lines = [f"#docs\t{docs}\n"] + [f"{t}\t{n}\n" for t, n in sorted(df.items(), key=lambda x: (-x[1], x[0]))]
    with open(out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write("".join(lines).encode("utf-8"))


def _clean(name: str) -> str:
    return " ".join(strip_harakat(normalize_display(name)).split())


def country_aliases(iso_tsv: Path) -> list[tuple[str, str]]:
    """(alias, canonical) pairs: ISO short and official names plus the news names."""
    pairs: list[tuple[str, str]] = []
    with open(iso_tsv, encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            names = [_clean(p) for f in ("name_ar", "official_name_ar") for p in (row[f] or "").split("،")]
            names = [n for n in names if n]
            news = NEWS_NAMES.get(row["alpha_2"], ())
            canonical = news[0] if news else (names[0] if names else "")
            if canonical:
                pairs += [(n, canonical) for n in dict.fromkeys([*names, *news])]
    for group in EXTRA:
        pairs += [(alias, group[0]) for alias in group]
    return pairs


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ant", type=Path, nargs="+", required=True, help="ANT .jsonl.gz corpora")
    parser.add_argument("--iso", type=Path, required=True, help="iso3166_countries_ar.tsv")
    parser.add_argument("--min-df", type=int, default=3)
    args = parser.parse_args(argv)
    docs, df = build_df(args.ant, args.min_df)
    write_df(docs, df, DATA / "df.tsv.gz")
    pairs = country_aliases(args.iso)
    with open(DATA / "country_aliases.tsv", "w", encoding="utf-8") as fh:
        fh.write("# alias\tcanonical -- derived from Debian iso-codes (LGPL-2.1+), see README.txt\n")
        fh.writelines(f"{a}\t{c}\n" for a, c in pairs)
    print(f"df: {len(df)} stems over {docs} docs; countries: {len(pairs)} aliases")


if __name__ == "__main__":
    main()
