"""Countries, subdivisions and world cities."""

import pytest

from paradiplomacy.reference import world
from paradiplomacy.reference.world import country_code, subdivision_code

VARIANTS = {
    "US": [
        "US",
        "USA",
        "United States",
        "United States of America",
        "U.S.A.",
        "米国",
        "アメリカ",
        "アメリカ合衆国",
        "united  states",
    ],
    "KR": ["South Korea", "Korea, Republic of", "Republic of Korea", "韓国", "大韓民国"],
    "RU": ["Russia", "Russian Federation", "ロシア", "ロシア連邦"],
    "CN": ["China", "People's Republic of China", "中国", "中華人民共和国"],
    "TW": ["Taiwan", "台湾"],
    "VN": ["Vietnam", "Viet Nam", "ベトナム"],
    "GB": [
        "UK",
        "United Kingdom",
        "England",
        "Scotland",
        "Wales",
        "Northern Ireland",
        "イギリス",
        "英国",
        "England, United Kingdom",
    ],
    "CZ": ["Czech Republic", "Czechia"],
    "CI": ["Ivory Coast", "Côte d'Ivoire"],
    "IR": ["Iran"],
    "LA": ["Laos"],
    "SY": ["Syria"],
    "BO": ["Bolivia"],
    "VE": ["Venezuela"],
    "TZ": ["Tanzania"],
    "MD": ["Moldova"],
    "MK": ["Macedonia", "North Macedonia"],
    "TR": ["Turkey", "Türkiye", "turkiye"],
    "NL": ["Holland", "Netherlands", "The Netherlands"],
    "PS": ["Palestine"],
    "XK": ["Kosovo"],
    "SZ": ["Swaziland", "Eswatini"],
    "MM": ["Burma", "Myanmar"],
    "CV": ["Cape Verde", "Cabo Verde"],
    "TL": ["East Timor"],
    "VA": ["Vatican", "Holy See"],
    "AU": ["Australia", "オーストラリア"],
    "DE": ["Germany", "ドイツ", "Deutschland"],
    "BR": ["Brazil", "ブラジル", "Brasil"],
    "GE": ["Georgia", "Georgia (country)"],
    "PH": ["Philippines", "the Philippines", "Phillipines"],
    "JP": ["Japan", "日本"],
    "IT": ["in Italy"],
    "IN": ["India"],
    "ID": ["Indonesia"],
}


@pytest.mark.parametrize(("code", "text"), [(c, t) for c, ts in VARIANTS.items() for t in ts])
def test_country_code_variants(code: str, text: str) -> None:
    assert country_code(text) == code


@pytest.mark.parametrize("text", ["Korea", "", "   ", "Atlantis", "Springfield", "Congo-ish land"])
def test_country_code_refuses_ambiguous_or_unknown(text: str) -> None:
    assert country_code(text) is None


def test_countries() -> None:
    countries = world.countries()
    codes = {c.alpha2 for c in countries}
    assert len(countries) >= 249 and {"JP", "US", "XK", "TW"} <= codes
    korea = next(c for c in countries if c.alpha2 == "KR")
    assert korea.alpha3 == "KOR" and korea.name == "South Korea"
    assert "韓国" in korea.aliases and "Korea" not in korea.aliases
    assert all("Project-Id-Version" not in a for c in countries for a in c.aliases)


@pytest.mark.parametrize(
    ("country", "name", "code"),
    [
        ("CN", "Heilongjiang", "CN-HL"),
        ("CN", "Heilongjiang Province", "CN-HL"),
        ("CN", "黑龙江省", "CN-HL"),
        ("CN", "Liaoning", "CN-LN"),
        ("CN", "Jilin", "CN-JL"),
        ("RU", "Primorsky Krai", "RU-PRI"),
        ("RU", "Primorskiy kray", "RU-PRI"),
        ("RU", "Sakhalin Oblast", "RU-SAK"),
        ("KR", "Gyeongsangbuk-do", "KR-47"),
        ("KR", "North Gyeongsang", "KR-47"),
        ("KR", "Seoul", "KR-11"),
        ("US", "Washington", "US-WA"),
        ("US", "Oregon", "US-OR"),
        ("AU", "New South Wales", "AU-NSW"),
        ("AU", "NSW", "AU-NSW"),
    ],
)
def test_subdivision_aliases(country: str, name: str, code: str) -> None:
    assert subdivision_code(country, name) == code


def test_subdivisions() -> None:
    chinese = world.subdivisions("CN")
    assert {s.country for s in chinese} == {"CN"} and len(chinese) >= 30
    paris = next(s for s in world.subdivisions("FR") if s.code == "FR-75C")
    assert paris.parent == "FR-IDF"
    assert len(world.subdivisions()) > 4000


@pytest.fixture(scope="module")
def cities() -> list[world.City]:
    return world.cities()


def test_cities(cities: list[world.City]) -> None:
    assert len(cities) > 100_000
    assert all(c.country != "JP" for c in cities)
    by_id = {c.geonameid: c for c in cities}
    portland = by_id[5746545]
    assert (portland.name, portland.country, portland.admin1) == ("Portland", "US", "US-OR")
    assert portland.population > 500_000 and abs(portland.lat - 45.52) < 0.1
    assert "ポートランド" in portland.alternates
    harbin = next(c for c in cities if c.name == "Harbin" and c.country == "CN")
    assert harbin.admin1 == "CN-HL" and "哈尔滨市" in harbin.alternates
    assert not any(a.islower() for c in cities[:2000] for a in c.alternates if a.isascii())
    assert all(c.ascii_name.isascii() for c in cities[:2000])


def test_sources() -> None:
    assert set(world.SOURCES) >= {"geonames", "iso3166"}
    assert "pycountry" in world.SOURCES["iso3166"] and "cities1000" in world.SOURCES["geonames"]


def test_unknown_country_suggests_close_names() -> None:
    from paradiplomacy.ingest.errors import FieldError
    from paradiplomacy.ingest.fields import country

    with pytest.raises(FieldError, match="did you mean France"):
        country("country2", "Frnace")
    with pytest.raises(FieldError, match=r"unknown country: 'Freedonia'$"):
        country("country2", "Freedonia")
