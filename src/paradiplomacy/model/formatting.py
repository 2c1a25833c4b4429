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
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

__all__ = ["is_percent", "is_year", "plain", "text"]

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
