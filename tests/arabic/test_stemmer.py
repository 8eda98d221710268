"""Tests for the lexicon-guarded light stemmer."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from itertools import combinations
from pathlib import Path

import pytest

from khabar.arabic import stemmer
from khabar.arabic.normalize import normalize_search
from khabar.arabic.stemmer import stem
from khabar.arabic.tokenize import tokenize

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "bench" / "data" / "stem_gold.tsv"
ANT = ROOT.parent / "shared" / "data" / "ant_multisource" / "train.jsonl.gz"


def s(word: str) -> str:
    return stem(normalize_search(word))


@pytest.mark.parametrize("word", ["الوزير", "والوزير", "للوزير", "بالوزير", "وبالوزير", "وزير"])
def test_definite_and_clitic_forms_conflate_to_wazir(word: str) -> None:
    assert s(word) == "وزير"


def test_words_are_not_damaged() -> None:
    assert s("وزير") != s("زير")
    assert s("بلاده") == "بلاد"
    for word in ["وليد", "ولاية", "فلسطين", "كتاب", "بيان", "لبنان", "ليبيا", "فرنسا", "فريق"]:
        assert s(word) == normalize_search(word), word


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("حكومتها", "حكومه"),
        ("الحكومات", "حكومه"),
        ("المعلمون", "معلم"),
        ("معلمين", "معلم"),
        ("الشركات", "شركه"),
        ("بلادنا", "بلاد"),
        ("رئيسهم", "رئيس"),
        ("للبنان", "لبنان"),
        ("الدولة", "دوله"),
    ],
)
def test_affixes(word: str, expected: str) -> None:
    assert s(word) == expected


def test_saudi_keeps_its_root_letters() -> None:
    assert s("السعودية") != "سعود"
    assert s("السعودية") == s("السعوديين") == s("سعودي")


def test_short_and_non_arabic_tokens_pass_through() -> None:
    for token in ["في", "من", "2018", "bbc", "#مصر", "و"]:
        assert stem(token) == token


def test_shipped_lexicon_loads_from_package() -> None:
    lex = stemmer.lexicon()
    assert len(lex) > 50_000
    assert lex["وزير"] > lex.get("زير", 0) * 100
    assert all(c >= 3 for c in list(lex.values())[-100:])


def _real_tokens(n_articles: int = 30) -> list[str]:
    with gzip.open(ANT, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for _, line in zip(range(n_articles), fh, strict=False)]
    return [t for r in rows for t in tokenize(normalize_search(r["title"] + " " + r["text"]))]


@pytest.mark.skipif(not ANT.exists(), reason="shared ANT data not available")
def test_real_text_stems_are_sane() -> None:
    lex = stemmer.lexicon()
    for token in _real_tokens():
        result = stem(token)
        assert result, token
        if lex.get(token, 0) >= 100:
            assert len(result) >= min(2, len(token)), (token, result)


def _pairwise(rows: list[tuple[str, str]], fn) -> tuple[float, float]:
    stems = [fn(w) for w, _ in rows]
    same_pred = same_true = tp = 0
    for (a, ca), (b, cb) in combinations(zip(stems, [c for _, c in rows], strict=True), 2):
        same_pred += a == b
        same_true += ca == cb
        tp += a == b and ca == cb
    return tp / max(same_pred, 1), tp / max(same_true, 1)


def test_gold_list_beats_snowball() -> None:
    snowball = pytest.importorskip("snowballstemmer").stemmer("arabic")
    lines = GOLD.read_text(encoding="utf-8").splitlines()
    rows = [tuple(x.split("\t")) for x in lines if x and not x.startswith("#")]
    rows = [(normalize_search(w), c) for w, c in rows]
    assert len(rows) >= 300
    assert Counter(c for _, c in rows).most_common(1)[0][1] >= 5
    p_k, r_k = _pairwise(rows, stem)
    p_s, r_s = _pairwise(rows, snowball.stemWord)
    assert p_k > p_s and r_k > r_s
    assert p_k >= 0.95 and r_k >= 0.85


def test_precomputed_stem_table_matches_the_rules():
    """The shipped stems.tsv.gz must be rebuilt when the rules change
    (python -m khabar.arabic.build_lexicon --stems src/khabar/arabic/data/stems.tsv.gz)."""
    import random

    from khabar.arabic.stemmer import compute_stem, lexicon, precomputed_stems

    table = precomputed_stems()
    words = random.Random(7).sample(sorted(lexicon()), 4000)
    stale = [w for w in words if table.get(w, w) != compute_stem(w)]
    assert not stale, f"stale stem table, e.g. {stale[:5]}"
