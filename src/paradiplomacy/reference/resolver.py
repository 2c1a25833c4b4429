"""Ranked, in-memory name resolution over any set of named entities (pure Python).

Rules, in order:

1. The query (``"Setagaya (Tokyo)"``) is split into a name and a qualifier; names are compared
   by :func:`~.names.normalize` key, so exact matches are dict hits.
2. ``country`` keeps only entities of that country; a qualifier keeps only entities whose
   qualifiers (parent names) or country match it. A qualifier that matches no candidate is
   ignored, but then nothing is resolved without ``near``.
3. Among exact matches only the highest ``priority`` counts, and a match within
   :data:`SAME_PLACE_KM` of a more populous one of the same country is taken for the same place
   (GeoNames' districts and duplicates). One left: resolved. Several:
   ``near`` picks the clearly closest (within :data:`NEAR_KM` and at most a third as far as the
   next); failing that, a match at least :data:`DOMINANT_RATIO` times as populous as every
   namesake (all populations known, the largest at least :data:`DOMINANT_POPULATION`: Xi'an,
   Dalian) is resolved; otherwise ambiguous, with the ranked candidates. A lone match more than
   :data:`NEAR_VETO_KM` from ``near`` is flagged ambiguous instead of resolved. Before giving up
   on exact matches a generic word (``City of``, ``-city``, ``municipality``) is dropped, and
   each part of a compound name (``Berlin – Steglitz-Zehlendorf``) is tried.
4. No exact match: fuzzy matching (rapidfuzz ratio, cut-off :data:`FUZZY_CUTOFF`) among names
   of similar length, within the country when one is given. A lone strong hit (score at least
   :data:`FUZZY_RESOLVE`, clear of the next) is resolved; otherwise ambiguous or unresolved.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, replace
from typing import Literal

from rapidfuzz import fuzz, process

from paradiplomacy.reference.names import normalize, split_qualifier

__all__ = [
    "DOMINANT_POPULATION",
    "DOMINANT_RATIO",
    "FUZZY_CUTOFF",
    "FUZZY_RESOLVE",
    "NEAR_KM",
    "NEAR_VETO_KM",
    "REGIONAL_WORDS",
    "SAME_PLACE_KM",
    "Candidate",
    "NameIndex",
    "Resolution",
    "compound_parts",
    "distance_km",
    "dominant",
    "nearest",
    "numerals",
    "place_parts",
    "with_reason",
    "without_namesakes_nearby",
]

FUZZY_CUTOFF = 85.0
FUZZY_RESOLVE = 90.0
NEAR_KM = 50.0
NEAR_VETO_KM = 100.0
SAME_PLACE_KM = 25.0
DOMINANT_POPULATION = 100_000
DOMINANT_RATIO = 20
_COMPOUND = re.compile(r"\s+[–—-]\s+")
_MIN_FUZZY_LEN = 4
_GENERIC_PREFIXES = ("cityof", "municipalityof", "townof", "villageof", "countyof")
_GENERIC_SUFFIXES = ("city", "municipality", "town", "village", "shi", "island", "county", "district")
#: Words that name a region: stripped only to match a region (``São Paulo State`` is the state of
#: São Paulo, never the city).
REGIONAL_WORDS = ("state", "province", "prefecture", "region", "oblast", "krai", "governorate")
_REGIONAL_SUFFIXES = REGIONAL_WORDS
_REGIONAL_KINDS = frozenset({"foreign_region", "prefecture"})
_FOREIGN_CITY_WORD = "市"


def japanese_variants(text: str) -> list[str]:
    """Other writings of a foreign place's name in Japanese script: the state written first
    (テキサス州ガルベストン市 as ガルベストン市（テキサス州）), the name's kanji in their traditional
    form (哈爾浜市 as 哈爾濱市) and the whole in simplified Chinese (大連市（遼寧省）as
    大连市（辽宁省）), each alone and in turn."""
    if not _JAPANESE.search(text):
        return []
    found = [text]
    if match := _REGION_FIRST.match(text.strip()):
        found.append(f"{match[2]}（{match[1]}）")
    for written in list(found):
        base, qualifier = split_qualifier(written)
        traditional = base.translate(TRADITIONAL_FORMS)
        found.append(f"{traditional}（{qualifier}）" if qualifier else traditional)
        found.append(written.translate(SIMPLIFIED_FORMS))
    return [v for v in dict.fromkeys(found) if v != text]


_JAPANESE = re.compile(r"[\u30a0-\u30ff\u4e00-\u9fff]")
_REGION_FIRST = re.compile(r"^([\u30a0-\u30ff\u4e00-\u9fff]{2,}?[州省])([\u30a0-\u30ff\u4e00-\u9fff]{2,})$")
#: The word for a region or a municipality at the end of a qualifier as Japanese writes it
#: (ニューサウスウェールズ州, 遼寧省, テキサス州): a parent's names often lack it.
_REGION_WORD = re.compile(r"(?:州|省|県|道|府|都|市|区|郡|自治区|特別市|広域市|\s*(?:state|province))$")
#: Kanji Japanese writes in their reformed (shinjitai) form where Chinese, Korean and Taiwanese
#: names keep the traditional one (哈爾浜 / 哈爾濱, 黒竜江 / 黑龍江, 済南 / 濟南): tried when a
#: name matches nothing as written.
TRADITIONAL_FORMS = str.maketrans(
    {
        "浜": "濱",
        "黒": "黑",
        "竜": "龍",
        "済": "濟",
        "斉": "齊",
        "鉄": "鐵",
        "関": "關",
        "湾": "灣",
        "仏": "佛",
        "恵": "惠",
        "塩": "鹽",
        "営": "營",
        "徳": "德",
        "温": "溫",
        "渓": "溪",
        "黄": "黃",
        "広": "廣",
        "沢": "澤",
        "豊": "豐",
        "寿": "壽",
        "栄": "榮",
        "楽": "樂",
        "辺": "邊",
        "亜": "亞",
        "県": "縣",
        "区": "區",
        "郷": "鄉",
        "蔵": "藏",
        "剣": "劍",
        "芸": "藝",
        "桜": "櫻",
        "変": "變",
        "鎮": "鎭",
    }
)
#: Kanji of Chinese place names as Japanese writes them -> simplified Chinese (遼寧 / 辽宁).
SIMPLIFIED_FORMS = str.maketrans(
    dict(
        zip(
            "遼寧東広黒竜蘇陝貴雲門島陽蘭漢鄭華済長連爾浜濱斉瀋慶開鉄関営豊楽興鎮義湯紹塩溝嶺亜臨煙濰鶏"
            "厦廈場頭灣湾陰滬滇黔閩贛遠満壽寿鄉郷縣県區区園远陸陵順須韓馬魯鳳龍齊濟歐偉價們",
            "辽宁东广黑龙苏陕贵云门岛阳兰汉郑华济长连尔滨滨齐沈庆开铁关营丰乐兴镇义汤绍盐沟岭亚临烟潍鸡"
            "厦厦场头湾湾阴沪滇黔闽赣远满寿寿乡乡县县区区园远陆陵顺须韩马鲁凤龙齐济欧伟价们",
            strict=True,
        )
    )
)


@dataclass(frozen=True)
class Candidate:
    """One possible referent of a name; ``score`` is 1.0 for an exact match."""

    entity_id: int | str
    name: str
    country: str | None
    score: float
    matched: str
    reason: str
    lat: float | None
    lon: float | None
    population: int | None
    kind: str | None


@dataclass(frozen=True)
class Resolution:
    """The outcome of :meth:`NameIndex.resolve`."""

    status: Literal["resolved", "ambiguous", "unresolved"]
    query: str
    match: Candidate | None
    candidates: tuple[Candidate, ...]
    reason: str = ""  # why it is not resolved, when more can be said than the status


@dataclass(slots=True)
class _Entry:
    entity_id: Hashable
    name: str
    country: str | None
    qualifiers: frozenset[str]
    lat: float | None
    lon: float | None
    population: int | None
    kind: str | None
    priority: int


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, lon) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))


class NameIndex:
    """Names of entities, looked up exactly (dict) or fuzzily (per country, bounded)."""

    def __init__(self) -> None:
        self._entries: list[_Entry] = []
        self._slot: dict[Hashable, int] = {}
        self._exact: dict[str, list[int]] = {}
        # (country, key length) -> ([keys], [entry slots]) for fuzzy matching
        self._fuzzy: dict[tuple[str | None, int], tuple[list[str], list[int]]] = defaultdict(lambda: ([], []))
        self._lengths: set[int] = set()
        # qualifier lists repeat (every ward of a city, every town of a state): share their sets
        self._qualifier_sets: dict[tuple[str, ...], frozenset[str]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def add(
        self,
        entity_id: Hashable,
        names: Iterable[str],
        *,
        country: str | None,
        qualifiers: Iterable[str] = (),
        lat: float | None = None,
        lon: float | None = None,
        population: int | None = None,
        kind: str | None = None,
        priority: int = 0,
        label: str | None = None,
        keys: Iterable[str] | None = None,
    ) -> None:
        """Index an entity under its names; adding the same id again merges names/qualifiers.

        ``keys`` may give the names' :func:`normalize` keys already computed (a store keeps them).

        ``qualifiers`` are parent names (prefecture, state, country) that honour queries like
        ``"Portland (Oregon)"``; ``priority`` ranks entities and decides between exact matches;
        ``label`` is the name candidates show (default: the first name).
        """
        names = [n for n in names if n]
        quals = self._qualifier_set(tuple(qualifiers))
        slot = self._slot.get(entity_id)
        new = slot is None
        if slot is None:
            slot = len(self._entries)
            self._slot[entity_id] = slot
            shown = label or (names[0] if names else str(entity_id))
            self._entries.append(
                _Entry(entity_id, shown, country, quals, lat, lon, population, kind, priority)
            )
        else:
            self._entries[slot].qualifiers = self._entries[slot].qualifiers | quals
        known: set[str] = set()
        for key in keys if keys is not None else map(normalize, names):
            if not key or key in known:
                continue
            known.add(key)
            bucket = self._exact.get(key)
            if bucket is None:
                self._exact[key] = [slot]
            elif new or slot not in bucket:
                bucket.append(slot)
            else:
                continue
            keys, slots = self._fuzzy[(country, len(key))]
            keys.append(key)
            slots.append(slot)
            self._lengths.add(len(key))

    def _qualifier_set(self, qualifiers: tuple[str, ...]) -> frozenset[str]:
        found = self._qualifier_sets.get(qualifiers)
        if found is None:
            found = frozenset(key for q in qualifiers if q and (key := normalize(q)))
            self._qualifier_sets[qualifiers] = found
        return found

    def candidates(
        self, text: str, *, country: str | None = None, near: tuple[float, float] | None = None
    ) -> tuple[list[Candidate], bool, bool]:
        """All ranked candidates, whether they are exact matches, and whether a qualifier in the
        text held (or there was none): the raw material of a caller's own resolution rules."""
        return self._search(text, country, near)

    def lookup(
        self,
        text: str,
        *,
        country: str | None = None,
        near: tuple[float, float] | None = None,
        limit: int = 10,
    ) -> list[Candidate]:
        """Ranked candidates for a name (exact matches, else fuzzy ones)."""
        return self._search(text, country, near)[0][:limit]

    def resolve(
        self,
        text: str,
        *,
        country: str | None = None,
        near: tuple[float, float] | None = None,
        variants: bool = True,
    ) -> Resolution:
        """Resolve a name to one entity, or say why not (see the module rules). With ``variants``,
        a name in Japanese script that matches nothing exactly is also tried as Japanese writes
        foreign places (see :func:`japanese_variants`)."""
        found = self._resolve(text, country, near)
        if found.status != "resolved" and variants:
            for variant in japanese_variants(text):
                other = self._resolve(variant, country, near)
                if other.status == "resolved":
                    return replace(other, query=text)
        return found

    def _resolve(self, text: str, country: str | None, near: tuple[float, float] | None) -> Resolution:
        candidates, exact, qualified = self._search(text, country, near)
        if not candidates:
            return Resolution("unresolved", text, None, ())
        ranked = tuple(candidates[:10])
        if exact:
            top = max(self._entries[self._slot[c.entity_id]].priority for c in candidates)
            group = without_namesakes_nearby(
                [c for c in candidates if self._entries[self._slot[c.entity_id]].priority == top]
            )
        else:
            group = [c for c in candidates if c.score * 100 >= FUZZY_RESOLVE]
            if len(group) == 1 and len(candidates) > 1 and candidates[1].score > group[0].score - 0.08:
                group = candidates[:2]
        if len(group) == 1 and qualified:
            far = _distance(group[0], near)
            if far is None or far <= NEAR_VETO_KM:
                return Resolution("resolved", text, group[0], ranked)
            flagged = with_reason(group[0], f"{far:.0f} km from the given coordinates")
            return Resolution("ambiguous", text, None, (flagged, *ranked[1:]))
        if near is not None and (pick := nearest(group or candidates, near)) is not None:
            return Resolution("resolved", text, with_reason(pick, "nearest to the given coordinates"), ranked)
        if exact and qualified and (big := dominant(group)) is not None:
            far = _distance(big, near)
            if far is None or far <= NEAR_VETO_KM:
                return Resolution("resolved", text, big, ranked)
        return Resolution("ambiguous", text, None, ranked)

    # -- internals -------------------------------------------------------------------------

    def _search(
        self, text: str, country: str | None, near: tuple[float, float] | None
    ) -> tuple[list[Candidate], bool, bool]:
        """(ranked candidates, whether they are exact, whether a qualifier held or was absent)."""
        whole = normalize(text)
        slots = self._exact_slots(whole, country)
        qualifier: str | None = None
        if slots:
            matched, reason = whole, "exact name"
        else:
            base, qualifier = split_qualifier(text)
            matched, reason = normalize(base), "exact name"
            slots = self._exact_slots(matched, country)
            if not slots:
                matched, slots = self._generic_stripped(matched, country)
                reason = "exact name without generic word"
            if not slots and (parts := compound_parts(base)):  # "Berlin – Steglitz-Zehlendorf"
                # the last part is the place and the others contain it: "Osaka – Kita" is Kita ward
                # of Osaka. When the last part is unknown the name is not resolved: "Seoul – Mapo"
                # is not Seoul.
                outer, inner = parts
                if slots := self._exact_slots(normalize(inner), country):
                    matched, reason = normalize(inner), "exact name of one part"
                    qualifier = qualifier or outer or None
        qualified = True
        if slots and qualifier:
            slots, qualified = self._qualify(slots, qualifier)
        if slots:
            score = {"exact name": 1.0, "exact name of one part": 0.9}.get(reason, 0.95)
            return self._rank({s: score for s in slots}, matched, reason, near), True, qualified
        if len(matched) < _MIN_FUZZY_LEN:
            return [], False, qualified
        scores = self._fuzzy_slots(matched, country, numerals(split_qualifier(text)[0]))
        if qualifier and scores:
            kept, qualified = self._qualify(list(scores), qualifier)
            scores = {s: scores[s] for s in kept}
        return self._rank(scores, matched, "fuzzy name", near), False, qualified

    def _exact_slots(self, key: str, country: str | None) -> list[int]:
        slots = self._exact.get(key, ())
        if country is None:
            return list(slots)
        return [s for s in slots if self._entries[s].country == country]

    def _generic_stripped(self, key: str, country: str | None) -> tuple[str, list[int]]:
        for prefix in _GENERIC_PREFIXES:
            if key.startswith(prefix) and (slots := self._exact_slots(key[len(prefix) :], country)):
                return key[len(prefix) :], slots
        for suffix in _GENERIC_SUFFIXES:  # a word for a town or county never names a state
            if key.endswith(suffix) and (
                slots := [
                    s
                    for s in self._exact_slots(key[: -len(suffix)], country)
                    if self._entries[s].kind not in _REGIONAL_KINDS
                ]
            ):
                return key[: -len(suffix)], slots
        if key.endswith(_FOREIGN_CITY_WORD) and (
            slots := [  # 哈爾濱市: Japanese adds 市 to a foreign city's name; its own names lack it
                s
                for s in self._exact_slots(key.removesuffix(_FOREIGN_CITY_WORD), country)
                if self._entries[s].country not in (None, "JP")
                and self._entries[s].kind not in _REGIONAL_KINDS
            ]
        ):
            return key.removesuffix(_FOREIGN_CITY_WORD), slots
        for suffix in _REGIONAL_SUFFIXES:
            if key.endswith(suffix):
                slots = [
                    s
                    for s in self._exact_slots(key[: -len(suffix)], country)
                    if self._entries[s].kind in _REGIONAL_KINDS
                ]
                if slots:
                    return key[: -len(suffix)], slots
        return key, []

    def _qualify(self, slots: list[int], qualifier: str) -> tuple[list[int], bool]:
        from paradiplomacy.reference.world import country_code  # lazy: loads pycountry

        key = normalize(qualifier)
        kept = [s for s in slots if key in self._entries[s].qualifiers]
        bare = _REGION_WORD.sub("", key)
        if not kept and bare:  # ニューサウスウェールズ州 for ニューサウスウェールズ, 新潟 for 新潟県
            kept = [
                s
                for s in slots
                if bare in self._entries[s].qualifiers
                or any(_REGION_WORD.sub("", q) == bare for q in self._entries[s].qualifiers)
            ]
        if not kept:
            code = country_code(qualifier)
            kept = [s for s in slots if code and self._entries[s].country == code]
        return (kept, True) if kept else (slots, False)

    def _fuzzy_slots(self, key: str, country: str | None, numbered: tuple[str, ...] = ()) -> dict[int, float]:
        """Slots whose names look like ``key``; a name must hold each of the ``numbered`` tokens
        (``Prague 1`` is not Prague, ``Budapest XVI`` not Budapest: a number makes another place)."""
        low, high = math.ceil(len(key) * 0.74), math.floor(len(key) / 0.74)
        countries = [country] if country is not None else sorted({c for c, _n in self._fuzzy}, key=str)
        best: dict[int, float] = {}
        for code in countries:
            for length in range(low, high + 1):
                if length not in self._lengths or (code, length) not in self._fuzzy:
                    continue
                keys, slots = self._fuzzy[(code, length)]
                for found, score, i in process.extract(
                    key, keys, scorer=fuzz.ratio, limit=20, score_cutoff=FUZZY_CUTOFF
                ):
                    if any(token not in found for token in numbered):
                        continue
                    slot = slots[i]
                    best[slot] = max(best.get(slot, 0.0), score / 100)
        return best

    def _rank(
        self, scores: dict[int, float], matched: str, reason: str, near: tuple[float, float] | None
    ) -> list[Candidate]:
        def order(slot: int) -> tuple[float, ...]:
            entry = self._entries[slot]
            far = 0.0
            if near is not None:
                far = (
                    distance_km(near, (entry.lat, entry.lon))
                    if entry.lat is not None and entry.lon is not None
                    else math.inf
                )
            return (-scores[slot], -entry.priority, far, -(entry.population or 0))

        result = []
        for slot in sorted(scores, key=order):
            e = self._entries[slot]
            result.append(
                Candidate(
                    e.entity_id,
                    e.name,
                    e.country,
                    round(scores[slot], 4),
                    matched,
                    reason,
                    e.lat,
                    e.lon,
                    e.population,
                    e.kind,
                )
            )
        return result


def compound_parts(name: str) -> tuple[str, str] | None:
    """``"Seoul – Mapo"`` -> (``"Seoul"``, ``"Mapo"``): what contains the place, and the place;
    ``None`` for a name that is not compound."""
    if not _COMPOUND.search(name):
        return None
    *outer, inner = _COMPOUND.split(name.strip())
    return " ".join(outer), inner


_NUMERAL = re.compile(r"\b(\d+|[IVXL]+)\b")


def numerals(name: str) -> tuple[str, ...]:
    """The numbers in a name, as matching keys hold them: ``Prague 10`` -> ``("10",)``,
    ``Budapest XVI`` -> ``("xvi",)`` (Roman numerals only in capitals: ``Vi`` is a word)."""
    return tuple(m.lower() for m in _NUMERAL.findall(name))


def place_parts(name: str) -> tuple[str, str | None]:
    """A place's own name and the place it names as containing it, if any: ``Seoul – Mapo`` and
    ``Mapo (Seoul)`` -> (``"Mapo"``, ``"Seoul"``); ``Bayside, New South Wales`` -> (``"Bayside"``,
    ``"New South Wales"``); ``Kobe`` -> (``"Kobe"``, ``None``)."""
    if (parts := compound_parts(name)) is not None:
        outer, inner = parts
        return inner, outer
    base, qualifier = split_qualifier(name)
    return (base, qualifier) if qualifier else (name.strip(), None)


def lookup_keys(text: str) -> set[str]:
    """Every matching key :meth:`NameIndex.resolve` may look up exactly for ``text``: the whole
    name, the name without its qualifier, without a generic word, and each part of a compound name.
    An index that holds every entity bearing one of these keys resolves ``text`` exactly as the
    full index would (fuzzy matching aside)."""
    keys = {normalize(text)}
    base, _qualifier = split_qualifier(text)
    key = normalize(base)
    keys.add(key)
    for prefix in _GENERIC_PREFIXES:
        if key.startswith(prefix):
            keys.add(key[len(prefix) :])
    for suffix in _GENERIC_SUFFIXES + _REGIONAL_SUFFIXES:
        if key.endswith(suffix):
            keys.add(key[: -len(suffix)])
    if _COMPOUND.search(base):
        keys.update(normalize(part) for part in _COMPOUND.split(base))
    return {k for k in keys if k}


def without_namesakes_nearby(group: list[Candidate]) -> list[Candidate]:
    """Drop candidates within :data:`SAME_PLACE_KM` of a more populous one of the same country and
    kind (GeoNames lists a city's districts and duplicates under its name: Dalian, Xi'an)."""
    kept: list[Candidate] = []
    dropped = 0
    for cand in sorted(group, key=lambda c: -(c.population or 0)):
        if any(
            k.country == cand.country
            and k.kind == cand.kind
            and (d := _distance(k, (cand.lat, cand.lon))) is not None
            and d <= SAME_PLACE_KM
            for k in kept
            if cand.lat is not None and cand.lon is not None
        ):
            dropped += 1
            continue
        kept.append(cand)
    if not dropped:
        return group
    note = f"{dropped} namesake(s) within {SAME_PLACE_KM:.0f} km ignored"
    return [with_reason(c, note) for c in sorted(kept, key=group.index)]


def dominant(group: list[Candidate], ratio: float = DOMINANT_RATIO) -> Candidate | None:
    """The candidate at least ``ratio`` times as populous as every other (and at least
    :data:`DOMINANT_POPULATION`); an unknown population (``None``) blocks the rule."""
    if len(group) < 2 or any(c.population is None for c in group):
        return None
    ordered = sorted(group, key=lambda c: -(c.population or 0))
    top, second = ordered[0].population or 0, ordered[1].population or 0
    if top >= DOMINANT_POPULATION and top >= ratio * second:
        return with_reason(ordered[0], f"over {ratio:g}x as populous as its namesakes")
    return None


def with_reason(candidate: Candidate, note: str) -> Candidate:
    return replace(candidate, reason=f"{candidate.reason}; {note}")


def _distance(candidate: Candidate, near: tuple[float, float] | None) -> float | None:
    if near is None or candidate.lat is None or candidate.lon is None:
        return None
    return distance_km(near, (candidate.lat, candidate.lon))


def nearest(candidates: list[Candidate], near: tuple[float, float]) -> Candidate | None:
    """The candidate clearly closest to ``near``, if every candidate has coordinates."""
    if any(c.lat is None or c.lon is None for c in candidates):
        return None
    dist = sorted(
        (distance_km(near, (c.lat, c.lon)), i)
        for i, c in enumerate(candidates)
        if c.lat is not None and c.lon is not None
    )
    best = dist[0][0]
    if best > NEAR_KM:
        return None
    if len(dist) > 1 and dist[1][0] < max(3 * best, best + 10):
        return None
    return candidates[dist[0][1]]
