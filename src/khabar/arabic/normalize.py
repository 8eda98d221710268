"""Arabic normalization at two levels.

*Display* normalization keeps the text as a reader expects it but removes what
only gets in the way (tatweel, bidi and zero-width controls, presentation
forms). *Search* normalization additionally folds the letter variants and
diacritics that writers use inconsistently, so that index and query meet.
"""

from __future__ import annotations

import re
import unicodedata

TATWEEL = "\u0640"
# Bidi embeddings/overrides/isolates, zero-width chars, BOM, soft hyphen.
_CONTROLS = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
# Harakat, Quranic marks, superscript alef.
_HARAKAT = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")

# Persian keheh/yeh forms that presentation forms and Persian keyboards produce in Arabic text.
_DISPLAY_FOLD = str.maketrans({"ک": "ك", "ی": "ي"})
_SEARCH_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + d): str(d) for d in range(10)},  # Persian digits
        "٫": ".",
        "٬": ",",
    }
)


def _has_presentation_forms(text: str) -> bool:
    return any("\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufeff" for ch in text)


def normalize_display(text: str) -> str:
    """Clean text for display: presentation forms → letters (ﻻ→لا), no tatweel,
    no bidi/zero-width controls, runs of spaces collapsed. Line breaks are kept."""
    if _has_presentation_forms(text):
        text = "".join(
            unicodedata.normalize("NFKC", ch)
            if "\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufefe"
            else ch
            for ch in text
        )
    text = _CONTROLS.sub("", text.replace(TATWEEL, "")).translate(_DISPLAY_FOLD)
    return _SPACES.sub(" ", text)


def strip_harakat(text: str) -> str:
    """Remove short vowels, shadda, sukun, tanween and Quranic marks."""
    return _HARAKAT.sub("", text)


def normalize_search(text: str) -> str:
    """Fold text for matching: display normalization, harakat removed,
    أ إ آ ٱ→ا, ى→ي, ة→ه, Arabic-Indic/Persian digits→ASCII, lower-case Latin."""
    return strip_harakat(normalize_display(text)).translate(_SEARCH_FOLD).lower()
