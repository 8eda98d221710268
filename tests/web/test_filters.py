"""The template filters: Arabic dates, Western digits, numbers."""

from __future__ import annotations

from markupsafe import Markup

from khabar.web.filters import arabic_date, arabic_day, number, western_digits


def test_arabic_dates() -> None:
    assert arabic_date("2018-02-18T17:35:43Z") == "18 فبراير 2018 - 17:35 بتوقيت غرينتش"
    assert arabic_day("2018-05-09T00:17:00Z") == "9 مايو 2018"
    assert arabic_date(None) == arabic_day("") == ""


def test_western_digits_keep_markup_safe() -> None:
    assert western_digits("دمرت ١٢ مركبة و۳ دبابات") == "دمرت 12 مركبة و3 دبابات"
    marked = western_digits(Markup("<mark>وزير</mark> ٢٠١٨"))
    assert isinstance(marked, Markup) and marked == "<mark>وزير</mark> 2018"
    assert western_digits(None) == ""


def test_number() -> None:
    assert number(2095) == "2,095" and number(None) == "0"
