"""Split a flattened keyword-tag line back into tags.

Aggregators often print their tag links as one space-joined line
("أخبار النيجر أسلحة ومعدات عسكرية إفريقيا ..."). We recover the tags in two
passes:

1. **Known tags first**: greedy longest match of the store's tags over the
   search-normalized words.
2. **Arabic phrase structure** on what is left, joining a word to the phrase
   before it when Arabic grammar binds them:

   * *idafa*: an indefinite common noun followed by a definite word
     (أخبار النيجر, وزارة الدفاع);
   * *adjective*: a nisba adjective agreeing in definiteness with the noun
     before it (الجيش الروسي, معدات عسكرية, الدفاع الروسية);
   * *و-coordination*: a word whose و is a conjunction (أسلحة ومعدات);
   * *transliteration*: Latin words after an Arabic word (غوغل Google).

"Common noun" and "adjective" are decided by corpus evidence from the stemmer's
lexicon: a word that takes the article is a common noun (proper names such as
إفريقيا or موسكو never do), and a nisba word is an adjective only when its
definite form is attested (so نيامي is not one).
"""

from __future__ import annotations

import re
from collections.abc import Collection

from khabar.arabic.normalize import normalize_display, normalize_search
from khabar.arabic.stemmer import lexicon, stem

_SEPARATORS = re.compile(r"\s*[،,|·•;؛#]\s*|\s+[-–—/]\s+")
_EDGE_PUNCT = re.compile(r"^[\W_]+|[\W_]+$")
_LATIN = re.compile(r"^[A-Za-z][A-Za-z0-9.'’&-]*$")
MIN_EVIDENCE = 5


def _count(word: str) -> int:
    return lexicon().get(word, 0)


def _is_latin(w: str) -> bool:
    return bool(_LATIN.match(w))


def _is_definite(w: str) -> bool:
    return len(w) >= 4 and (w.startswith("ال") or w.startswith("وال"))


def _is_common_noun(w: str) -> bool:
    """An indefinite word that is also seen with the article (not a proper name)."""
    if _is_latin(w) or _is_definite(w):
        return False
    return _count("ال" + w) >= max(3, _count(w) // 100)


def _is_conjunct(w: str) -> bool:
    """A word whose leading و is the conjunction (stemmer evidence), not a root letter."""
    return len(w) >= 4 and w.startswith("و") and (w.startswith("وال") or not stem(w).startswith("و"))


def _is_adjective(w: str) -> bool:
    """A nisba adjective (…ي / …ية) whose definite form is attested."""
    bare = w[2:] if _is_definite(w) else w
    if len(bare) < 3 or not bare.endswith(("ي", "يه")):
        return False
    return _count("ال" + bare) >= MIN_EVIDENCE


def _base(w: str) -> str:
    """The word without a conjunction و (ومعدات -> معدات), for noun tests."""
    return w[1:] if _is_conjunct(w) else w


def _feminine(w: str) -> bool:
    return w.endswith(("ه", "ات"))


def _agrees(adj: str, phrase: list[str]) -> bool:
    """Definiteness agrees with the last word; a masculine adjective needs a masculine noun
    (feminine adjectives also follow broken plurals, so they always pass)."""
    last = _base(phrase[-1])
    if _is_definite(adj) != _is_definite(last) or not (_is_definite(last) or _is_common_noun(last)):
        return False
    return _feminine(adj) or not _feminine(phrase[0]) or not _feminine(last)


def _binds(phrase: list[str], w: str) -> bool:
    """Does normalized word ``w`` continue the phrase (list of normalized words)?"""
    last = _base(phrase[-1])
    if _is_latin(w):
        return not _is_latin(phrase[0]) and len(phrase) == 1 or _is_latin(last)
    if _is_latin(last):
        return False
    if _is_conjunct(w):
        return True
    if _is_adjective(w) and _agrees(w, phrase):
        return True
    # idafa: only the head (or a coordinated head) is indefinite; an attached adjective is not a head
    return _is_definite(w) and _is_common_noun(last) and not _is_adjective(last)


def _phrase_split(words: list[str]) -> list[list[int]]:
    """Group word indexes into phrases by the structure rules (module doc)."""
    norm = [normalize_search(w) for w in words]
    groups: list[list[int]] = []
    for i, w in enumerate(norm):
        if groups and _binds([norm[j] for j in groups[-1]], w):
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def _known_index(known: Collection[str]) -> dict[tuple[str, ...], str]:
    index: dict[tuple[str, ...], str] = {}
    for tag in known:
        key = tuple(normalize_search(_EDGE_PUNCT.sub("", w)) for w in tag.split())
        if key:
            index.setdefault(key, normalize_display(tag).strip())
    return index


def split_tag_line(line: str, known_tags: Collection[str] = ()) -> list[str]:
    """Tags in a flattened tag line, in order (see module doc)."""
    line = normalize_display(line).strip()
    if _SEPARATORS.search(line):
        parts = (p.strip() for p in _SEPARATORS.split(line))
        return [p for p in parts if _EDGE_PUNCT.sub("", p)]
    words = [w for w in (_EDGE_PUNCT.sub("", w) for w in line.split()) if w]
    norm = [normalize_search(w) for w in words]
    index = _known_index(known_tags)
    longest = max((len(k) for k in index), default=0)
    tags: list[str] = []
    pending: list[str] = []
    i = 0
    while i < len(words):
        hit = next(
            (n for n in range(min(longest, len(words) - i), 0, -1) if tuple(norm[i : i + n]) in index),
            0,
        )
        if not hit:
            pending.append(words[i])
            i += 1
            continue
        tags.extend(_flush(pending))
        pending = []
        tags.append(index[tuple(norm[i : i + hit])])
        i += hit
    return tags + _flush(pending)


def _flush(words: list[str]) -> list[str]:
    return [" ".join(words[j] for j in g) for g in _phrase_split(words)] if words else []
