"""Terms the section classifier reads from an article (shared by training and inference).

Speed matters (≥1,000 articles/s on 2 cores), so the text is folded with a few
C-level ``str`` operations instead of the general ``normalize_search`` (whose
per-character checks dominate the cost on long bodies); the result is the
same for ordinary text, and only this model depends on it. Stems come from
``khabar.arabic.stem`` behind a local cache.
"""

from __future__ import annotations

import re

from khabar.arabic import stem
from khabar.model import Article

BODY_WORDS = 250  # the section is settled by the lead; the tail only costs time
BODY_CHARS = 2000  # cut before regex work: 250 Arabic words fit in ~1,700 characters
_DROP = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u0640\u200b-\u200f\u202a-\u202e]")
_WORD = re.compile("[\u0621-\u064a]+|[a-z]+|[0-9]+")
_FOLDS = (("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"), ("ى", "ي"), ("ة", "ه"))
_stems: dict[str, str] = {}


def fold(text: str) -> str:
    """Search-style folding: no harakat/tatweel/controls, alef/yeh/teh-marbuta folded, lower case."""
    text = _DROP.sub("", text)
    for a, b in _FOLDS:
        text = text.replace(a, b)
    return text.lower()


def _stems_of(words: list[str]) -> list[str]:
    out = list(map(_stems.get, words))  # one C-level pass; misses (None) are rare once warm
    if None in out:
        for i, s in enumerate(out):
            if s is None:
                w = words[i]
                out[i] = _stems[w] = stem(w) if len(_stems) < 500_000 else w
    return out


def title_chars(folded_title: str) -> list[str]:
    """Character 3- and 4-grams of the folded title under ``c:``: they catch the
    transliterated names and word forms the stemmer leaves apart (فيسبوك/فيس بوك)."""
    s = " " + " ".join(_WORD.findall(folded_title)) + " "
    return ["c:" + s[i : i + n] for n in (3, 4) for i in range(len(s) - n + 1)]


def author_terms(author: str) -> list[str]:
    """The byline's words under ``a:`` and the whole byline under ``a=``: bylines carry a
    dateline city (``القاهرة - ...``) or a desk (``البوابة العربية للأخبار التقنية``)."""
    words = _WORD.findall(fold(author))
    return ["a:" + w for w in words] + (["a=" + " ".join(words)] if words else [])


def article_parts(article: Article) -> tuple[list[str], list[str]]:
    """(terms, crossed): stemmed unigrams and bigrams of title + lead + body start, title
    unigrams again under ``t:`` (a headline word says more than a body word), title character
    n-grams, byline terms and ``src:`` the outlet; ``crossed`` are the terms that also count
    prefixed by the outlet (every occurrence of each is in ``terms`` too, so an outlet-prefixed
    term has the count of its plain term and inference can find it through the plain term's id)."""
    folded_title = fold(article.title)
    title = _stems_of(_WORD.findall(folded_title))
    # a lead filled in from the first paragraph (Article.cleaned) is not read twice: training
    # articles have no lead, so counting it again would score imported articles on other terms
    lead = "" if article.paragraphs and article.lead == article.paragraphs[0] else article.lead
    body_text = (lead + "\n" + "\n".join(article.paragraphs[:12]))[:BODY_CHARS]
    body = _stems_of(_WORD.findall(fold(body_text))[:BODY_WORDS])
    words = title + body
    terms = words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    terms += ["t:" + w for w in title]
    terms += title_chars(folded_title)
    if article.author:
        terms += author_terms(article.author)
    if not article.source:
        return terms, []
    terms.append("src:" + article.source)
    return terms, words


def article_terms(article: Article) -> list[str]:
    """All terms of :func:`article_parts` as training sees them: ``terms`` plus each crossed
    term prefixed by the outlet (outlets file the same kind of story under different sections,
    so a word's meaning for the section depends on who wrote it: AlArabiya files Gulf and Levant
    news under "arab-and-world" (international) where CNN would say middle_east)."""
    terms, crossed = article_parts(article)
    return terms + [f"{article.source}|{w}" for w in crossed]
