"""Stable section ids and their Arabic display names."""

from __future__ import annotations

SECTIONS: dict[str, str] = {
    "international": "دولي",
    "middle_east": "الشرق الأوسط",
    "economy": "اقتصاد",
    "sport": "رياضة",
    "technology": "تكنولوجيا",
    "culture": "ثقافة وفنون",
}


def section_name(section_id: str) -> str:
    """Arabic name of a section id (the id itself when unknown)."""
    return SECTIONS.get(section_id, section_id)
