"""Human-readable terminal output for search results and articles."""

from __future__ import annotations

import html
import re

from rich.console import Console

from khabar.model import NamedEntity, SearchHit, StoredArticle
from khabar.storage.rows import to_utc_text

_MARK = re.compile(r"</?mark>")
# Entity groups in the order an editor reads them, with the type kept visible for scripts and greps.
ENTITY_GROUPS = {"PERS": "أشخاص", "LOC": "أماكن", "ORG": "مؤسسات", "MISC": "أخرى"}


def print_hits(hits: list[SearchHit]) -> None:
    console = Console(highlight=False)
    if not hits:
        console.print("no results")
    for n, hit in enumerate(hits, 1):
        a = hit.article.article
        console.print(f"[bold]{n}. {a.title}[/]  ({a.source}, {to_utc_text(a.published_at) or '?'})")
        snippet = html.unescape(_MARK.sub("", hit.snippet))
        console.print(f"   {snippet}", markup=False)
        console.print(f"   [dim]{a.url}[/]")


def print_article(stored: StoredArticle) -> None:
    console = Console(highlight=False)
    a = stored.article
    console.print(f"[bold]{a.title}[/]", markup=True)
    console.print(f"{a.source} · {to_utc_text(a.published_at) or ''} · {a.section}")
    for paragraph in a.paragraphs:
        console.print("\n" + paragraph, markup=False)
    for attribution in a.attributions:
        console.print(f"\nالمصدر: {attribution}", markup=False)
    if a.tags:
        console.print("\nكلمات دلالية: " + " · ".join(a.tags), markup=False)
    if a.entities:
        console.print("\nأسماء في الخبر:", markup=False)
        for line in entity_lines(a.entities):
            console.print("  " + line, markup=False)


def entity_lines(entities: list[NamedEntity]) -> list[str]:
    """One line per entity type, ``أشخاص (PERS): name · name``: known types first, names in stored order."""
    groups: dict[str, list[str]] = {kind: [] for kind in ENTITY_GROUPS}
    for e in entities:
        groups.setdefault(e.type, []).append(e.text)
    return [f"{ENTITY_GROUPS.get(kind, kind)} ({kind}): {' · '.join(names)}" for kind, names in groups.items() if names]
