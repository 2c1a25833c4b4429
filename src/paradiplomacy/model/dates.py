"""Partial dates that keep their precision: ``1979``, ``1979-05`` or ``1979-05-01``."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import total_ordering
from typing import Literal

Precision = Literal["year", "month", "day"]

_PATTERN = re.compile(r"^\s*(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?\s*$")


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
        """Parse a string, int, ``date`` or ``PartialDate``; raise ``ValueError`` when impossible."""
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, dt.datetime):
            return cls(value.year, value.month, value.day)
        if isinstance(value, dt.date):
            return cls(value.year, value.month, value.day)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise ValueError(f"not a date: {value!r}")
        match = _PATTERN.match(value)
        if not match:
            raise ValueError(f"not a date (expected YYYY, YYYY-MM or YYYY-MM-DD): {value!r}")
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"month out of range in {value!r}")
        if day is not None:
            assert month is not None
            if not 1 <= day <= calendar.monthrange(year, month)[1]:
                raise ValueError(f"day out of range in {value!r}")
        return cls(year, month, day)

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
