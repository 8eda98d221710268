"""The template filters: Arabic dates, Western digits, numbers, counted nouns."""

from __future__ import annotations

from markupsafe import Markup

from khabar.web.filters import arabic_date, arabic_day, counted, number, western_digits


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


def test_counted_nouns_follow_arabic_number_agreement() -> None:
    """The last two digits decide the noun: 3-10 plural, 11-99 accusative singular, 0-2 after hundreds
    the singular; one and two are the noun alone (with واحد) and its dual."""
    forms = {1: "خبر واحد", 2: "خبران", 3: "3 أخبار", 10: "10 أخبار", 11: "11 خبراً", 99: "99 خبراً",
             100: "100 خبر", 102: "102 خبر", 103: "103 أخبار", 111: "111 خبراً", 2095: "2,095 خبراً"}
    assert {n: counted(n, "article") for n in forms} == forms
    assert [counted(n, "outlet") for n in (1, 2, 5, 14)] == ["مصدر واحد", "مصدران", "5 مصادر", "14 مصدراً"]
    assert [counted(n, "hour") for n in (1, 2, 5, 48)] == ["ساعة واحدة", "ساعتين", "5 ساعات", "48 ساعة"]
