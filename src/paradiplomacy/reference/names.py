"""Name normalisation, qualifier splitting, romanisation and the name variants of places.

Romanisation rule (used for :attr:`LocalGovernment.name_romaji`): modified Hepburn as produced
by jaconv from the official kana reading (``n'`` before a vowel or y, ``tch`` for ``ッチ``), then
long vowels written with macrons: ``おう``/``おお`` become ``ō`` and ``うう`` becomes ``ū``
(``トウキョウ`` -> ``Tōkyō``, ``コウベ`` -> ``Kōbe``, ``キタキュウシュウ`` -> ``Kitakyūshū``);
``ei``/``ii`` are kept and syllabic ``n`` stays ``n``. :func:`romaji_forms` adds the plain
(``Kobe``), kana-spelling (``Koube``) and traditional ``m``-before-labial (``Gumma``) forms.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

import jaconv
from anyascii import anyascii

if TYPE_CHECKING:
    from paradiplomacy.reference.japan import LocalGovernment
    from paradiplomacy.reference.world import City

__all__ = [
    "KANJI_COUNTRIES",
    "city_variants",
    "japanese_name",
    "japanese_variants",
    "kana_to_romaji",
    "normalize",
    "romaji_forms",
    "split_qualifier",
    "split_suffix",
    "strip_macrons",
    "useful_alternate",
]

_LATIN = re.compile(r"[\u00c0-\u024f\u1e00-\u1eff\u0250-\u02af]")
_COMBINING = re.compile(r"[\u0300-\u036f]")
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―−_'’‘`´ʼʻ\"“”.,・·/]+")
_TOKEN_SYNONYMS = {"st": "saint", "ste": "sainte", "sankt": "saint", "mt": "mount", "ft": "fort", "&": "and"}
_SYNONYM = re.compile(r"\b(?:st|ste|sankt|mt|ft)\b|&")
# Katakana -> hiragana (jaconv's mapping), small ke/ka -> full size, and kanji variants that
# NFKC leaves alone but that people type interchangeably.
_KANA_FOLD = str.maketrans(
    {
        **{chr(c): jaconv.kata2hira(chr(c)) for c in range(0x30A1, 0x30F7)},
        "ヵ": "か",
        "ヶ": "け",
        "ゖ": "け",
        "ゕ": "か",
        "髙": "高",
        "﨑": "崎",
        "𠮷": "吉",
    }
)


def normalize(text: str) -> str:
    """A matching key: NFKC, casefolded, Latin diacritics stripped, kana folded to hiragana,
    separators (spaces, hyphens, apostrophes, dots) removed, ``St.``/``Mt.`` expanded."""
    if text.isascii():
        folded = text.lower()
    else:
        # NFKD (compatibility + canonical decomposition), drop Latin combining marks, recompose:
        # Kōbe -> kobe, ｺｳﾍﾞ -> コウベ (the kana voicing mark is not a Latin combining mark).
        folded = unicodedata.normalize("NFKD", text.casefold())
        folded = unicodedata.normalize("NFC", _COMBINING.sub("", folded))
        if _LATIN.search(folded):
            folded = _LATIN.sub(lambda m: anyascii(m.group()), folded)
        folded = folded.lower().translate(_KANA_FOLD)
    if _SYNONYM.search(folded):
        folded = _SYNONYM.sub(lambda m: _TOKEN_SYNONYMS[m.group()], folded)
    key = _SEPARATORS.sub("", folded)
    return _TOKEN_SYNONYMS.get(key, key)


_PAREN = re.compile(r"^(?P<base>.*?\S)\s*[(（\[［](?P<qual>[^()（）\[\]［］]*)[)）\]］]\s*$", re.S)
_COMMA = re.compile(r"\s*[,，、]\s*")


def split_qualifier(text: str) -> tuple[str, str | None]:
    """Split ``"Setagaya (Tokyo)"``, ``"府中市（東京都）"`` or ``"Bayside, New South Wales"``
    into the name and its qualifier (``None`` when there is none)."""
    stripped = text.strip()
    match = _PAREN.match(stripped)
    if match and match["qual"].strip():
        return match["base"].strip(), match["qual"].strip()
    parts = _COMMA.split(stripped, maxsplit=1)
    if len(parts) == 2 and parts[0].strip() and parts[1].strip():
        return parts[0].strip(), parts[1].strip()
    return stripped, None


_LONG = re.compile(r"o[ou]|uu")
_MACRON = {"oo": "ō", "ou": "ō", "uu": "ū"}
_LABIAL_N = re.compile(r"n(?=[bmp])")


_N_BEFORE_VOWEL = re.compile(r"ン(?=[アイウエオヤユヨ])")
_CHOONPU = re.compile(r"([aeiou])-")


@lru_cache(maxsize=8192)
def _hepburn(kana: str) -> str:
    """jaconv's Hepburn, with ``n'`` before a vowel, ``tch`` for ッチ and ー as a doubled vowel."""
    marked = _N_BEFORE_VOWEL.sub("ン'", jaconv.hira2kata(kana))
    romaji = jaconv.kata2alphabet(marked).replace("cch", "tch")
    return _CHOONPU.sub(r"\1\1", romaji)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def kana_to_romaji(kana: str) -> str:
    """Capitalised Hepburn with macrons for a kana reading (``コウベ`` -> ``Kōbe``)."""
    return _capitalise(_LONG.sub(lambda m: _MACRON[m.group()], _hepburn(kana)))


def strip_macrons(text: str) -> str:
    """Drop macrons, circumflexes and the syllabic-n apostrophe (``Kan'onji`` -> ``Kanonji``)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", _COMBINING.sub("", decomposed)).replace("'", "")


def romaji_forms(kana: str) -> tuple[str, ...]:
    """Distinct romanisations of a kana reading: macron, plain, kana-spelling, traditional, and
    the passport spelling of ō as "oh" (``Minoh``)."""
    macron = kana_to_romaji(kana)
    wapuro = _capitalise(_hepburn(kana))
    forms = [
        macron,
        strip_macrons(macron),
        strip_macrons(wapuro),
        _LABIAL_N.sub("m", strip_macrons(macron)),
        strip_macrons(macron.replace("ō", "oh").replace("Ō", "Oh")),
    ]
    return tuple(dict.fromkeys(forms))


# Kanji suffix -> possible kana readings; 北海道 keeps its 道 (北海 is no name).
_KANA_SUFFIXES = {
    "市": ("シ",),
    "区": ("ク",),
    "町": ("チョウ", "マチ"),
    "村": ("ソン", "ムラ"),
    "都": ("ト",),
    "府": ("フ",),
    "県": ("ケン",),
}


def split_suffix(name_ja: str, kana: str) -> tuple[str, str, str, str]:
    """Split a local-government name and its reading into stem and suffix:
    ``("神戸市", "コウベシ")`` -> ``("神戸", "コウベ", "市", "シ")``."""
    suffix = name_ja[-1:]
    for reading in _KANA_SUFFIXES.get(suffix, ()):
        if len(name_ja) > 1 and kana.endswith(reading) and len(kana) > len(reading):
            return name_ja[:-1], kana[: -len(reading)], suffix, reading
    return name_ja, kana, "", ""


_ROMAJI_SUFFIX = {
    "シ": "shi",
    "ク": "ku",
    "チョウ": "cho",
    "マチ": "machi",
    "ソン": "son",
    "ムラ": "mura",
    "ト": "to",
    "フ": "fu",
    "ケン": "ken",
}
_ENGLISH = {
    "prefecture": ("Prefecture",),
    "designated_city": ("City",),
    "city": ("City",),
    "special_ward": ("City", "Ward", "Special Ward"),
    "ward": ("Ward",),
    "town": ("Town",),
    "village": ("Village",),
}


# Official English names that romanising the reading does not give (a loanword in the name).
_ENGLISH_NAMES: dict[str, tuple[str, ...]] = {
    "南アルプス市": ("Minami-Alps", "Minami Alps", "Minami-Alps City"),
}


def japanese_variants(lg: LocalGovernment) -> set[str]:
    """Every name a user might type for a local government: kanji with and without suffix,
    kana and hiragana, romaji (macron, plain, long-vowel spellings) with English and
    Japanese suffixes (``Kobe City``, ``Kobe-shi``, ``Hokkaido Prefecture``, ``Tokyo-to``)."""
    stem_ja, stem_kana, _suffix, suffix_kana = split_suffix(lg.name_ja, lg.name_kana)
    variants = {
        lg.name_ja,
        lg.full_name_ja,
        stem_ja,
        lg.name_kana,
        stem_kana,
        jaconv.kata2hira(lg.name_kana),
        jaconv.kata2hira(stem_kana),
        lg.name_romaji,
    }
    english = list(_ENGLISH.get(lg.lg_type, ()))
    if lg.name_ja == "東京都":
        english += ["Metropolis", "Metropolitan Government"]
    japanese = _ROMAJI_SUFFIX.get(suffix_kana)
    for form in (lg.name_romaji, *romaji_forms(stem_kana)):
        variants.add(form)
        variants.update(f"{form} {word}" for word in english)
        if lg.lg_type in {"city", "designated_city", "special_ward"}:
            variants.add(f"City of {form}")
        if japanese:
            variants.add(f"{form}-{japanese}")
            if japanese == "cho":
                variants.add(f"{form}-chō")
    variants.update(_ENGLISH_NAMES.get(lg.name_ja, ()))
    return {v for v in variants if v}


_ASCII_LETTER = re.compile(r"[A-Za-z]")
_KEEP_SCRIPTS = re.compile(
    r"^[\s\x20-\x7e\u00a0-\u024f\u1e00-\u1eff\u2010-\u2019\u3000-\u30ff\u3400-\u4dbf"
    r"\u4e00-\u9fff\uac00-\ud7af\u1100-\u11ff\u3130-\u318f\uff00-\uffef]+$"
)


def useful_alternate(name: str) -> bool:
    """Keep Latin-script, Japanese, Chinese and Korean names; drop other scripts, airport-style
    codes and GeoNames' lower-case machine transliterations (``xin gong shi``)."""
    if not name or len(name) > 60:
        return False
    if name.isascii():
        return not (name.islower() or not _ASCII_LETTER.search(name) or (name.isupper() and len(name) <= 4))
    return _KEEP_SCRIPTS.match(name) is not None


def city_variants(city: City) -> set[str]:
    """A world city's name, ASCII name and its kept alternates."""
    return {n for n in (city.name, city.ascii_name, *city.alternates) if n}


_KANA = re.compile(r"[\u3040-\u30ff]")
_CJK = re.compile(r"[\u4e00-\u9fff]")


#: Countries whose places have kanji names a Japanese reader uses (北京, 釜山); elsewhere a name in
#: kanji is a Chinese transcription (赫爾河畔京士頓 for Hull), and only kana will do.
KANJI_COUNTRIES = frozenset({"JP", "CN", "TW", "HK", "MO", "KR", "KP"})


def japanese_name(names: list[str], country: str | None = None) -> str | None:
    """The name a Japanese reader would use among a place's alternate names: one in kana, else
    (in :data:`KANJI_COUNTRIES`, or when the country is not given) the shortest in kanji that
    Shift_JIS can write, so not a simplified-Chinese form."""
    kana = [n for n in names if _KANA.search(n)]
    if kana:
        return min(kana, key=len)
    if country is not None and country not in KANJI_COUNTRIES:
        return None

    def writable(name: str) -> bool:
        try:
            name.encode("cp932")
        except UnicodeEncodeError:
            return False
        return True

    kanji = sorted((n for n in names if _CJK.search(n) and writable(n)), key=len)
    return kanji[0] if kanji else None
