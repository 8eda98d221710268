"""Jinja2 filters for Arabic dates, numbers and counted nouns.

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


# Counted nouns: (singular, "one" word, dual, plural for 3-10, accusative singular for 11-99).
NOUNS = {
    "article": ("خبر", "واحد", "خبران", "أخبار", "خبراً"),
    "outlet": ("مصدر", "واحد", "مصدران", "مصادر", "مصدراً"),
    "hour": ("ساعة", "واحدة", "ساعتين", "ساعات", "ساعة"),  # (dual in the genitive: "في آخر ساعتين")
}


def counted(value: int | None, noun: str) -> str:
    """A count with its noun as Arabic grammar has it: 'خبر واحد', 'خبران', '6 أخبار', '12 خبراً',
    '100 خبر' (the last two digits decide: 3-10 plural, 11-99 accusative singular, else singular)."""
    one, one_word, two, few, many = NOUNS[noun]
    n = value or 0
    if n == 1:
        return f"{one} {one_word}"
    if n == 2:
        return two
    rest = n % 100
    form = few if 3 <= rest <= 10 else many if rest >= 11 else one
    return f"{number(n)} {form}"


def register_filters(env: Environment) -> None:
    """Make the filters available to every template."""
    env.filters["arabic_date"] = arabic_date
    env.filters["arabic_day"] = arabic_day
    env.filters["digits"] = western_digits
    env.filters["number"] = number
    env.filters["counted"] = counted
