"""Republished variants of a real article, made by the edits wire copy really undergoes."""

from __future__ import annotations

import random

from khabar.arabic import split_sentences

CITIES = ["الرياض", "جدة", "الدمام", "مكة المكرمة", "أبها", "القاهرة", "دبي", "بيروت"]
AGENCIES = ["(واس)", "- واس", "(رويترز)", "- أ ف ب", "(د ب أ)"]
BYLINES = ["محرر الشؤون المحلية", "متابعات", "خاص", "وكالات", "فريق التحرير"]
HARAKAT = ["\u064e", "\u064f", "\u0650", "\u0651", "\u0652"]
PUNCT = {"،": ",", ".": "۔", ":": "؛", '"': "«", "(": "[", ")": "]"}


def drop_first_line(body: str, rng: random.Random, other: str) -> str | None:
    sents = split_sentences(body)
    return " ".join(sents[1:]) if len(sents) >= 3 else None


def change_first_line(body: str, rng: random.Random, other: str) -> str | None:
    sents, lead = split_sentences(body), split_sentences(other)
    return " ".join(lead[:1] + sents[1:]) if len(sents) >= 3 and lead else None


def dateline_byline(body: str, rng: random.Random, other: str) -> str:
    return f"{rng.choice(CITIES)} {rng.choice(AGENCIES)}: {body}\n{rng.choice(BYLINES)}"


def trim_end(body: str, rng: random.Random, other: str) -> str:
    words = body.split()
    return " ".join(words[: max(30, int(len(words) * rng.uniform(0.4, 0.8)))])


def punct_harakat(body: str, rng: random.Random, other: str) -> str:
    out = []
    for w in body.split():
        w = "".join(PUNCT.get(c, c) for c in w)
        if len(w) > 2 and rng.random() < 0.25:
            w = w[0] + rng.choice(HARAKAT) + w[1:]
        if len(w) > 3 and rng.random() < 0.05:
            w = w[:2] + "\u0640" + w[2:]  # tatweel
        out.append(w)
    return "  ".join(out) if rng.random() < 0.5 else " ".join(out)


def excerpt(body: str, rng: random.Random, other: str) -> str | None:
    """A short version inside the long one: a middle third of the article."""
    words = body.split()
    if len(words) < 150:
        return None
    n = len(words) // 3
    start = rng.randrange(n // 2, len(words) - n)
    return " ".join(words[start : start + n])


def combo(body: str, rng: random.Random, other: str) -> str | None:
    """Dateline, punctuation/harakat and a trimmed ending together (the headline is new too)."""
    return dateline_byline(punct_harakat(trim_end(body, rng, other), rng, other), rng, other)


def new_headline(body: str, rng: random.Random, other: str) -> str:
    """Same body under a new headline: the body decides, so this must stay a copy."""
    return body


EDITS = {
    "drop_first_line": drop_first_line,
    "change_first_line": change_first_line,
    "dateline_byline": dateline_byline,
    "trim_end": trim_end,
    "punct_harakat": punct_harakat,
    "excerpt": excerpt,
    "new_headline": new_headline,
    "combo": combo,
}
