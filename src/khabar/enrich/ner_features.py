"""Token features for the CRF named-entity tagger.

Arabic writes no capitals and glues clitics to names (وبموسكو, لألمانيا), so
the features expose what a reader uses instead: the clitic-free core and its
stem, the article ال, affixes, word clusters learned from unlabeled news,
gazetteer membership of the core, and the words around each token (trigger
words such as الرئيس / وزير / مدينة usually precede a name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from khabar.arabic import normalize_word, stem

_PROCLITICS = ("وب", "ول", "وك", "فب", "فل", "و", "ف", "ب", "ل", "ك")
_ARTICLE = ("ال", "لل")
_ARABIC = re.compile("^[\u0621-\u064a]+$")
_LATIN = re.compile("^[A-Za-z]+$")
_DIGIT = re.compile(r"^[0-9.,%]+$")


@dataclass
class Resources:
    """Look-up tables the features read: gazetteers (type → normalized names) and clusters."""

    gazetteers: dict[str, set[str]] = field(default_factory=dict)
    clusters: dict[str, tuple[int, int]] = field(default_factory=dict)
    # word -> (info, own features, neighbour features by offset): context-free, so computed once
    memo: dict[str, tuple] = field(default_factory=dict, repr=False, compare=False)


def strip_clitics(word: str) -> tuple[str, str]:
    """Split a search-normalized word into (proclitics incl. ال, core): والمغرب → (وال, مغرب).

    A prefix is only removed when at least 3 letters remain, so short names survive."""
    prefix = ""
    for p in _PROCLITICS:
        if word.startswith(p) and len(word) - len(p) >= 3:
            prefix, word = p, word[len(p):]
            break
    for a in _ARTICLE:
        if word.startswith(a) and len(word) - len(a) >= 2:
            return prefix + a, word[len(a):]
    return prefix, word


def _shape(word: str) -> str:
    if _ARABIC.match(word):
        return "ar"
    if _LATIN.match(word):
        return "Lat" if word[:1].isupper() else "lat"
    if _DIGIT.match(word):
        return "num"
    return "punct" if not any(ch.isalnum() for ch in word) else "mix"


def _gaz_hits(n: str, core: str, prefix: str, res: Resources) -> list[str]:
    """Gazetteer types containing the word, its core or the core with ال."""
    hits = []
    forms = {n, core, "ال" + core} if prefix else {n}
    for kind, names in res.gazetteers.items():
        if forms & names:
            hits.append(kind)
    return hits


def token_info(word: str, res: Resources) -> dict[str, object]:
    """Per-token attributes shared by the token's own and its neighbours' features."""
    n = normalize_word(word)
    prefix, core = strip_clitics(n)
    cluster = res.clusters.get(n) or res.clusters.get(core) or res.clusters.get("ال" + core)
    return {
        "n": n,
        "core": core,
        "stem": stem(n) if _ARABIC.match(n) else n,
        "prefix": prefix,
        "shape": _shape(n),
        "c64": str(cluster[0]) if cluster else "none",
        "c512": str(cluster[1]) if cluster else "none",
        "gaz": _gaz_hits(n, core, prefix, res),
    }


def _own_features(info: dict, word: str) -> dict[str, object]:
    n, core = str(info["n"]), str(info["core"])
    feats: dict[str, object] = {
        "bias": 1.0,
        "n": n,
        "core": core,
        "stem": info["stem"],
        "prefix": info["prefix"],
        "has_al": str(info["prefix"]).endswith(("ال", "لل")),
        "shape": info["shape"],
        "len": min(len(core), 8),
        "c64": info["c64"],
        "c512": info["c512"],
        "raw_hamza": word[:1] in "أإآ",  # writers keep the hamza mostly on names/verbs
    }
    for k in (1, 2, 3):
        feats[f"pre{k}"] = core[:k]
        feats[f"suf{k}"] = core[-k:]
        feats[f"npre{k}"] = n[:k]
    for kind in info["gaz"]:  # type: ignore[union-attr]
        feats[f"gaz_{kind}"] = True
    return feats


def _neighbour_features(info: dict, off: int) -> dict[str, object]:
    feats: dict[str, object] = {
        f"{off}:n": info["n"],
        f"{off}:core": info["core"],
        f"{off}:c64": info["c64"],
        f"{off}:c512": info["c512"],
        f"{off}:shape": info["shape"],
    }
    if abs(off) == 1:
        feats[f"{off}:stem"] = info["stem"]
        feats[f"{off}:suf2"] = str(info["core"])[-2:]
        feats[f"{off}:has_al"] = str(info["prefix"]).endswith(("ال", "لل"))
    for kind in info["gaz"]:
        feats[f"{off}:gaz_{kind}"] = True
    return feats


def _bigram_gaz(infos: list[dict], i: int, res: Resources) -> dict[str, object]:
    """Multi-word gazetteer entries (الشرق الاوسط, الامم المتحده) spanning this token."""
    feats: dict[str, object] = {}
    for lo in (i - 1, i):
        if lo < 0 or lo + 1 >= len(infos):
            continue
        pair = f"{infos[lo]['n']} {infos[lo + 1]['n']}"
        core_pair = f"{infos[lo]['core']} {infos[lo + 1]['n']}"
        for kind, names in res.gazetteers.items():
            if pair in names or core_pair in names:
                feats[f"gaz2_{kind}_{'B' if lo == i else 'I'}"] = True
    return feats


OFFSETS = (-2, -1, 1, 2)
_QUOTES = {'"': '"', "«": "»", "“": "”", "'": "'", "(": ")"}
_QUOTED_MAX = 8  # longer quoted runs are speech, not a title or a name


def _quoted(tokens: list[str]) -> list[dict[str, object]]:
    """Position inside a short run between quotes or brackets: titles of books and films (MISC)
    and company names (ORG) are quoted, Latin names of organisations are bracketed."""
    out: list[dict[str, object]] = [{} for _ in tokens]
    i = 0
    while i < len(tokens):
        close = _QUOTES.get(tokens[i])
        end = next((j for j in range(i + 1, min(len(tokens), i + _QUOTED_MAX + 2)) if tokens[j] == close), None)
        if close and end is not None:
            kind = "par" if tokens[i] == "(" else "quo"
            for k in range(i + 1, end):
                out[k][f"in_{kind}"] = True
            if end > i + 1:
                out[i + 1].update({f"{kind}_first": True, f"{kind}_len": str(min(end - i - 1, 5))})
                out[end - 1][f"{kind}_last"] = True
            i = end
        i += 1
    return out


def word_features(word: str, res: Resources) -> tuple[dict, dict[str, object], dict[int, dict[str, object]]]:
    """(info, the word's own features, its features as the neighbour at each offset), memoized:
    none of them depends on the sentence. Do not modify the returned dicts."""
    cached = res.memo.get(word)
    if cached is None:
        if len(res.memo) > 200_000:
            res.memo.clear()
        info = token_info(word, res)
        neighbours = {off: _neighbour_features(info, off) for off in OFFSETS}
        cached = res.memo[word] = (info, _own_features(info, word), neighbours)
    return cached


def context_features(tokens: list[str], res: Resources) -> list[dict[str, object]]:
    """The features of each token that depend on the sentence around it rather than on single
    words: multi-word gazetteer entries, quotes and brackets, sentence edges."""
    infos = [word_features(t, res)[0] for t in tokens]
    out = _quoted(tokens)
    for i, feats in enumerate(out):
        feats.update(_bigram_gaz(infos, i, res))
        for off in OFFSETS:
            if not 0 <= i + off < len(tokens):
                feats[f"{off}:pad"] = True
        if i == 0:
            feats["BOS"] = True
    return out


def sentence_features(tokens: list[str], res: Resources) -> list[dict[str, object]]:
    """CRF feature dicts for every token of one sentence: its own word features, the neighbour
    features of the words at each offset and :func:`context_features` (their keys never clash)."""
    words = [word_features(t, res) for t in tokens]
    out = []
    for i, context in enumerate(context_features(tokens, res)):
        feats = dict(words[i][1])
        for off in OFFSETS:
            if 0 <= i + off < len(tokens):
                feats.update(words[i + off][2][off])
        feats.update(context)
        out.append(feats)
    return out


def plain_features(tokens: list[str], res: Resources) -> list[dict[str, object]]:
    """Baseline features: word, shape, affixes and gazetteer flags only (no stems,
    clitic analysis, clusters or context)."""
    out = []
    for word in tokens:
        n = normalize_word(word)
        feats: dict[str, object] = {"bias": 1.0, "n": n, "shape": _shape(n)}
        for k in (1, 2, 3):
            feats[f"pre{k}"], feats[f"suf{k}"] = n[:k], n[-k:]
        for kind, names in res.gazetteers.items():
            if n in names:
                feats[f"gaz_{kind}"] = True
        out.append(feats)
    return out
