"""Partial dates keep their precision and order sensibly."""

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paradiplomacy.model.dates import PartialDate, definitely_before, parse_optional
from paradiplomacy.model.eras import era_of


@pytest.mark.parametrize(
    ("text", "iso", "precision"),
    [
        ("1979", "1979", "year"),
        ("1979-5", "1979-05", "month"),
        ("2001/04/01", "2001-04-01", "day"),
        (1955, "1955", "year"),
    ],
)
def test_parse_keeps_precision(text, iso, precision):
    date = PartialDate.parse(text)
    assert date.iso == iso
    assert date.precision == precision


@pytest.mark.parametrize("text", ["2001-13", "2001-02-30", "79", "April 2001", "", "2001-04-01x"])
def test_impossible_dates_raise(text):
    with pytest.raises(ValueError):
        PartialDate.parse(text)


def test_bounds_and_order():
    year = PartialDate.parse("2000")
    assert year.earliest() == dt.date(2000, 1, 1)
    assert year.latest() == dt.date(2000, 12, 31)
    assert PartialDate.parse("2000-02").latest() == dt.date(2000, 2, 29)
    assert sorted([PartialDate.parse("2001-04"), PartialDate.parse("2001"), PartialDate.parse("1999")]) == [
        PartialDate.parse("1999"),
        PartialDate.parse("2001"),
        PartialDate.parse("2001-04"),
    ]


def test_definitely_before_respects_precision():
    assert definitely_before(PartialDate.parse("1990"), PartialDate.parse("1991-01-01"))
    assert not definitely_before(PartialDate.parse("1991"), PartialDate.parse("1991-06-01"))
    assert parse_optional("  ") is None


@given(st.dates(min_value=dt.date(1000, 1, 1)), st.sampled_from(["year", "month", "day"]))
def test_round_trip(date, precision):
    text = {"year": f"{date:%Y}", "month": f"{date:%Y-%m}", "day": date.isoformat()}[precision]
    parsed = PartialDate.parse(text)
    assert parsed.iso == text
    assert PartialDate.parse(parsed.iso) == parsed
    assert parsed.earliest() <= date <= parsed.latest()


@pytest.mark.parametrize(
    ("text", "iso", "precision"),
    [
        ("昭和40年11月8日", "1965-11-08", "day"),
        ("S40.11.8", "1965-11-08", "day"),
        ("s40.11.8", "1965-11-08", "day"),
        ("H7.4.1", "1995-04-01", "day"),
        ("R2.4.1", "2020-04-01", "day"),
        ("平成元年4月1日", "1989-04-01", "day"),
        ("令和元年", "2019", "year"),
        ("平成元年", "1989", "year"),
        ("平成元年1月", "1989-01", "month"),  # 平成 began on 8 January: the month overlaps it
        ("昭和64年1月7日", "1989-01-07", "day"),
        ("1995年4月1日", "1995-04-01", "day"),
        ("1995年4月", "1995-04", "month"),
        ("1995年", "1995", "year"),
        ("1995/4/1", "1995-04-01", "day"),
        ("1995.4.1", "1995-04-01", "day"),
        ("１９９５年４月１日", "1995-04-01", "day"),
        ("昭和４０年１１月８日", "1965-11-08", "day"),
        ("Ｈ７．４．１", "1995-04-01", "day"),
        ("平成 7年 4月 1日", "1995-04-01", "day"),
        ("H7.4", "1995-04", "month"),
        ("明治45年7月29日", "1912-07-29", "day"),
        ("大正元年7月30日", "1912-07-30", "day"),
        (1995.0, "1995", "year"),
        (dt.datetime(1995, 4, 1), "1995-04-01", "day"),
    ],
)
def test_era_and_japanese_forms(text, iso, precision):
    date = PartialDate.parse(text)
    assert (date.iso, date.precision) == (iso, precision)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("昭和70年", "昭和 has no year 70 (its years are 1-64)"),
        ("平成32年", "平成 has no year 32 (its years are 1-31)"),
        ("令和0年4月1日", "令和 has no year 0"),
        ("1995年2月30日", "1995-02-30 is not a day"),
        ("平成7年2月29日", "1995-02-29 is not a day"),
        ("1995年13月", "month out of range in '1995年13月' (months are 1-12)"),
        ("平成1年1月1日", "is before 平成 began (1989-01-08)"),
        ("令和元年4月30日", "is before 令和 began (2019-05-01)"),
        ("昭和64年2月", "is after 昭和 ended (1989-01-07)"),
        ("X7.4.1", "not a date"),
        ("2月30日", "not a date"),
        ("平成", "not a date"),
    ],
)
def test_impossible_era_dates_say_why(text, reason):
    with pytest.raises(ValueError, match=re.escape(reason)):
        PartialDate.parse(text)


def _era_forms(day: dt.date) -> list[str]:
    era = era_of(day)
    number = day.year - era.first.year + 1
    year = "元" if number == 1 else str(number)
    wide = str.maketrans("0123456789", "０１２３４５６７８９")
    return [
        f"{era.name}{year}年{day.month}月{day.day}日",
        f"{era.letter}{number}.{day.month}.{day.day}",
        f"{era.name}{number}年{day.month}月{day.day}日".translate(wide),
        f"{day.year}年{day.month}月{day.day}日",
    ]


@given(st.dates(min_value=dt.date(1868, 1, 1), max_value=dt.date(2150, 12, 31)))
def test_any_day_written_in_era_form_parses_back_to_itself(day):
    for text in _era_forms(day):
        assert PartialDate.parse(text) == PartialDate(day.year, day.month, day.day), text


@given(st.dates(min_value=dt.date(1868, 1, 1), max_value=dt.date(2150, 12, 31)))
def test_era_years_beyond_the_era_are_refused(day):
    era = era_of(day)
    if era.last_year is None:
        return
    with pytest.raises(ValueError, match="has no year"):
        PartialDate.parse(f"{era.name}{era.last_year + 1}年")
