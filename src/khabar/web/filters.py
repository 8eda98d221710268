"""Jinja2 filters for Arabic dates and numbers."""

from __future__ import annotations

from datetime import datetime

from jinja2 import Environment

MONTHS = (
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
)


def arabic_date(value: str | None) -> str:
    """'2018-02-18T17:35:43Z' → '18 فبراير 2018 17:35 (UTC)'."""
    if not value:
        return ""
    stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return f"{stamp.day} {MONTHS[stamp.month - 1]} {stamp.year} {stamp:%H:%M} (UTC)"


def register_filters(env: Environment) -> None:
    env.filters["arabic_date"] = arabic_date
