"""Arabic date parsing and finding a page's publication date.

Handles what generic parsers get wrong on Arabic pages (htmldate read
"15 مارس 2024" as 2024-01-01; dateparser returns nothing for "15 آذار 2024"):

* Gregorian months in every naming system and spelling (يناير, كانون الثاني,
  جانفي, يوليوز ...), also written doubled ("نيسان / أبريل");
* Arabic-Indic and Persian digits (folded by ``normalize_search``);
* Hijri dates ("5 رمضان 1445 هـ"), converted with ``hijridate``;
* relative dates ("منذ 3 ساعات", "منذ ساعتين", "أمس") against ``now``;
* ISO 8601 and numeric d/m/y (m/d/y only when the day exceeds 12).

Month names are data: ``rules/months.tsv``.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import lru_cache
from importlib.resources import files

from khabar.arabic.normalize import normalize_search

_NUMBER_WORDS = {
    "واحد": 1, "واحده": 1, "ثلاث": 3, "ثلاثه": 3, "اربع": 4, "اربعه": 4, "خمس": 5, "خمسه": 5,
    "ست": 6, "سته": 6, "سبع": 7, "سبعه": 7, "ثماني": 8, "ثمان": 8, "ثمانيه": 8, "تسع": 9,
    "تسعه": 9, "عشر": 10, "عشره": 10,
}  # fmt: skip
# Unit forms (search-normalized) -> (seconds, count implied by the form: dual = 2).
_UNITS = {
    "ثانيه": (1, 1), "ثواني": (1, 0), "ثانيتين": (1, 2),
    "دقيقه": (60, 1), "دقائق": (60, 0), "دقيقتين": (60, 2),
    "ساعه": (3600, 1), "ساعات": (3600, 0), "ساعتين": (3600, 2),
    "يوم": (86400, 1), "ايام": (86400, 0), "يومين": (86400, 2),
    "اسبوع": (604800, 1), "اسابيع": (604800, 0), "اسبوعين": (604800, 2),
    "شهر": (2592000, 1), "اشهر": (2592000, 0), "شهور": (2592000, 0), "شهرين": (2592000, 2),
}  # fmt: skip
_PM = {"م", "مساء", "مساءا", "ظهرا", "pm"}
_AM = {"ص", "صباحا", "فجرا", "am"}
_TIME = (
    r"(?:\s*[-–,،]?\s*(?:الساعه\s*)?(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?"
    r"(?:\s*(?P<ampm>مساءا|مساء|صباحا|ظهرا|فجرا|am|pm|ص|م)(?!\w))?)?"
)
_ISO = re.compile(
    r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(z|[+-]\d{2}:?\d{2})?)?(?!\d)"
)
_NUMERIC = re.compile(r"(?<![\d/.-])(\d{1,4})[/.](\d{1,2})[/.](\d{1,4})(?![\d/.-])" + _TIME)


@lru_cache(maxsize=1)
def _months() -> dict[str, tuple[str, int]]:
    """Search-normalized month name -> (calendar, month number), from rules/months.tsv."""
    text = files("khabar.ingest").joinpath("rules/months.tsv").read_text("utf-8")
    out: dict[str, tuple[str, int]] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            cal, num, name = line.split("\t")[:3]
            out[normalize_search(name)] = (cal, int(num))
    return out


@lru_cache(maxsize=1)
def _named_pattern() -> re.Pattern[str]:
    """``day month [/ month] year [هـ|م] [time]`` over search-normalized text."""
    names = sorted(_months(), key=len, reverse=True)
    alt = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names)
    return re.compile(
        rf"(?<!\d)(?P<d>\d{{1,2}})\s*[-/]?\s*(?P<m1>{alt})(?!\w)"
        rf"(?:\s*[/(-]\s*(?P<m2>{alt})\s*\)?)?\s*[-/,،]?\s*(?P<y>\d{{4}})(?!\d)"
        rf"(?:\s*(?P<era>هـ|ه|م)(?!\w))?" + _TIME
    )


_RELATIVE = re.compile(r"(?:منذ|قبل)\s+(?:(?P<n>\d+|[\u0621-\u064a]+)\s+)?(?P<unit>[\u0621-\u064a]+)")


def _clock(m: re.Match[str], base: datetime) -> datetime:
    """Apply the optional time groups of a match (12-hour markers included)."""
    if not m.group("H"):
        return base
    hour, minute = int(m.group("H")), int(m.group("M"))
    ampm = m.group("ampm") or ""
    if ampm in _PM and hour < 12:
        hour += 12
    elif ampm in _AM and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return base
    return base.replace(hour=hour, minute=minute, second=int(m.group("S") or 0))


def _from_named(m: re.Match[str]) -> datetime | None:
    """Build a datetime from a named-month match; Hijri dates become Gregorian."""
    cal, month = _months()[re.sub(r"\s+", " ", m.group("m1"))]
    day, year = int(m.group("d")), int(m.group("y"))
    try:
        if cal == "hijri" or (m.group("era") in ("هـ", "ه") and year < 1600):
            from hijridate import Hijri

            g = Hijri(year, month, day).to_gregorian()
            base = datetime(g.year, g.month, g.day)
        else:
            base = datetime(year, month, day)
    except (ValueError, OverflowError):
        return None
    return _clock(m, base)


def _from_iso(m: re.Match[str]) -> datetime | None:
    y, mo, d, hh, mm, ss, tz = m.groups()
    text = f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"
    if hh:
        text += f"T{hh}:{mm}:{ss or '00'}"
        if tz:
            text += "+00:00" if tz == "z" else (tz if ":" in tz else f"{tz[:3]}:{tz[3:]}")
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _from_numeric(m: re.Match[str]) -> datetime | None:
    """d/m/y (the Arabic order), y/m/d, or m/d/y when the middle number exceeds 12."""
    a, b, c = (int(x) for x in m.group(1, 2, 3))
    if a > 31:
        year, month, day = a, b, c
    elif c > 31:
        year, day, month = c, a, b
        if month > 12 >= day:
            day, month = month, day
    else:
        return None
    try:
        return _clock(m, datetime(year, month, day))
    except ValueError:
        return None


def _relative(text: str, now: datetime) -> datetime | None:
    """ "منذ 3 ساعات", "منذ ساعتين", "قبل يومين", "أمس" relative to ``now``."""
    for m in _RELATIVE.finditer(text):
        unit = _UNITS.get(m.group("unit"))
        if unit is None:
            continue
        seconds, implied = unit
        raw = m.group("n")
        count = int(raw) if raw and raw.isdigit() else _NUMBER_WORDS.get(raw or "", implied or 1)
        return now - timedelta(seconds=seconds * count)
    if re.search(r"(?<!\w)(امس|البارحه)(?!\w)", text):
        return (now - timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return None


def parse_arabic_date(text: str, now: datetime | None = None, relative: bool = True) -> datetime | None:
    """The first date written in ``text`` (Arabic or ISO/numeric), or None.

    Absolute forms win over relative ones; relative forms ("منذ 3 ساعات") are
    read against ``now`` (the fetch time; default: the current time) unless
    ``relative`` is False. Offsets in ISO strings are kept.
    """
    norm = normalize_search(text)
    found = [
        (m.start(), conv(m))
        for pattern, conv in ((_ISO, _from_iso), (_named_pattern(), _from_named), (_NUMERIC, _from_numeric))
        for m in pattern.finditer(norm)
    ]
    found = [(pos, d) for pos, d in found if d is not None and 1900 < d.year < 2200]
    if found:
        return min(found, key=lambda x: x[0])[1]
    return _relative(norm, now or datetime.now()) if relative else None


def find_dates(text: str) -> list[datetime]:
    """All absolute Arabic named-month dates in running text, in order."""
    norm = normalize_search(text)
    return [d for m in _named_pattern().finditer(norm) if (d := _from_named(m)) is not None]
