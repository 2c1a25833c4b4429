"""Field converters: turn one raw value into a typed value or raise :class:`FieldError` naming the field.

Every converter states what it accepts: text is bounded in length and free of control characters,
numbers are finite and within a range, integers fit a 64-bit column, dates are real calendar dates
from year 1 to 2200. Booleans are never numbers.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any

from paradiplomacy.ingest.errors import FieldError
from paradiplomacy.model.dates import PartialDate
from paradiplomacy.model.text import unsafe_characters
from paradiplomacy.reference.world import country_code, country_suggestions

Converter = Callable[[str, Any], Any]

INT64 = (-(2**63), 2**63 - 1)
"""What an INTEGER column of SQLite (and a BIGINT of PostgreSQL) holds."""
MAX_NUMBER = 1e18
"""Largest magnitude of a real number accepted anywhere (money included, after its unit)."""
MAX_TEXT = 20_000
"""Longest free text (notes, titles, URLs); short fields have their own limits."""
MAX_ITEMS = 200
"""Most items in a list field or entries in a mapping."""
MIN_YEAR, MAX_YEAR = 1, 2200
"""Dates and years from year 1 to 2200: later ones are typing errors, and the analyses add years."""


def blank(value: Any) -> bool:
    """True for values that mean 'not given'."""
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def text(name: str, value: Any, max_length: int = MAX_TEXT) -> str | None:
    """A trimmed string of at most ``max_length`` characters, without control characters."""
    if blank(value):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        raise FieldError(name, f"expected text, got {value!r}")
    if isinstance(value, (dt.date, dt.time)):  # a spreadsheet's date cell in a text column
        value = value.isoformat()
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise FieldError(name, f"expected text, got {type(value).__name__}")
    result = str(value).strip()
    bad = unsafe_characters(result)
    if bad:
        raise FieldError(name, f"contains control or invisible character(s) {bad[0]!r}")
    if len(result) > max_length:
        raise FieldError(name, f"too long: {len(result):,} characters (at most {max_length:,})")
    return result


def short_text(max_length: int) -> Converter:
    """A converter for text of at most ``max_length`` characters."""

    def convert(name: str, value: Any) -> str | None:
        return text(name, value, max_length)

    return convert


def _shown(value: Any) -> str:
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def integer(name: str, value: Any, low: int = INT64[0], high: int = INT64[1]) -> int | None:
    """A whole number from ``low`` to ``high``; accepts '1,407' and '1407.0'."""
    if blank(value):
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise FieldError(name, f"not a whole number: {_shown(value)}")
    if isinstance(value, int):
        result = value
    else:
        digits = str(value).replace(",", "").strip()
        if len(digits) > 40:
            raise FieldError(name, f"not a whole number in range: {_shown(value)}")
        try:
            result = int(digits)
        except ValueError:
            found = number(name, value, -MAX_NUMBER, MAX_NUMBER)
            if found is None or not found.is_integer():
                raise FieldError(name, f"not a whole number: {_shown(value)}") from None
            result = int(found)
    if not low <= result <= high:
        raise FieldError(name, f"out of range: {_shown(value)} (allowed {low:,} to {high:,})")
    return result


def number(name: str, value: Any, low: float = -MAX_NUMBER, high: float = MAX_NUMBER) -> float | None:
    """A finite real number from ``low`` to ``high``; accepts thousands separators."""
    if blank(value):
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise FieldError(name, f"not a number: {_shown(value)}")
    try:
        text_form = str(value).replace(",", "").strip()
        result = float(text_form) if len(text_form) <= 400 else math.inf
    except (ValueError, OverflowError):
        raise FieldError(name, f"not a number: {_shown(value)}") from None
    if not math.isfinite(result):
        raise FieldError(name, f"not a finite number: {_shown(value)}")
    if not low <= result <= high:
        raise FieldError(name, f"out of range: {_shown(value)} (allowed {low:g} to {high:g})")
    return result


def integer_in(low: int, high: int) -> Converter:
    """A converter for whole numbers from ``low`` to ``high``."""

    def convert(name: str, value: Any) -> int | None:
        return integer(name, value, low, high)

    return convert


def number_in(low: float, high: float) -> Converter:
    """A converter for finite real numbers from ``low`` to ``high``."""

    def convert(name: str, value: Any) -> float | None:
        return number(name, value, low, high)

    return convert


def date(name: str, value: Any) -> str | None:
    """A partial ISO date, returned in its canonical form."""
    if blank(value):
        return None
    if isinstance(value, str) and len(value) > 40:
        raise FieldError(name, f"not a date: {_shown(value)}")
    try:
        parsed = PartialDate.parse(value)
    except (ValueError, OverflowError) as error:
        raise FieldError(name, str(error)) from None
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise FieldError(name, f"year out of range in {_shown(value)} (allowed {MIN_YEAR} to {MAX_YEAR})")
    return parsed.iso


def strings(name: str, value: Any) -> list[str]:
    """A list of strings: a real list, or text separated by ';'."""
    if blank(value):
        return []
    if isinstance(value, Mapping):
        raise FieldError(name, "expected a list, got a mapping")
    items = value if isinstance(value, list) else (text(name, value) or "").split(";")
    if len(items) > MAX_ITEMS:
        raise FieldError(name, f"too many items: {len(items):,} (at most {MAX_ITEMS})")
    result = []
    for item in items:
        if isinstance(item, (Mapping, list)):
            raise FieldError(name, f"list items must be text, got {type(item).__name__}")
        if not blank(item):
            result.append(text(name, item, 300) or "")
    return result


def dates(name: str, value: Any) -> list[str]:
    """A list of partial dates."""
    return [date(name, item) or "" for item in strings(name, value)]


def country(name: str, value: Any) -> str | None:
    """An ISO 3166-1 alpha-2 code from a code or an English/Japanese country name."""
    found = text(name, value, 100)
    if found is None:
        return None
    code = country_code(found)
    if code is None:
        close = country_suggestions(found)
        hint = f" (did you mean {' or '.join(close)}?)" if close else ""
        raise FieldError(name, f"unknown country: {value!r}{hint}")
    return code


def choice(enum: type[StrEnum], words: Mapping[str, str] | None = None) -> Converter:
    """A converter accepting one value of ``enum`` (case and '-'/' ' insensitive), or one of
    ``words`` (the value as people write it, such as 姉妹都市, full-width or not)."""
    words = {unicodedata.normalize("NFKC", k): v for k, v in (words or {}).items()}

    def convert(name: str, value: Any) -> str | None:
        found = text(name, value, 100)
        if found is None:
            return None
        written = re.sub(r"\s+", "", unicodedata.normalize("NFKC", found))
        if written in words:
            return words[written]
        canonical = re.sub(r"[\s\-]+", "_", found.lower())
        try:
            return enum(canonical).value
        except ValueError:
            allowed = ", ".join([member.value for member in enum] + list(words))
            raise FieldError(name, f"unknown value {value!r} (allowed: {allowed})") from None

    return convert


def choices(enum: type[StrEnum]) -> Converter:
    """A converter accepting a list of ``enum`` values."""
    single = choice(enum)

    def convert(name: str, value: Any) -> list[str]:
        return [single(name, item) for item in strings(name, value)]

    return convert


def mapping(name: str, value: Any) -> dict[str, Any]:
    """A mapping, or 'k=v;k=v' text."""
    if blank(value):
        return {}
    if isinstance(value, Mapping):
        pairs = list(value.items())
    elif isinstance(value, str):
        pairs = []
        for part in (text(name, value) or "").split(";"):
            if not part.strip():
                continue
            if "=" not in part:
                raise FieldError(name, f"expected key=value pairs separated by ';', got {_shown(part)}")
            key, _, item = part.partition("=")
            pairs.append((key.strip(), item.strip()))
    else:
        raise FieldError(name, f"expected a mapping, got {type(value).__name__}")
    if len(pairs) > MAX_ITEMS:
        raise FieldError(name, f"too many entries: {len(pairs):,} (at most {MAX_ITEMS})")
    result: dict[str, Any] = {}
    for key, item in pairs:
        label = text(name, key, 100) if isinstance(key, str) else None
        if not label:
            raise FieldError(name, f"mapping keys must be non-empty text, got {_shown(key)}")
        if isinstance(item, bool) or item is None:
            result[label] = item
        elif isinstance(item, (int, float)):
            result[label] = number(name, item) if isinstance(item, float) else integer(name, item)
        else:
            result[label] = text(name, item, 300)
    return result


def slug(name: str, value: Any) -> str | None:
    """A key: lowercase letters, digits, '-', '_', '.', ':'."""
    result = text(name, value, 200)
    if result is not None and not re.fullmatch(r"[a-z0-9][a-z0-9._:\-]*", result):
        raise FieldError(name, f"keys are lowercase letters, digits and - _ . : (got {result!r})")
    return result


def source_key(name: str, value: Any) -> str | None:
    """A source key: a slug, or the key the importer gives an import file (``file:<name>:<hash>``,
    whose file name may hold any printable character) so that exports import back."""
    result = text(name, value, 200)
    if result is not None and re.fullmatch(r"file:.+:[0-9a-f]{8,64}", result):
        return result
    return slug(name, result)
