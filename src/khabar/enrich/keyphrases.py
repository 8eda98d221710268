"""Keyword tags from Arabic phrase structure.

Candidates are the noun phrases of the text, found with the same grammar the
tag-line splitter uses (:mod:`khabar.ingest.tagsplit`): *idafa* chains
(أخبار النيجر, وزير خارجية النيجر), a noun and its agreeing adjectives
(الجيش الروسي, وزارة الدفاع الروسية) and single nouns or names. Phrases stop
at punctuation, stopwords, verbs and numbers. A candidate is every
contiguous part of a phrase up to ``MAX_WORDS`` words, identified by its
stem sequence so inflected and clitic forms count together.

Score = tf · mean IDF · position boost · length boost · entity boost
(· ``ONCE_FACTOR`` for a phrase met a single time outside the title), IDF from
a document-frequency table of ANT news (``data/df.tsv.gz``); a stem the table
lacks (a typo, a rare inflection) counts as seen in ``UNSEEN_DF`` documents
instead of getting the maximum IDF. The best candidates are canonicalized
(:mod:`khabar.enrich.canonical`); a phrase that only repeats a better one's
words is dropped, and a fuller phrase found later takes the place of the part
it contains (ترامب → دونالد ترامب), so a name and its longer form never both
appear. An entity of the headline is kept even below ``MIN_RELATIVE``.

Tuning (AKEC ids.txt, each change checked on its even and odd halves
separately): the IDF cap, ``ONCE_FACTOR``, the position and length boosts and
the fuller-phrase rule moved P@10 from 0.462 to 0.50 at ~6.5 tags/doc.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from khabar.arabic import iter_tokens, normalize_search, normalize_word, split_sentences, stem, strip_harakat
from khabar.enrich.canonical import aliases, canonical_tag, strip_proclitics, tag_key
from khabar.enrich.docfreq import idf
from khabar.enrich.wordclass import (
    EXTRA_STOP,
    adverbial,
    has_enclitic,
    is_stop,
    is_verb,
    name_like,
    nisba_country,
    word_ok,
)
from khabar.ingest import tagsplit
from khabar.model import Article

MAX_WORDS = 3
TF_POWER = 1.0  # tuned on AKEC train ids
TITLE_BOOST = 2.0  # words of the headline are what the article is about
LEAD_BOOST = 2.0  # extra weight fading over the first sentences (the topic is set early)
ENTITY_BOOST = 1.5
LENGTH_BOOST = {1: 1.0, 2: 4.0, 3: 4.5}  # crowds prefer phrases to their head words
MIN_RELATIVE = 0.35  # tags beyond the minimum must score this share of the best
ONCE_FACTOR = 0.5  # a phrase met once in the body only, and no entity: mostly noise
ABSORB = 3.0  # a fuller phrase replaces a chosen part whose tf is at most this times its own
_CHUNK = re.compile(r"[.،,:;؛\"«»“”()\[\]{}<>/|…!?؟\-–—]+")


@dataclass
class Candidate:
    """All occurrences of one stem sequence."""

    stems: tuple[str, ...]
    forms: dict[str, int] = field(default_factory=dict)
    tf: float = 0.0
    first: int = 10**9
    entity: bool = False
    headline: bool = False  # met in the title


def _binds(phrase: list[str], w: str) -> bool:
    """Phrase grammar: tagsplit's rules, minus و-coordination, plus idafa after a nisba noun and name runs."""
    if tagsplit._is_conjunct(w) or len(phrase) >= 4:
        return False
    last = phrase[-1]
    if tagsplit._is_definite(w) and not tagsplit._is_definite(last) and tagsplit._is_common_noun(last):
        return True  # وزير خارجية النيجر: خارجية heads a genitive here
    if name_like(w) and name_like(last) and all(map(name_like, phrase)):
        return True  # باكاري ياو سانجار
    return tagsplit._binds(phrase, w)


def phrases(text: str) -> Iterable[list[tuple[str, str]]]:
    """Noun phrases of a text as lists of (display word, normalized word)."""
    for chunk in _CHUNK.split(strip_harakat(text)):
        current: list[tuple[str, str]] = []
        for tok in iter_tokens(chunk):
            norm = normalize_word(tok.text)
            if not word_ok(tok) or is_stop(norm) or norm in EXTRA_STOP or adverbial(norm) \
                    or is_verb(norm) or has_enclitic(norm):
                if current:
                    yield current
                current = []
            elif current and _binds([n for _, n in current], norm):
                current.append((tok.text, norm))
            else:
                if current:
                    yield current
                current = [(tok.text, norm)]
        if current:
            yield current


def _spans(phrase: list[tuple[str, str]]) -> Iterable[list[tuple[str, str]]]:
    """Contiguous parts of a phrase; a name run (باكاري ياو سانجار) only as a whole."""
    if len(phrase) > 1 and all(name_like(n) for _, n in phrase):
        yield phrase[:MAX_WORDS]
        return
    for i in range(len(phrase)):
        for j in range(i + 1, min(len(phrase), i + MAX_WORDS) + 1):
            yield phrase[i:j]


def _target(span: list[tuple[str, str]]) -> tuple[tuple[str, ...], str, float]:
    """(stems, display form, weight factor) a span counts for; empty stems to skip it."""
    form = " ".join([strip_proclitics(span[0][0])] + [d for d, _ in span[1:]])
    if len(span) == 1 and tagsplit._is_adjective(span[0][1]):
        country = nisba_country(span[0][1])  # a lone adjective is no tag, but a hint of its country
        return (tuple(stem(normalize_word(w)) for w in country.split()), country, 0.5) if country else ((), "", 0)
    name = aliases().get(normalize_search(form))
    if name:  # روسيا الاتحادية counts for روسيا; a country is an entity
        return tuple(stem(normalize_word(w)) for w in name.split()), name, 1.0
    return tuple(stem(n) for _, n in span), form, 1.0


def collect(sentences: Sequence[tuple[str, float]]) -> dict[tuple[str, ...], Candidate]:
    """Candidates of weighted sentences, keyed by stem sequence."""
    cands: dict[tuple[str, ...], Candidate] = {}
    for idx, (sentence, weight) in enumerate(sentences):
        for phrase in phrases(sentence):
            for span in _spans(phrase):
                stems, form, factor = _target(span)
                if not stems or len(stems) == 1 and (len(stems[0]) < 3 or stems[0].isdigit()):
                    continue
                cand = cands.setdefault(stems, Candidate(stems))
                cand.forms[form] = cand.forms.get(form, 0) + 1
                cand.tf += weight * factor
                cand.entity = cand.entity or normalize_search(form) in aliases()
                cand.first = min(cand.first, idx)
                cand.headline = cand.headline or weight >= TITLE_BOOST
    return cands


def score(cand: Candidate) -> float:
    """Relevance of a candidate (module doc)."""
    mean_idf = sum(idf(s) for s in cand.stems) / len(cand.stems)
    position = 1.0 + LEAD_BOOST / (1.0 + cand.first / 3.0)
    boost = ENTITY_BOOST if cand.entity else ONCE_FACTOR if cand.tf <= 1.0 else 1.0
    return cand.tf**TF_POWER * mean_idf * position * LENGTH_BOOST.get(len(cand.stems), 1.7) * boost


def article_sentences(article: Article) -> list[tuple[str, float]]:
    """(sentence, weight) pairs: the title first with its boost, then the body."""
    out = [(s, TITLE_BOOST) for s in split_sentences(article.title)]
    paragraphs = article.paragraphs or ([article.lead] if article.lead else [])
    out += [(s, 1.0) for p in paragraphs for s in split_sentences(p)]
    return out


def _entity_text(entity) -> str:
    return entity["text"] if isinstance(entity, dict) else entity.text


def add_entities(cands: dict[tuple[str, ...], Candidate], entities: Iterable) -> None:
    """Mark candidates that are entities; entities the grammar missed become candidates."""
    for entity in entities:
        text = canonical_tag(_entity_text(entity))
        stems = tuple(stem(normalize_word(w)) for w in text.split())
        if not stems:
            continue
        cand = cands.get(stems)
        if cand is None:
            cand = cands[stems] = Candidate(stems, first=0)
            cand.tf = 1.0
        else:
            cand.tf += 0.0 if cand.entity else 0.5  # the tagger's confirmation counts once
        cand.entity = True
        cand.forms[text] = cand.forms.get(text, 0) + 2  # the tagger's span is the preferred form


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    n = len(shorter)
    return len(longer) > n and any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


def _is_name(cand: Candidate) -> bool:
    """Every word of the candidate's usual form is a name part (دونالد ترامب, بومبيو)."""
    form = max(cand.forms, key=cand.forms.get)
    return all(name_like(normalize_word(w)) for w in form.split())


def _absorbs(longer: Candidate, part: Candidate, ratio: float) -> bool:
    """``longer`` contains ``part`` and stands for it: the part is mostly met inside it,
    or both are names (ترامب in دونالد ترامب: one person, the fuller name is the tag)."""
    return _contains(longer.stems, part.stems) and (
        part.tf <= ratio * longer.tf or _is_name(longer) and _is_name(part))


def _redundant(cand: Candidate, chosen: list[Candidate]) -> bool:
    """A part whose mentions are mostly inside a chosen phrase (وزارة الدفاع in
    وزارة الدفاع الروسية) adds no page of its own."""
    return any(_absorbs(c, cand, 1.5) for c in chosen)


def select(cands: dict[tuple[str, ...], Candidate], k: tuple[int, int]) -> list[str]:
    """The best ``k[0]``..``k[1]`` canonical, de-duplicated tags."""
    ranked = sorted(cands.values(), key=lambda c: (-score(c), c.first))
    chosen: list[Candidate] = []
    tags: dict[str, str] = {}
    top = score(ranked[0]) if ranked else 0.0
    for cand in ranked:
        if len(tags) >= k[1]:
            break
        if len(tags) >= k[0] and score(cand) < MIN_RELATIVE * top and not (cand.entity and cand.headline):
            continue  # a country or name of the headline is a tag whatever its count
        display = canonical_tag(max(cand.forms, key=lambda f: (cand.forms[f], -len(f))))
        key = tag_key(display)
        if not key or key in tags or _redundant(cand, chosen):
            continue
        inner = [i for i, c in enumerate(chosen) if _absorbs(cand, c, ABSORB)]
        if inner:
            # ترامب chosen, دونالد ترامب now: the fuller form takes the first part's place
            items = list(tags.items())
            items[inner[0]] = (key, display)
            chosen[inner[0]] = cand
            for i in reversed(inner[1:]):
                del items[i], chosen[i]
            tags = dict(items)
            continue
        chosen.append(cand)
        tags[key] = display
    return list(tags.values())


def extract_tags(article: Article, entities: Iterable | None = None, k: tuple[int, int] = (5, 12)) -> list[str]:
    """5–12 keyword tags for an article: key noun phrases and entities, canonicalized."""
    cands = collect(article_sentences(article))
    if entities:
        add_entities(cands, entities)
    return select(cands, k)
