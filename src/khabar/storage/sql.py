"""SQL fragments shared by the backends (they differ only in placeholder style)."""

from __future__ import annotations

from typing import Any

from khabar.model import Filters
from khabar.storage.rows import to_utc_text

SELECT_ARTICLE = """
SELECT a.*, s.name AS source, c.url AS copy_of_url
FROM articles a
LEFT JOIN sources s ON s.id = a.source_id
LEFT JOIN articles c ON c.id = a.copy_of
"""

LATEST_ORDER = " ORDER BY a.published_at DESC NULLS LAST, a.id DESC"  # as the date indexes (migration 0005)


def filter_clauses(filters: Filters | None, ph: str = "?") -> tuple[list[str], list[Any]]:
    """WHERE clauses (over alias ``a``) and their parameters for :class:`Filters`."""
    if filters is None:
        return [], []
    clauses: list[str] = []
    params: list[Any] = []
    if filters.source:
        clauses.append(f"a.source_id = (SELECT id FROM sources WHERE name = {ph})")
        params.append(filters.source)
    if filters.section:
        clauses.append(f"a.section = {ph}")
        params.append(filters.section)
    if filters.tag:
        clauses.append(
            f"a.id IN (SELECT at.article_id FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE t.key = {ph})"
        )
        params.append(filters.tag)
    if filters.entity:
        clauses.append(f"a.id IN (SELECT ae.article_id FROM article_entities ae WHERE ae.key = {ph})")
        params.append(filters.entity)
    if filters.originals:
        clauses.append("a.copy_of IS NULL")
    if filters.since:
        clauses.append(f"a.published_at >= {ph}")
        params.append(to_utc_text(filters.since))
    if filters.until:
        clauses.append(f"a.published_at < {ph}")
        params.append(to_utc_text(filters.until))
    return clauses, params


def where(clauses: list[str]) -> str:
    return (" WHERE " + " AND ".join(clauses)) if clauses else ""
