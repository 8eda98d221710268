"""Word classes the phrase grammar needs: verbs, function words, adverbials, name parts.

Heuristics over the shipped lexicon's counts (a word that conjugates and never
takes ال is a verb) rather than a POS tagger: no Arabic tagger installs from
PyPI without model downloads.
"""

from __future__ import annotations

import re
from functools import lru_cache

from khabar.arabic import STOPWORDS, stem
from khabar.arabic.stemmer import lexicon
from khabar.enrich.canonical import aliases
from khabar.ingest import tagsplit


def _count(word: str) -> int:
    return lexicon().get(word, 0)


@lru_cache(maxsize=100_000)
def is_verb(norm: str) -> bool:
    """Heuristic: the word conjugates (يبحث/تبحث, قال/قالت/قالوا) and never takes ال."""
    w = norm[1:] if norm[:1] in "وف" and len(norm) > 4 and stem(norm) != norm else norm
    if not _count(norm) and re.match("^[وف]?س[يتن]..", norm):
        return True  # unknown future-tense form (وسنبني)
    if w.startswith("ال") or len(w) < 3 or _count("ال" + w) >= max(3, _count(w) // 50):
        return False
    if w[0] in "يتن" and len(w) >= 4:
        bases = [w[1:]] + [w[1:-2] for x in ("ان", "ون", "ين", "وا") if w.endswith(x) and len(w) >= 6]
        if sum(_count(p + b) for b in bases for p in "يتن" if p + b != w) >= 5:
            return True
    for base in (w, w[:-1] if w.endswith("ت") else "", w[:-2] if w.endswith("وا") else ""):
        if len(base) >= 3 and _count(base + "ت") >= 5 and _count(base + "وا") >= 3 and not _count("ال" + base):
            return True
    return False


@lru_cache(maxsize=100_000)
def is_stop(norm: str) -> bool:
    """A function word, also behind a one-letter proclitic (وأن, بأن, لكن)."""
    if norm in STOPWORDS or len(norm) < 2:
        return True
    return len(norm) <= 5 and norm[0] in "وفبلك" and norm[1:] in STOPWORDS


# Frequent non-nominal words the shared stopword list lacks (passive تم, أننا, adverbs).
EXTRA_STOP = frozenset(
    ["تم", "يتم", "اننا", "انه", "انها", "انهم", "لدينا", "لديه", "لديها", "يشار", "حاليا", "مجددا", "ايضا"]
)


def adverbial(norm: str) -> bool:
    """An accusative/adverbial form (سابقا, مبينا): the stemmer strips its tanween ا."""
    return norm.endswith("ا") and len(norm) >= 4 and stem(norm) == stem(norm[:-1]) != norm


def word_ok(tok) -> bool:
    if tok.kind == "latin":
        return len(tok.text) > 1
    return tok.kind == "arabic"


def name_like(norm: str) -> bool:
    """A word that never takes the article and is no adjective: part of a name (باكاري, ياو)."""
    if tagsplit._is_latin(norm):
        return True
    if stem(norm) != norm:  # carries a clitic or affix (لوكالة): not a bare name part
        return False
    return not (tagsplit._is_definite(norm) or tagsplit._is_common_noun(norm) or tagsplit._is_adjective(norm))


_PRONOUNS = ("هما", "هم", "هن", "ها", "كم", "نا", "ه")


def has_enclitic(norm: str) -> bool:
    """A possessive/object pronoun is attached (بلاده, جيشنا, حكومتها): no tag word."""
    s = stem(norm)
    return any(norm.endswith(x) and not s.endswith(x) and len(s) < len(norm) - len(x) + 2 for x in _PRONOUNS)


def nisba_country(norm: str) -> str:
    """The country a nisba adjective refers to (الروسية→روسيا, التركي→تركيا), or ''."""
    bare = norm[2:] if tagsplit._is_definite(norm) else norm
    bare = bare[:-1] if bare.endswith("يه") else bare
    if not bare.endswith("ي"):
        return ""
    table = aliases()
    for guess in (bare + "ا", bare[:-1], "ال" + bare[:-1], bare[:-1] + "ا"):
        if guess in table:
            return table[guess]
    return ""
