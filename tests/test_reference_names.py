"""Normalisation, qualifier splitting, romanisation and name variants."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paradiplomacy.reference import japan, names
from paradiplomacy.reference.names import (
    japanese_variants,
    kana_to_romaji,
    normalize,
    romaji_forms,
    split_qualifier,
    split_suffix,
    useful_alternate,
)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kōbe", "Kobe"),
        ("KOBE", "kobe"),
        ("Kôbe", "kobe"),
        ("Saint-Étienne", "Saint Etienne"),
        ("St. Petersburg", "Saint Petersburg"),
        ("Sankt Gallen", "St. Gallen"),
        ("Łódź", "Lodz"),
        ("コウベシ", "こうべし"),
        ("ｺｳﾍﾞｼ", "コウベシ"),
        ("Kita-Kyushu", "Kitakyushu"),
        ("Setagaya-ku", "Setagaya ku"),
        ("O'Fallon", "OFallon"),
        ("Trinidad & Tobago", "Trinidad and Tobago"),
        ("関ヶ原町", "関ケ原町"),
        ("Ｋｏｂｅ", "Kobe"),
        ("İstanbul", "Istanbul"),
    ],
)
def test_normalize_equates(a: str, b: str) -> None:
    assert normalize(a) == normalize(b)


@pytest.mark.parametrize(
    ("a", "b"), [("Kobe", "Kabe"), ("神戸市", "神戸町"), ("Tokyo", "Kyoto"), ("がっこう", "かっこう")]
)
def test_normalize_distinguishes(a: str, b: str) -> None:
    assert normalize(a) != normalize(b)


@given(st.text())
def test_normalize_is_idempotent_and_total(text: str) -> None:
    key = normalize(text)
    assert normalize(key) == key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Setagaya (Tokyo)", ("Setagaya", "Tokyo")),
        ("府中市（東京都）", ("府中市", "東京都")),
        ("府中市 (東京都)", ("府中市", "東京都")),
        ("Bayside, New South Wales", ("Bayside", "New South Wales")),
        ("Portland (Oregon)", ("Portland", "Oregon")),
        ("  Paris  ", ("Paris", None)),
        ("(Tokyo)", ("(Tokyo)", None)),
        ("Kobe ()", ("Kobe ()", None)),
        ("", ("", None)),
    ],
)
def test_split_qualifier(text: str, expected: tuple[str, str | None]) -> None:
    assert split_qualifier(text) == expected


@given(st.text())
def test_split_qualifier_never_raises(text: str) -> None:
    base, qualifier = split_qualifier(text)
    assert base == base.strip()
    if qualifier is None:
        assert base == text.strip()
    else:
        assert qualifier == qualifier.strip() and qualifier and base


_PLAIN = st.text(st.characters(whitelist_categories=("Lu", "Ll", "Lo")), min_size=1, max_size=12)


@given(_PLAIN, _PLAIN)
def test_split_qualifier_round_trips(name: str, qualifier: str) -> None:
    assert split_qualifier(f"{name} ({qualifier})") == (name, qualifier)
    assert split_qualifier(f"{name}, {qualifier}") == (name, qualifier)


@pytest.mark.parametrize(
    ("kana", "romaji"),
    [
        ("コウベ", "Kōbe"),
        ("トウキョウ", "Tōkyō"),
        ("キタキュウシュウ", "Kitakyūshū"),
        ("オオサカ", "Ōsaka"),
        ("ニイガタ", "Niigata"),
        ("カンオンジ", "Kan'onji"),
        ("セタガヤ", "Setagaya"),
    ],
)
def test_kana_to_romaji(kana: str, romaji: str) -> None:
    assert kana_to_romaji(kana) == romaji


def test_romaji_forms() -> None:
    assert romaji_forms("トウキョウ") == ("Tōkyō", "Tokyo", "Toukyou", "Tohkyoh")
    assert "Gumma" in romaji_forms("グンマ")


def test_split_suffix() -> None:
    assert split_suffix("神戸市", "コウベシ") == ("神戸", "コウベ", "市", "シ")
    assert split_suffix("当別町", "トウベツチョウ") == ("当別", "トウベツ", "町", "チョウ")
    assert split_suffix("北海道", "ホッカイドウ") == ("北海道", "ホッカイドウ", "", "")


def _lg(code: str) -> japan.LocalGovernment:
    lg = japan.by_code(code)
    assert lg is not None
    return lg


def test_japanese_variants_of_a_city() -> None:
    variants = japanese_variants(_lg("281000"))
    for expected in [
        "神戸市",
        "神戸",
        "コウベシ",
        "こうべし",
        "コウベ",
        "Kōbe",
        "Kobe",
        "Koube",
        "Kobe City",
        "Kobe-shi",
        "City of Kobe",
    ]:
        assert expected in variants


def test_japanese_variants_of_prefectures_towns_villages() -> None:
    assert {"Hokkaido Prefecture", "Hokkaidō", "北海道"} <= japanese_variants(_lg("010006"))
    assert {"Tokyo Metropolis", "Tokyo-to", "東京", "Toukyou"} <= japanese_variants(_lg("130001"))
    assert {"Osaka Prefecture", "Osaka-fu", "大阪"} <= japanese_variants(_lg("270008"))
    assert {"Tobetsu-cho", "Tobetsu Town", "当別"} <= japanese_variants(_lg("013030"))
    assert "Tobetsu-machi" not in japanese_variants(_lg("013030"))
    village = japanese_variants(_lg("133817"))  # 三宅村 (みやけむら)
    assert {"Miyake-mura", "Miyake Village"} <= village and "Miyake-son" not in village


def test_useful_alternates() -> None:
    assert useful_alternate("Kōbe") and useful_alternate("神戸市") and useful_alternate("고베")
    assert not useful_alternate("xin gong shi")  # GeoNames machine transliteration
    assert not useful_alternate("Кобе") and not useful_alternate("UKB")
    assert names.normalize("  ") == ""
