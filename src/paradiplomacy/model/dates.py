"""Partial dates that keep their precision: ``1979``, ``1979-05`` or ``1979-05-01``."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import total_ordering
from typing import Literal

from paradiplomacy.model.eras import ERAS, era_named, gregorian_year

Precision = Literal["year", "month", "day"]

_ISO = re.compile(r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?$")
_KANJI_YEAR = re.compile(r"^(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日)?)?$")
_ERA = re.compile(
    r"^(?P<era>"
    + "|".join(e.name for e in ERAS)
    + "|["
    + "".join(e.letter + e.letter.lower() for e in ERAS)
    + "])"
    r"\.?(?P<year>\d{1,3}|元)"
    r"(?:年(?:(?P<month>\d{1,2})月(?:(?P<day>\d{1,2})日)?)?"
    r"|(?:[-/.](?P<month2>\d{1,2})(?:[-/.](?P<day2>\d{1,2}))?)?)$"
)
_SPACES = re.compile(r"\s+")


@total_ordering
@dataclass(frozen=True)
class PartialDate:
    """A calendar date known to year, month or day precision.

    >>> PartialDate.parse("1979-5").iso
    '1979-05'
    >>> PartialDate.parse("2001-04-01").precision
    'day'
    >>> PartialDate.parse("1979") < PartialDate.parse("1979-05")
    True
    """

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, value: object) -> PartialDate:
        """Parse a string, int, ``date`` or ``PartialDate``; raise ``ValueError`` when impossible.

        Text may be ISO (``1995``, ``1995-04``, ``1995/4/1``, ``1995.4.1``), Japanese Gregorian
        (``1995年4月1日``, ``1995年4月``, ``1995年``) or a Japanese era date (``昭和40年11月8日``,
        ``平成元年``, ``S40.11.8``, ``H7.4.1``, ``R2.4.1``), in full-width digits too. The precision
        written is kept; a year its era does not have, a day before its era began or after it ended
        and a day the calendar does not have are refused, saying why.

        >>> PartialDate.parse("昭和40年11月8日").iso, PartialDate.parse("Ｈ７．４").iso
        ('1965-11-08', '1995-04')
        """
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, dt.datetime):
            return cls(value.year, value.month, value.day)
        if isinstance(value, dt.date):
            return cls(value.year, value.month, value.day)
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a spreadsheet's year cell (1995.0)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise ValueError(f"not a date: {value!r}")
        text = _SPACES.sub("", unicodedata.normalize("NFKC", value))
        if match := _ISO.match(text) or _KANJI_YEAR.match(text):
            year, month, day = (int(g) if g else None for g in match.groups())
            assert year is not None
            return cls._checked(year, month, day, value)
        if match := _ERA.match(text):
            return cls._era(match, value)
        raise ValueError(
            f"not a date: {value!r} (expected YYYY, YYYY-MM, YYYY-MM-DD, 1995年4月1日 or an era date "
            "such as 昭和40年11月8日, 平成元年 or H7.4.1)"
        )

    @classmethod
    def _checked(cls, year: int, month: int | None, day: int | None, value: object) -> PartialDate:
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"month out of range in {value!r} (months are 1-12)")
        if day is not None:
            assert month is not None
            if not 1 <= day <= calendar.monthrange(year, month)[1]:
                raise ValueError(f"{year:04d}-{month:02d}-{day:02d} is not a day (in {value!r})")
        return cls(year, month, day)

    @classmethod
    def _era(cls, match: re.Match[str], value: object) -> PartialDate:
        """An era date, checked against the era's span (see :mod:`.eras`)."""
        era = era_named(match["era"])
        number = 1 if match["year"] == "元" else int(match["year"])
        year = gregorian_year(era.name, number)  # ValueError: the era has no such year
        month_text, day_text = match["month"] or match["month2"], match["day"] or match["day2"]
        month = int(month_text) if month_text else None
        day = int(day_text) if day_text else None
        found = cls._checked(year, month, day, value)
        if not (era.first <= found.latest() and (era.last is None or found.earliest() <= era.last)):
            bound = era.first if found.latest() < era.first else era.last
            side = "before" if found.latest() < era.first else "after"
            began = "began" if side == "before" else "ended"
            raise ValueError(f"{value!r} ({found.iso}) is {side} {era.name} {began} ({bound})")
        return found

    @property
    def precision(self) -> Precision:
        """How precisely the date is known."""
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    @property
    def iso(self) -> str:
        """The ISO form at the date's own precision."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def earliest(self) -> dt.date:
        """The first day the date may denote."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> dt.date:
        """The last day the date may denote."""
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return dt.date(self.year, month, day)

    def __str__(self) -> str:
        return self.iso

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._sort_key() < other._sort_key()

    def _sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)


def parse_optional(value: object) -> PartialDate | None:
    """Parse a date, treating ``None`` and blank strings as missing."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return PartialDate.parse(value)


def definitely_before(end: PartialDate, start: PartialDate) -> bool:
    """True when ``end`` must fall before ``start`` whatever the unknown parts are."""
    return end.latest() < start.earliest()


def existed_on(founded: str | None, dissolved: str | None, day: dt.date) -> bool:
    """Whether a body founded and dissolved on these stored dates existed on ``day``: founded on or
    before it and not yet dissolved (a body merged away on 2003-04-01 is gone on that day). An
    unreadable date counts as unknown: no reason to leave the body out."""
    try:
        start, end = parse_optional(founded), parse_optional(dissolved)
    except ValueError:
        return True
    return (start is None or start.earliest() <= day) and (end is None or day < end.earliest())


def user_day(value: str) -> dt.date:
    """A user's ``--as-of`` date as one day (a year or a month means its last day); ``ValueError``
    with the accepted forms otherwise."""
    try:
        return PartialDate.parse(value).latest()
    except ValueError:
        raise ValueError(f"not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)") from None


def stored_date(value: str | None, *, last: bool) -> dt.date | None:
    """The first (or ``last``) day a stored partial date may denote; ``None`` if none or unreadable."""
    try:
        parsed = parse_optional(value)
    except ValueError:
        return None
    if parsed is None:
        return None
    return parsed.latest() if last else parsed.earliest()


def in_force(start: str | None, end: str | None, day: dt.date) -> bool:
    """Whether a record that started on ``start`` and ended on ``end`` (stored partial dates) was in
    force on ``day``: a known start on or before it, and no end before it. Without a start it
    cannot be placed in time: ``False``."""
    first = stored_date(start, last=False)
    if first is None or first > day:
        return False
    last = stored_date(end, last=True)
    return last is None or last >= day
