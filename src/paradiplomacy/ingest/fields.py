"""Field converters: turn one raw value into a typed value or raise :class:`FieldError` naming the field."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any

from paradiplomacy.ingest.errors import FieldError
from paradiplomacy.model.dates import PartialDate
from paradiplomacy.reference.world import country_code

Converter = Callable[[str, Any], Any]


def blank(value: Any) -> bool:
    """True for values that mean 'not given'."""
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def text(name: str, value: Any) -> str | None:
    """A trimmed string."""
    if blank(value):
        return None
    if isinstance(value, (Mapping, list)):
        raise FieldError(name, f"expected text, got {type(value).__name__}")
    return str(value).strip()


def integer(name: str, value: Any) -> int | None:
    """A whole number; accepts '1,407' and '1407.0'."""
    if blank(value):
        return None
    try:
        number = float(str(value).replace(",", "").strip())
    except ValueError:
        raise FieldError(name, f"not a whole number: {value!r}") from None
    if not number.is_integer():
        raise FieldError(name, f"not a whole number: {value!r}")
    return int(number)


def number(name: str, value: Any) -> float | None:
    """A real number; accepts thousands separators."""
    if blank(value):
        return None
    try:
        return float(str(value).replace(",", "").strip())
    except ValueError:
        raise FieldError(name, f"not a number: {value!r}") from None


def date(name: str, value: Any) -> str | None:
    """A partial ISO date, returned in its canonical form."""
    if blank(value):
        return None
    try:
        return PartialDate.parse(value).iso
    except ValueError as error:
        raise FieldError(name, str(error)) from None


def strings(name: str, value: Any) -> list[str]:
    """A list of strings: a real list, or text separated by ';'."""
    if blank(value):
        return []
    items = value if isinstance(value, list) else str(value).split(";")
    result = []
    for item in items:
        if isinstance(item, (Mapping, list)):
            raise FieldError(name, f"list items must be text, got {type(item).__name__}")
        if not blank(item):
            result.append(str(item).strip())
    return result


def dates(name: str, value: Any) -> list[str]:
    """A list of partial dates."""
    return [date(name, item) or "" for item in strings(name, value)]


def country(name: str, value: Any) -> str | None:
    """An ISO 3166-1 alpha-2 code from a code or an English/Japanese country name."""
    if blank(value):
        return None
    code = country_code(str(value))
    if code is None:
        raise FieldError(name, f"unknown country: {value!r}")
    return code


def choice(enum: type[StrEnum]) -> Converter:
    """A converter accepting one value of ``enum`` (case and '-'/' ' insensitive)."""

    def convert(name: str, value: Any) -> str | None:
        if blank(value):
            return None
        canonical = re.sub(r"[\s\-]+", "_", str(value).strip().lower())
        try:
            return enum(canonical).value
        except ValueError:
            allowed = ", ".join(member.value for member in enum)
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
        return {str(k): v for k, v in value.items()}
    result: dict[str, Any] = {}
    for part in str(value).split(";"):
        if not part.strip():
            continue
        if "=" not in part:
            raise FieldError(name, f"expected key=value pairs separated by ';', got {part!r}")
        key, _, item = part.partition("=")
        result[key.strip()] = item.strip()
    return result


def slug(name: str, value: Any) -> str | None:
    """A key: lowercase letters, digits, '-', '_', '.', ':'."""
    result = text(name, value)
    if result is not None and not re.fullmatch(r"[a-z0-9][a-z0-9._:\-]*", result):
        raise FieldError(name, f"keys are lowercase letters, digits and - _ . : (got {result!r})")
    return result
