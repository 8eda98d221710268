"""Jinja2 filters for Arabic dates and numbers.

The site writes numbers in Western digits (0-9), as most Arabic news sites do;
``digits`` turns Arabic-Indic digits in article text into Western ones so that
a page never mixes the two.
"""

from __future__ import annotations

from datetime import datetime

from jinja2 import Environment
from markupsafe import Markup

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
_WESTERN = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def arabic_date(value: str | None) -> str:
    """'2018-02-18T17:35:43Z' → '18 فبراير 2018 - 17:35 بتوقيت غرينتش'."""
    if not value:
        return ""
    stamp = _parse(value)
    return f"{stamp.day} {MONTHS[stamp.month - 1]} {stamp.year} - {stamp:%H:%M} بتوقيت غرينتش"


def arabic_day(value: str | None) -> str:
    """'2018-02-18T17:35:43Z' → '18 فبراير 2018' (for lists)."""
    if not value:
        return ""
    stamp = _parse(value)
    return f"{stamp.day} {MONTHS[stamp.month - 1]} {stamp.year}"


def western_digits(value: str | None) -> str | Markup:
    """Arabic-Indic (and Persian) digits → 0-9; keeps markup safe if it was."""
    if value is None:
        return ""
    converted = str(value).translate(_WESTERN)
    return Markup(converted) if isinstance(value, Markup) else converted


def number(value: int | None) -> str:
    """12345 → '12,345'."""
    return f"{value or 0:,}"


def register_filters(env: Environment) -> None:
    """Make the filters available to every template."""
    env.filters["arabic_date"] = arabic_date
    env.filters["arabic_day"] = arabic_day
    env.filters["digits"] = western_digits
    env.filters["number"] = number
