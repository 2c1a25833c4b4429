"""The Japanese era calendar (和暦) since Meiji: one table for reading era dates and for writing them.

>>> gregorian_year("昭和", 40), gregorian_year("H", 1), gregorian_year("令和", 1)
(1965, 1989, 2019)
>>> era_label(dt.date(1965, 11, 8)), era_label(1989), era_label(dt.date(1989, 1, 7))
('昭和40年', '平成元年', '昭和64年')
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["ERAS", "Era", "era_label", "era_named", "era_of", "gregorian_year"]


@dataclass(frozen=True)
class Era:
    """One era: its kanji name, the letter offices abbreviate it to (S40.11.8), its first and last day."""

    name: str
    letter: str
    romaji: str
    first: dt.date
    last: dt.date | None

    @property
    def last_year(self) -> int | None:
        """The era's last year in its own count (昭和 64, 平成 31); ``None`` for the current era."""
        return None if self.last is None else self.last.year - self.first.year + 1

    def contains(self, day: dt.date) -> bool:
        """True when ``day`` falls within the era."""
        return self.first <= day and (self.last is None or day <= self.last)


ERAS: tuple[Era, ...] = (
    # Meiji is counted from 1868-01-01 (its first year, applied to the whole of 1868); the lunisolar
    # calendar it began under ended in 1872, long before the registry's first ties.
    Era("明治", "M", "Meiji", dt.date(1868, 1, 1), dt.date(1912, 7, 29)),
    Era("大正", "T", "Taishō", dt.date(1912, 7, 30), dt.date(1926, 12, 24)),
    Era("昭和", "S", "Shōwa", dt.date(1926, 12, 25), dt.date(1989, 1, 7)),
    Era("平成", "H", "Heisei", dt.date(1989, 1, 8), dt.date(2019, 4, 30)),
    Era("令和", "R", "Reiwa", dt.date(2019, 5, 1), None),
)


def era_named(name: str) -> Era:
    """The era of a kanji name, letter or romaji (``昭和``, ``S``, ``s``, ``Showa``); ``KeyError`` if none."""
    key = name.strip()
    for era in ERAS:
        if key in (era.name, era.letter, era.letter.lower()) or key.lower() in (
            era.romaji.lower(),
            era.romaji.lower().replace("ō", "o"),
        ):
            return era
    raise KeyError(name)


def gregorian_year(era_name: str, year: int) -> int:
    """The Gregorian year of year ``year`` of an era; ``ValueError`` for a year the era does not have."""
    era = era_named(era_name)
    if year < 1 or (era.last_year is not None and year > era.last_year):
        span = f"1-{era.last_year}" if era.last_year is not None else "1 or later"
        raise ValueError(f"{era.name} has no year {year} (its years are {span})")
    return era.first.year + year - 1


def era_of(day: dt.date) -> Era | None:
    """The era ``day`` falls in (``None`` before Meiji)."""
    return next((era for era in reversed(ERAS) if era.contains(day)), None)


def era_label(when: dt.date | int) -> str:
    """``昭和40年`` for a day or a year (a year two eras share is named by the era at its end)."""
    day = dt.date(when, 12, 31) if isinstance(when, int) else when
    era = era_of(day)
    if era is None:
        return ""
    number = day.year - era.first.year + 1
    return f"{era.name}{'元' if number == 1 else number}年"
