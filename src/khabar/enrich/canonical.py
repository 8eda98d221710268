"""Canonical keyword tags: one tag, one page.

A tag reaches the store from many places (source-provided tag lines, the
keyphrase extractor, entities) and in many spellings: والجيش الروسي,
للجيش الروسي, الجيش الرُّوسي; إفريقيا / أفريقيا; روسيا الاتحادية / روسيا.
:func:`canonical_tag` gives the display form an editor would keep and
:func:`tag_key` the store key (its search-normalized form), so every variant
lands on the same tag page.

Rules, in order:

1. display-normalize, drop harakat, quotes and edge punctuation;
2. strip proclitics (و ف ب ك ل, لل→ال) from the first word when the stemmer
   agrees they are clitics (والجيش→الجيش, لروسيا→روسيا, but وزير, لبنان stay);
3. a one-word tag loses ال when the bare form is the usual name (the corpus
   writes it far more often without the article): النيجر keeps it, a stray
   الروسيا would not;
4. known aliases map to one name (``data/country_aliases.tsv``: روسيا الاتحادية
   → روسيا, إفريقيا → أفريقيا).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

from khabar.arabic import normalize_display, normalize_search, stem, strip_harakat
from khabar.arabic.stemmer import lexicon

_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
_QUOTES = re.compile("[\"'«»“”‘’()\\[\\]{}<>]")
_PROCLITICS = ("وب", "ول", "وك", "فب", "فل", "فك", "و", "ف", "ب", "ك", "ل")
_DEFINITE_LAM = ("ولل", "فلل", "لل")


@lru_cache(maxsize=1)
def aliases() -> dict[str, str]:
    """Search-normalized alias -> canonical display name."""
    text = files("khabar.enrich").joinpath("data/country_aliases.tsv").read_text("utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            alias, canonical = line.split("\t")
            table.setdefault(_key(alias), canonical)
    return table


def _key(text: str) -> str:
    return " ".join(normalize_search(text).split())


def _same_word(candidate: str, norm: str) -> bool:
    """The candidate and the original word stem alike (the prefix was a clitic)."""
    cand = normalize_search(candidate)
    return len(cand) >= 2 and stem(cand) == stem(norm)


@lru_cache(maxsize=50_000)
def strip_proclitics(word: str) -> str:
    """Remove conjunction/preposition clitics from a display word, stem-guarded."""
    norm = normalize_search(word)
    if len(norm) != len(word) or len(norm) < 3 or not "\u0621" <= norm[0] <= "\u064a":
        return word  # misaligned (folded digits etc.) or too short to carry a clitic
    for p in _DEFINITE_LAM:
        if norm.startswith(p) and len(norm) >= len(p) + 3:
            cand = "ال" + word[len(p):]
            if _same_word(cand, norm):
                return cand
    for p in _PROCLITICS:
        if norm.startswith(p) and len(norm) - len(p) >= 2:
            cand = word[len(p):]
            if _same_word(cand, norm):
                return cand
    return word


def _bare_name(word: str) -> str:
    """Drop ال from a one-word tag whose bare form is the usual spelling."""
    norm = normalize_search(word)
    if not norm.startswith("ال") or len(norm) < 5:
        return word
    counts = lexicon()
    bare = norm[2:]
    return word[2:] if counts.get(bare, 0) > 3 * counts.get(norm, 0) + 5 else word


def clean(text: str) -> str:
    """Display-normalized words without harakat, quotes or edge punctuation."""
    text = _QUOTES.sub(" ", strip_harakat(normalize_display(text)))
    words = (_EDGE.sub("", w) for w in text.split())
    return " ".join(w for w in words if w)


@lru_cache(maxsize=50_000)
def canonical_tag(text: str) -> str:
    """The display form of a tag that all its variants share (module doc)."""
    words = clean(text).split()
    if not words:
        return ""
    words[0] = strip_proclitics(words[0])
    if len(words) == 1:
        words[0] = _bare_name(words[0])
    phrase = " ".join(words)
    return aliases().get(_key(phrase), phrase)


def tag_key(text: str) -> str:
    """The store key of a tag: its canonical form, search-normalized and single-spaced."""
    return _key(canonical_tag(text))
