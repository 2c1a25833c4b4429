"""Partial dates keep their precision and order sensibly."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paradiplomacy.model.dates import PartialDate, definitely_before, parse_optional


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
