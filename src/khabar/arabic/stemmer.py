"""Lexicon-guarded light stemmer for search-normalized Arabic tokens.

Snowball-style stemmers strip by shape alone and damage words (وزير→زير,
بلاده→لاد). Here every strip must be backed by corpus evidence from the shipped
word counts (``data/lexicon.tsv.gz``, built from the Apache-2.0 ANT corpora):

* a remainder must be a word the corpus uses (count of ``s`` + ``ال s``);
* a word that itself takes the article, or takes و/ف in front of its own و/ف,
  is a word in its own right, so its first letters are root letters (وزير,
  الوزير; واصل, وواصل) and its final ه is not a pronoun (الدوله);
* a plural/dual suffix is stripped only when its case partner also occurs
  (معلمون/معلمين, طرفان/طرفين), which rejects لبنان, قانون, تامين.

Stems are classes for matching, usually readable words: والوزير→وزير,
بلاده→بلاد, حكومتها→حكومه, الشركات→شركه, المعلمون→معلم, السعوديين→سعودي.
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from importlib import resources

MIN_COUNT = 5  # evidence (count of s + ال s) a stripped remainder needs
_ARTICLE = ("وبال", "فبال", "وكال", "فكال", "ولل", "فلل", "وال", "فال", "بال", "كال", "لل", "ال")
_PRONOUN = ("هما", "كما", "هم", "هن", "ها", "كم", "كن", "نا", "ه")
# Sound plural/dual suffix -> the case partners whose presence proves it.
_PLURAL = {"ون": ("ين",), "ين": ("ون", "ان"), "ان": ("ين",)}

# Decade numerals look like sound plurals of the units (ثلاثين ≠ ثلاث): ون→ين only.
_UNITS = ("عشر", "ثلاث", "اربع", "خمس", "ست", "سبع", "ثمان", "تسع")
_DECADES = {u + x: u + "ين" for u in _UNITS for x in ("ون", "ين")}

_lexicon: dict[str, int] | None = None


def lexicon() -> dict[str, int]:
    """Word counts of the shipped lexicon, loaded once on first use."""
    global _lexicon
    if _lexicon is None:
        ref = resources.files("khabar.arabic").joinpath("data/lexicon.tsv.gz")
        with ref.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
            pairs = (line.rstrip("\n").split("\t") for line in fh)
            _lexicon = {w: int(c) for w, c in pairs}
    return _lexicon


def _count(word: str) -> int:
    return lexicon().get(word, 0)


def _family(stem: str) -> int:
    """Evidence that ``stem`` is a word: bare and definite occurrences."""
    return _count(stem) + _count("ال" + stem)


def _significant(n: int, base: int) -> bool:
    # 1% of the word's own count: a few typos must not make a word "own".
    return n >= max(5, base // 100)


def _is_own_noun(word: str) -> bool:
    """The word takes the article, so it is a base and not a clitic form."""
    return _significant(_count("ال" + word), _count(word))


def _is_own_word(word: str) -> bool:
    """Evidence that a و/ف/ب/ك/ل-initial word carries no proclitic."""
    if _is_own_noun(word):
        return True
    # A conjunction never follows a conjunction, so وواصل proves واصل.
    if word[0] in "وف":
        n = _count("و" + word) + _count("ف" + word)
        return _significant(n, _count(word))
    return False


def _strip_article(word: str) -> str | None:
    """Remove ال and its prefixed forms (وال, بال, لل, وبال...) if safe."""
    for p in _ARTICLE:
        rest = word[len(p) :]
        if not word.startswith(p) or len(rest) < 3:
            continue
        if p.endswith("لل") and _family("ل" + rest) > _family(rest):
            continue  # للبنان is ل + لبنان, not لل + بنان
        if p == "ال" or _family(rest) >= MIN_COUNT or len(rest) >= 5:
            return rest
    return None


def _strip_proclitic(word: str) -> str | None:
    """Remove a conjunction (و ف) then a preposition (ب ك ل), one layer at a time.

    Each layer is stripped only if the word is not a word in its own right and
    the remainder beats the unstripped analysis (لجنته is لجنه+ه, not ل+جنته).
    """
    cur = word
    for letters in ("وف", "بكل"):
        if len(cur) < 4 or cur[0] not in letters or _is_own_word(cur):
            continue
        rest = cur[1:]
        fam = max(_family(rest), _family(_strip_suffixes(rest, definite=False)))
        whole = _strip_suffixes(cur, definite=False)
        if whole != cur and _is_own_word(whole):
            continue  # فكرته is فكره+ه (الفكره exists), not ف+كرته
        keep = _family(whole) if whole != cur else 0
        if fam >= MIN_COUNT and fam * 5 >= _count(cur) and fam > keep:
            cur = rest
    return cur if cur != word else None


def _strip_pronoun(word: str) -> str:
    """Remove a possessive/object pronoun; restore ة written as ت (حكومتها)."""
    if _is_own_noun(word):
        return word  # الدوله exists, so the ه of دوله is ة, not "his"
    for x in _PRONOUN:
        rest = word[: -len(x)]
        if not word.endswith(x) or len(rest) < 3:
            continue
        options = [rest] + ([rest[:-1] + "ه"] if rest.endswith("ت") else [])
        best = max(options, key=_family)
        if _family(best) >= max(MIN_COUNT, _count(word) // 2):
            return best
    return word


def _strip_plural(word: str) -> str:
    """Sound plurals and duals: ات→ه or bare, ون/ين/ان when a partner occurs."""
    if word.endswith("ات") and len(word) >= 4:
        rest = word[:-2]
        options = [rest + "ه"] + ([rest] if len(rest) >= 3 else [])
        best = max(options, key=_family)
        if _family(best) >= max(MIN_COUNT, _count(word) // 20):
            return best
    if word in _DECADES:
        return _DECADES[word]
    x, rest = word[-2:], word[:-2]
    if x not in _PLURAL or len(rest) < 3:
        return word
    # دولتين/دولتان: the ة of the singular is written ت before the suffix.
    best = max([rest] + ([rest[:-1] + "ه"] if rest.endswith("ت") else []), key=_family)
    if _family(best) >= MIN_COUNT and any(_family(rest + y) >= 2 for y in _PLURAL[x]):
        return best
    return word


def _strip_tanween(word: str) -> str:
    """Accusative ending ا (وزيرا→وزير) when the bare noun is far more common."""
    if word.endswith("ا") and len(word) >= 4 and not _is_own_noun(word):
        rest = word[:-1]
        if _count("ال" + rest) >= MIN_COUNT and _family(rest) >= 3 * _count(word):
            return rest
    return word


def _strip_nisba(word: str) -> str:
    """Feminine relative adjective -> masculine (السعوديه→سعودي), not قضيه→قضي."""
    if word.endswith("يه") and len(word) >= 5:
        masc = word[:-1]
        n = _count("ال" + masc)
        if n >= MIN_COUNT and n * 7 >= _count("ال" + word):
            return masc
    return word


def _strip_suffixes(word: str, definite: bool) -> str:
    """Pronoun (impossible after the article), then plural, then nisba."""
    if not definite:
        word = _strip_tanween(_strip_pronoun(word))
    return _strip_nisba(_strip_plural(word))


_stems: dict[str, str] | None = None


def precomputed_stems() -> dict[str, str]:
    """The shipped ``word -> stem`` table for lexicon words whose stem differs."""
    global _stems
    if _stems is None:
        ref = resources.files("khabar.arabic").joinpath("data/stems.tsv.gz")
        with ref.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
            _stems = dict(line.rstrip("\n").split("\t") for line in fh)
    return _stems


@lru_cache(maxsize=200_000)
def stem(token: str) -> str:
    """Stem a search-normalized token (see module doc); never returns ''."""
    if len(token) < 3 or not ("\u0621" <= token[0] <= "\u064a"):
        return token
    known = precomputed_stems().get(token)
    if known is not None:
        return known
    return token if token in lexicon() else compute_stem(token)


def compute_stem(token: str) -> str:
    """The stemming rules themselves (``stem`` adds the precomputed table and a cache)."""
    if len(token) < 3 or not ("\u0621" <= token[0] <= "\u064a"):
        return token
    word = _strip_article(token)
    if word is not None:
        return _strip_suffixes(word, definite=True)
    rest = _strip_proclitic(token)
    if rest is None:
        return _strip_suffixes(token, definite=False)
    word = _strip_article(rest)  # لالمانيا is ل + المانيا: treat like بالمانيا
    if word is not None:
        return _strip_suffixes(word, definite=True)
    return _strip_suffixes(rest, definite=False)
