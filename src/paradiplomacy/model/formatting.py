"""How values are written for people and for files: one set of rules for the terminal, CSV, JSON and
the report, so a year never prints as "2,010" or "2010.0" and a yen amount never as
``33700000000.000004``.

>>> text(2010, "fiscal_year"), text(1407.0, "published"), text(0.1234, "share")
('2010', '1,407', '12.3%')
>>> text(33700000000.000004, "amount"), text(float("nan"), "records"), text(2.5, "ratio")
('33,700,000,000', '', '2.50')
>>> text(75, "published_percent"), text(0.75, "published_share")
('75.0%', '75.0%')
>>> text(0.001234, "betweenness"), text(True), text(["a", "b"])
('0.00123', 'yes', 'a, b')
>>> plain(2010.0, "year"), plain(0.5, "share"), plain(None, "x")
(2010, 0.5, None)

Dates and times for a reader in either language (:func:`date_text`, :func:`time_text`): Japanese
dates carry the era year (和暦) beside the Gregorian one, times are shown in Japan time.

>>> date_text("1965-11-08", "ja"), date_text("1965", "ja"), date_text("1989-01", "ja")
('1965年（昭和40年）11月8日', '1965（昭和40）年', '1989年（平成元年）1月')
>>> date_text("1965-11-08", "en"), date_text(None, "ja"), date_text("c. 1970", "ja")
('1965-11-08', '', 'c. 1970')
>>> time_text("2026-12-08T01:33:00+00:00", "ja")
'2026-12-08 10:33 JST'
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from typing import Any
from zoneinfo import ZoneInfo

from paradiplomacy.model.eras import era_label

__all__ = ["JAPAN_TIME", "date_text", "is_percent", "is_year", "plain", "text", "time_text"]

#: The zone every stored (UTC) time is shown in: the workbench's users are in Japan.
JAPAN_TIME = ZoneInfo("Asia/Tokyo")
_ISO_DAY = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")

_YEAR = re.compile(r"(^|_| )(year|fiscal_year|fiscal year|decade|fy|adopted|opened|closed|founded)$")
_SHARE = re.compile(r"(^|_| )(share|coverage|rate)$|share with|_share$|^share")
_PERCENT = re.compile(r"(^|_| )(percent|pct)$")  # already in percent: 75 is 75%, not 7500%
_MONEY = re.compile(r"(^|_| )(amount|yen|budget|jpy)$")


def is_year(column: str) -> bool:
    """Whether ``column`` holds years (printed without thousands separators)."""
    return bool(_YEAR.search(column.lower()))


def is_percent(column: str) -> bool:
    """Whether ``column`` is printed as percentages: shares between 0 and 1 (``share``,
    ``coverage``...), or values already in percent (a name ending in ``percent``)."""
    return bool(_SHARE.search(column.lower()) or _PERCENT.search(column.lower()))


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return type(value).__name__ in ("NAType", "NaTType")


def text(value: Any, column: str = "", *, missing: str = "") -> str:
    """``value`` of ``column`` as a person reads it (terminal tables, the report)."""
    if _missing(value):
        return missing
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(text(v) for v in value)
    if isinstance(value, dict):
        country = value.get("country")
        name = value.get("name", "")
        return f"{name} ({country})" if country else str(name)
    number = _number(value)
    if number is None:
        return str(value)
    if column and is_year(column) and float(number).is_integer():
        return str(int(number))
    if column and is_percent(column):
        share = float(number) if _PERCENT.search(column.lower()) else 100 * float(number)
        return f"{share:.1f}%" if abs(share) >= 1 or share == 0 else f"{share:.2f}%"
    if float(number).is_integer() or (column and _MONEY.search(column.lower())) or abs(number) >= 1000:
        return f"{round(number):,}"
    return f"{number:.3g}" if abs(number) < 1 else f"{number:.2f}"


def plain(value: Any, column: str = "") -> Any:
    """``value`` for CSV and JSON: numbers as numbers (integral floats as ints, money rounded to
    the unit), missing values as None, dates as ISO text."""
    if _missing(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    number = _number(value)
    if number is None:
        return value
    if float(number).is_integer():
        return int(number)
    if column and _MONEY.search(column.lower()):
        return round(number)
    return float(number)


def _number(value: Any) -> float | int | None:
    """``value`` as a Python number when it is one (numpy scalars included), else None."""
    if isinstance(value, int | float):
        return value
    kind = type(value).__module__
    if kind == "numpy" and hasattr(value, "item"):
        item = value.item()
        return item if isinstance(item, int | float) and not isinstance(item, bool) else None
    return None


def date_text(value: Any, lang: str = "en") -> str:
    """A stored date (``1965-11-08``, ``1965-11`` or ``1965``) as a reader of ``lang`` writes it.

    Japanese puts the era year beside the Gregorian one: ``1965年（昭和40年）11月8日``,
    ``1965年（昭和40年）11月``, a year alone ``1965（昭和40）年`` (a year or month two eras share is
    named by the era at its end, as :func:`~paradiplomacy.model.eras.era_label` does). English keeps
    the ISO form. Text that is not such a date is returned as it is.
    """
    if _missing(value) or value == "":
        return ""
    iso = value.isoformat()[:10] if isinstance(value, dt.date) else str(value).strip()
    match = _ISO_DAY.match(iso)
    if not lang.lower().startswith("ja") or match is None:
        return iso
    year = int(match.group(1))
    month, day = (int(part) if part else None for part in match.groups()[1:])
    try:
        if month is None:
            era = era_label(year)
            return f"{year}（{era.removesuffix('年')}）年" if era else f"{year}年"
        last = day or calendar.monthrange(year, month)[1]
        era = era_label(dt.date(year, month, last))
    except ValueError:  # 2001-13-40: not a date, shown as stored
        return iso
    head = f"{year}年（{era}）" if era else f"{year}年"
    return f"{head}{month}月{day}日" if day else f"{head}{month}月"


def time_text(value: Any, lang: str = "en") -> str:
    """A stored UTC time (ISO text or a datetime) in Japan time with the zone named:
    ``2026-12-08 10:33 JST`` in either language (a time without a zone is taken as UTC)."""
    if _missing(value) or value == "":
        return ""
    try:
        moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(JAPAN_TIME).strftime("%Y-%m-%d %H:%M JST")
