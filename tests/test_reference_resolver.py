"""Ranked name resolution over the bundled gazetteers."""

import pytest

from paradiplomacy.reference import japan, names, world
from paradiplomacy.reference.resolver import NameIndex


@pytest.fixture(scope="module")
def japan_index() -> NameIndex:
    lgs = {lg.code: lg for lg in japan.local_governments()}
    index = NameIndex()
    for lg in lgs.values():
        qualifiers: list[str] = ["Japan", "日本"]
        parent = lgs.get(lg.parent_code or "")
        while parent is not None:
            qualifiers += names.japanese_variants(parent)
            parent = lgs.get(parent.parent_code or "")
        index.add(
            lg.code,
            names.japanese_variants(lg),
            country="JP",
            qualifiers=qualifiers,
            lat=lg.lat,
            lon=lg.lon,
            population=lg.population,
            kind=lg.lg_type,
            priority=1,
            label=lg.full_name_ja,
        )
    return index


@pytest.mark.parametrize(
    "query",
    [
        "Kōbe",
        "Kobe",
        "KOBE",
        "神戸市",
        "こうべし",
        "コウベシ",
        "Kobe City",
        "Kobe-shi",
        "Koube",
        "City of Kobe",
    ],
)
def test_kobe_resolves(japan_index: NameIndex, query: str) -> None:
    result = japan_index.resolve(query, country="JP")
    assert result.status == "resolved" and result.match is not None
    assert result.match.entity_id == "281000" and result.match.score == 1.0


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("Setagaya (Tokyo)", "131121"),
        ("Setagaya", "131121"),
        ("府中市 (東京都)", "132063"),
        ("府中市（広島県）", "342084"),
        ("Minami (Yokohama)", "141054"),
        ("Nishi-ku, Yokohama", "141038"),
        ("Kitakyushu", "401005"),
        ("Tokyo Metropolis", "130001"),
        ("Hokkaido Prefecture", "010006"),
        ("Shimonoseky", "352012"),  # a lone strong fuzzy hit
    ],
)
def test_resolved(japan_index: NameIndex, query: str, code: str) -> None:
    result = japan_index.resolve(query, country="JP")
    assert result.status == "resolved" and result.match is not None
    assert result.match.entity_id == code


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Minami", {"011061", "141054", "231126"}),
        ("Fuchū", {"132063", "342084"}),
        ("Fuchu", {"132063", "342084"}),
        ("Sakai", {"271403", "182109", "085464"}),
        ("Osaka", {"271004", "270008"}),
        ("Fuchu, Hiroshima", {"342084", "343021"}),
    ],
)
def test_ambiguous(japan_index: NameIndex, query: str, expected: set[str]) -> None:
    result = japan_index.resolve(query, country="JP")
    assert result.status == "ambiguous" and result.match is None
    assert expected <= {c.entity_id for c in result.candidates}


def test_ambiguous_candidates_are_ranked(japan_index: NameIndex) -> None:
    sakai = japan_index.resolve("Sakai", country="JP").candidates
    assert sakai[0].entity_id == "271403"  # the most populous first
    assert all(c.score == 1.0 and c.reason == "exact name" for c in sakai)


@pytest.mark.parametrize("query", ["Xyzzyville", "Atlantis City", "ほげほげ村", ""])
def test_unresolved(japan_index: NameIndex, query: str) -> None:
    result = japan_index.resolve(query, country="JP")
    assert result.status == "unresolved" and result.match is None and not result.candidates


def test_country_filter(japan_index: NameIndex) -> None:
    assert japan_index.resolve("Kobe", country="US").status == "unresolved"
    assert japan_index.lookup("Kobe", country="JP")[0].entity_id == "281000"


def _toy_index() -> NameIndex:
    index = NameIndex()
    index.add(
        1,
        ["Portland"],
        country="US",
        qualifiers=["Oregon", "OR"],
        lat=45.52,
        lon=-122.68,
        population=652_503,
        kind="city",
        priority=1,
    )
    index.add(
        2,
        ["Portland"],
        country="US",
        qualifiers=["Maine", "ME"],
        lat=43.66,
        lon=-70.26,
        population=66_881,
        kind="city",
        priority=1,
    )
    index.add(
        3,
        ["Portland"],
        country="AU",
        qualifiers=["Victoria"],
        lat=-38.35,
        lon=141.60,
        population=9_375,
        kind="city",
        priority=1,
    )
    index.add(4, ["Oregon"], country="US", kind="region", priority=0)
    index.add(5, ["Oregon"], country="US", lat=42.01, lon=-89.33, kind="city", priority=1)
    return index


def test_near_and_qualifiers_pick_one() -> None:
    index = _toy_index()
    assert index.resolve("Portland", country="US").status == "ambiguous"
    near = index.resolve("Portland", country="US", near=(45.5, -122.7))
    assert near.status == "resolved" and near.match is not None and near.match.entity_id == 1
    assert "nearest" in near.match.reason
    far = index.resolve("Portland", country="US", near=(30.0, -100.0))
    assert far.status == "ambiguous"
    oregon = index.resolve("Portland (Oregon)")
    assert oregon.status == "resolved" and oregon.match is not None and oregon.match.entity_id == 1
    assert index.resolve("Portland, Australia").match.entity_id == 3  # type: ignore[union-attr]
    assert index.resolve("Portland (Atlantis)", country="US").status == "ambiguous"
    assert index.resolve("Portland (Atlantis)", country="AU").status == "ambiguous"


def test_priority_decides_between_exact_matches() -> None:
    result = _toy_index().resolve("Oregon", country="US")
    assert result.status == "resolved" and result.match is not None
    assert result.match.entity_id == 5 and len(result.candidates) == 2


def test_lone_match_far_from_near_is_flagged() -> None:
    result = _toy_index().resolve("Portland", country="AU", near=(51.5, -0.1))
    assert result.status == "ambiguous" and "km from" in result.candidates[0].reason


def test_adding_twice_merges() -> None:
    index = _toy_index()
    index.add(3, ["Portland Victoria", "Portland"], country="AU")
    assert len(index) == 5
    assert [c.entity_id for c in index.lookup("Portland Victoria")] == [3]
    assert len(index.lookup("Portland", country="AU")) == 1


def test_world_cities_portland() -> None:
    index = NameIndex()
    for city in world.cities():
        if city.country == "US" and city.name.startswith("Port"):
            index.add(
                city.geonameid,
                names.city_variants(city),
                country="US",
                lat=city.lat,
                lon=city.lon,
                population=city.population,
                kind="city",
            )
    assert index.resolve("Portland", country="US").status == "ambiguous"
    near = index.resolve("Portland", country="US", near=(45.5, -122.7))
    assert near.match is not None and near.match.entity_id == 5746545
    maine = index.resolve("Portland", country="US", near=(43.7, -70.3))
    assert maine.match is not None and maine.match.entity_id == 4975802


def test_far_more_populous_namesake_resolves() -> None:
    index = NameIndex()
    index.add(1, ["Xi'an"], country="CN", lat=34.26, lon=108.93, population=9_600_000)
    index.add(2, ["Xi’an"], country="CN", lat=44.58, lon=129.61, population=0)
    result = index.resolve("Xi'an", country="CN")
    assert result.status == "resolved" and result.match is not None
    assert result.match.entity_id == 1 and "populous" in result.match.reason
    index.add(3, ["Xian"], country="CN", lat=30.0, lon=100.0, population=None)
    assert index.resolve("Xi'an", country="CN").status == "ambiguous"  # unknown population


def test_namesakes_next_to_each_other_are_one_place() -> None:
    index = NameIndex()
    index.add(1, ["Dalian"], country="CN", lat=38.91, lon=121.60, population=4_913_879)
    index.add(2, ["Dalian"], country="CN", lat=38.95, lon=121.55, population=None)
    result = index.resolve("Dalian", country="CN")
    assert result.status == "resolved" and result.match is not None
    assert result.match.entity_id == 1 and "namesake" in result.match.reason


def test_world_city_dominance() -> None:
    index = NameIndex()
    for city in world.cities():
        if city.country == "CN" and city.name in {"Dalian", "Shahe", "Xi’an"}:
            index.add(
                city.geonameid,
                names.city_variants(city),
                country="CN",
                lat=city.lat,
                lon=city.lon,
                population=city.population,
                kind="city",
            )
    assert index.resolve("Dalian", country="CN").match.entity_id == 1814087  # type: ignore[union-attr]
    assert index.resolve("Xi'an", country="CN").match.entity_id == 1790630  # type: ignore[union-attr]
