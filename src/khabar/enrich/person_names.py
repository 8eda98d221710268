"""One person, one entity: a report names someone in full once and by surname after (مايك بومبيو …
بومبيو), and the NER step (with its document-level consistency pass) finds both forms. Listing both
as entities and tags shows an editor the same person twice, so the short form folds into the full
name it ends when exactly one such name is in the article.

Not folded: a short form after a nasab word (سلمان in محمد بن سلمان names the father), a surname
that two full names in the article share (جورج بوش, جيب بوش), and into a "full name" whose other
words are a name found on their own: that is two names the tagger ran together (نتنياهو بوتين).
"""

from __future__ import annotations

from collections.abc import Iterable

from khabar.enrich.canonical import canonical_tag, tag_key

NASAB = frozenset({"بن", "ابن", "بنت", "ابو", "ابي", "ال"})  # search-normalized (أبو → ابو)


def short_forms(names: Iterable[str]) -> dict[str, str]:
    """``{tag key of a short form: canonical full name}`` among one article's person names."""
    fulls = {tag_key(n): canonical_tag(n) for n in names}
    fulls.pop("", None)
    out: dict[str, str] = {}
    for key in fulls:
        words = key.split()
        longer = [full for other, full in fulls.items() if _ends_with(other.split(), words)]
        if len(longer) == 1 and not _glued(tag_key(longer[0]).split()[: -len(words)], fulls):
            out[key] = longer[0]
    return out


def _ends_with(full: list[str], short: list[str]) -> bool:
    n = len(short)
    return len(full) > n and full[-n:] == short and full[-n - 1] not in NASAB


def _glued(head: list[str], names: dict[str, str]) -> bool:
    """Whether the words before the surname hold a name of the article on its own."""
    return any(" ".join(head[i:j]) in names for i in range(len(head)) for j in range(i + 1, len(head) + 1))
