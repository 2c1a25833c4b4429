"""Alias rules for country and subdivision names (the data itself comes from pycountry/GeoNames)."""

from __future__ import annotations

import gettext
import re
from functools import cache

import pycountry

__all__ = ["COUNTRY_EXTRAS", "inverted", "ja_short", "subdivision_aliases", "translations"]

# Colloquial names that no bundled source gives (or gives to the wrong country). These win over
# every generated alias. Japanese entries cover the usual partner countries of Japanese LGs.
COUNTRY_EXTRAS: dict[str, tuple[str, ...]] = {
    "GB": (
        "UK",
        "U.K.",
        "Great Britain",
        "Britain",
        "England",
        "Scotland",
        "Wales",
        "Northern Ireland",
        "イギリス",
        "英国",
        "連合王国",
    ),
    "US": ("USA", "U.S.A.", "U.S.", "America", "United States", "米国", "アメリカ"),
    "KR": ("South Korea", "Republic of Korea", "ROK", "Korea (South)", "Korea South", "韓国"),
    "KP": ("North Korea", "DPRK", "Korea (North)", "北朝鮮"),
    "CN": ("PRC", "Mainland China", "中国"),
    "TW": ("Taiwan", "Republic of China", "ROC", "Chinese Taipei", "台湾", "中華民国"),
    "RU": ("Russia", "ロシア"),
    "AU": ("豪州", "オーストラリア連邦"),
    "GU": ("米領グアム", "グアム準州"),
    "NL": ("Holland", "The Netherlands", "オランダ"),
    "MK": ("Macedonia", "FYROM", "Republic of Macedonia", "マケドニア"),
    "TR": ("Turkey", "Türkiye", "Turkiye", "トルコ"),
    "CZ": ("Czech Republic", "Czechia", "チェコ"),
    "CI": ("Ivory Coast", "Cote d'Ivoire"),
    "SZ": ("Swaziland", "スワジランド"),
    "MM": ("Burma", "ビルマ"),
    "CV": ("Cape Verde",),
    "TL": ("East Timor",),
    "VA": ("Vatican", "Vatican City", "Holy See", "バチカン"),
    "XK": ("Kosovo", "コソボ"),
    "LA": ("Laos", "ラオス"),
    "VN": ("Vietnam", "ベトナム"),
    "GE": ("Georgia", "ジョージア", "グルジア"),
    "CG": ("Republic of Congo", "Republic of the Congo", "Congo-Brazzaville"),
    "CD": ("DR Congo", "DRC", "Congo-Kinshasa"),
    "IR": ("Iran", "イラン"),
    "SY": ("Syria", "シリア"),
    "BO": ("Bolivia", "ボリビア"),
    "VE": ("Venezuela", "ベネズエラ"),
    "TZ": ("Tanzania", "タンザニア"),
    "HK": ("Hong Kong", "香港"),
    "MO": ("Macau", "Macao", "マカオ"),
    "DE": ("West Germany",),
    "IE": ("Republic of Ireland", "Eire", "Éire", "アイルランド"),
    "MD": ("Moldova", "Moldavia", "モルドバ"),
    "PS": ("Palestine", "State of Palestine", "West Bank", "Gaza", "パレスチナ"),
    # GeoNames files the places of the unrecognised Turkish Republic of Northern Cyprus under CY.
    "CY": ("Northern Cyprus", "Cyprus", "キプロス"),
}

_JA_FORMS = (
    r"人民民主共和国|社会主義共和国|民主共和国|連邦共和国|連合共和国|多民族国"
    r"|イスラム共和国|アラブ共和国|ボリバル共和国|共和国|連邦|王国|大公国|公国|独立国"
    r"|合衆国|国"
)
_JA_SHORT = re.compile(rf"^(?P<stem>[\u30a0-\u30ff・]+?)・?(?:{_JA_FORMS})$")
_JA_PAREN = re.compile(r"^(.*?)\s*\((.*?)\s*\)$")


def ja_short(name: str) -> list[str]:
    """Short Japanese forms: ``ロシア連邦`` -> ``ロシア``, ``大韓民国 (韓国)`` -> both parts."""
    if match := _JA_PAREN.match(name):
        return [part for part in match.groups() if part]
    if match := _JA_SHORT.match(name):
        return [match["stem"]]
    return []


def inverted(name: str) -> list[str]:
    """``"Korea, Republic of"`` -> ``["Republic of Korea", "Korea"]``; ``[]`` without a comma."""
    if ", " not in name:
        return []
    head, tail = name.split(", ", 1)
    return [f"{tail} {head}", head]


@cache
def _catalog(domain: str, language: str) -> gettext.NullTranslations:
    try:
        return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language])
    except OSError:
        return gettext.NullTranslations()


def translations(domain: str, name: str, languages: tuple[str, ...]) -> list[str]:
    """pycountry's translations of a name (``iso3166-1`` or ``iso3166-2``), untranslated dropped."""
    if not name:
        return []  # gettext("") is the catalogue header
    found = (_catalog(domain, lang).gettext(name) for lang in languages)
    return list(dict.fromkeys(t for t in found if t and t != name))


_BRACKETS = re.compile(r"^(?P<main>[^\[(]+?)\s*[\[(](?P<alt>[^\])]+)[\])]$")
_CN_SUFFIX = re.compile(r"^(?P<stem>\S+)\s+(?:\S+\s+)?(?P<kind>Sheng|Shi|Zizhiqu|Tebiexingzhengqu)$")
_CN_ENGLISH = {
    "Sheng": "Province",
    "Shi": "Municipality",
    "Zizhiqu": "Autonomous Region",
    "Tebiexingzhengqu": "SAR",
}
_KR_SUFFIX = re.compile(
    r"^(?P<stem>.+?)-(?:do|teukbyeolsi|gwangyeoksi|teukbyeoljachisi|"
    r"teukbyeoljachido)$"
)
_KR_HALF = re.compile(r"^(?P<stem>.+?)(?P<half>buk|nam)$")
_RU_FORMS = {
    "kray": "Krai",
    "oblast'": "Oblast",
    "avtonomnyy okrug": "Autonomous Okrug",
    "avtonomnaya oblast'": "Autonomous Oblast",
}
_RU_ADJ = re.compile(r"^(?P<stem>.+?)(?P<ending>skiy|skaya|kiy|kaya|iy|aya|yy)\s+(?P<form>.+)$")


def _russian(name: str) -> list[str]:
    """``Primorskiy kray`` -> Primorsky Krai, Primorsk Krai; ``Sakhalinskaya oblast'`` ->
    Sakhalin Oblast, Sakhalinsk Oblast."""
    match = _RU_ADJ.match(name)
    if not match or match["form"] not in _RU_FORMS:
        return []
    stem, form = match["stem"], _RU_FORMS[match["form"]]
    if match["ending"] == "skiy":
        stems = [stem + "sky", stem + "sk"]
    elif match["ending"] == "skaya":
        stems = [stem, stem + "sk"]
    else:
        stems = [stem + match["ending"][:-2] + "y", stem]
    return [f"{s} {form}" for s in stems] + stems


def subdivision_aliases(name: str, country: str, kind: str) -> list[str]:
    """Generated alternative names of an ISO 3166-2 subdivision (English and romanised)."""
    aliases: list[str] = []
    if match := _BRACKETS.match(name):
        aliases += [match["main"], re.sub(r"\s+[A-Z]{2}-[A-Z0-9]+$", "", match["alt"])]
    aliases += inverted(name)
    if country == "CN" and (match := _CN_SUFFIX.match(name)):
        aliases += [match["stem"], f"{match['stem']} {_CN_ENGLISH[match['kind']]}"]
    if country == "KR" and (match := _KR_SUFFIX.match(name)):
        stem = match["stem"]
        aliases += [stem, stem + ("do" if name.endswith("-do") else "")]
        if half := _KR_HALF.match(stem):
            side = "North" if half["half"] == "buk" else "South"
            aliases += [f"{side} {half['stem']}", f"{side} {half['stem']} Province"]
    if country == "RU":
        aliases += _russian(name)
    if kind in {"Province", "State", "Prefecture", "Region"} and not re.search(r"[\s-]", name):
        aliases.append(f"{name} {kind}")
    return [a for a in dict.fromkeys(aliases) if a and a != name]
