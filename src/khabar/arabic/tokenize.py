"""Tokens and sentences for Arabic news text."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Arabic letters including harakat/tatweel inside a word, so "الرُّوسِيَّة" stays one token.
_AR = "\u0621-\u063a\u0640-\u065f\u0670-\u06d3\u06d5-\u06ed\u06fa-\u06ff\ufb50-\ufdff\ufe70-\ufefc"
_DIGITS = "0-9\u0660-\u0669\u06f0-\u06f9"
_TOKEN = re.compile(
    rf"(?P<hashtag>#[{_AR}A-Za-z{_DIGITS}_]+)"
    rf"|(?P<number>[{_DIGITS}]+(?:[.,\u066b\u066c][{_DIGITS}]+)*%?)"
    rf"|(?P<arabic>[{_AR}]+)"
    r"|(?P<latin>[A-Za-z\u00c0-\u024f]+(?:['’][A-Za-z]+)?)"
)
# The same alternatives without groups, for the fast findall() path of tokenize().
_WORD = re.compile(re.sub(r"\(\?P<\w+>", "(?:", _TOKEN.pattern))
# A sentence ends at . ! ? ؟ … or a line break, but not at a dot between digits (3.5).
_SENT_END = re.compile(r"[.!?؟…]+(?=\s|$)|\n+")


@dataclass(frozen=True, slots=True)
class Token:
    """A token with its kind (arabic, latin, number, hashtag) and character span."""

    text: str
    kind: str
    start: int
    end: int


def iter_tokens(text: str):
    """Yield :class:`Token` objects for Arabic words, Latin words, numbers and hashtags."""
    for m in _TOKEN.finditer(text):
        yield Token(m.group(), m.lastgroup or "", m.start(), m.end())


def tokenize(text: str) -> list[str]:
    """Split text into word strings (punctuation dropped)."""
    return _WORD.findall(text)


def split_sentences(text: str) -> list[str]:
    """Split on sentence punctuation and line breaks, keeping the punctuation with
    its sentence; decimal points such as 3.5 never split."""
    out, start = [], 0
    for m in _SENT_END.finditer(text):
        piece = text[start : m.end()].strip()
        if piece:
            out.append(piece)
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out
