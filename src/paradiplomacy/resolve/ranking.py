"""Ranked search for actors, written once over any :class:`NameSource` (imports no SQLAlchemy).

Two sources feed it the same rows: :class:`~paradiplomacy.resolve.find.OrmSource` (a SQLAlchemy
session, any backend) and :class:`~paradiplomacy.resolve.sqlite_read.SqliteSource` (the stdlib
``sqlite3`` module on a SQLite file, so that ``paradiplomacy search`` starts without loading
SQLAlchemy). The rules of the search (codes, ``旧`` prefixes, the Japanese-script rule, exact keys
before fuzzy matching, own names before aliases, Japanese forms of foreign names) live here only;
the scoring of names is :class:`~paradiplomacy.reference.resolver.NameIndex`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from paradiplomacy.model.dates import existed_on
from paradiplomacy.model.vocab import ActorKind
from paradiplomacy.reference.names import normalize, split_qualifier
from paradiplomacy.reference.resolver import Candidate, NameIndex, lookup_keys

__all__ = [
    "ACTOR_ROW_COLUMNS",
    "HOME_COUNTRY",
    "PRIORITY",
    "ActorRow",
    "NameSource",
    "actor_label",
    "ancestor_names",
    "as_code6",
    "country_qualifier",
    "former_prefix",
    "home_country",
    "index_actors",
    "is_japanese_script",
    "japanese_form",
    "lookup",
    "search",
]

HOME_COUNTRY = "JP"
HOME_KINDS = (ActorKind.PREFECTURE.value, ActorKind.MUNICIPALITY.value, ActorKind.WARD.value)
#: Between exact namesakes of one country, governments outrank organisations and a foreign city
#: outranks the region named after it (the ranking of :class:`.directory.ActorDirectory`).
PRIORITY = {
    ActorKind.PREFECTURE.value: 1,
    ActorKind.MUNICIPALITY.value: 1,
    ActorKind.WARD.value: 1,
    ActorKind.FOREIGN_REGION.value: 1,
    ActorKind.FOREIGN_CITY.value: 2,
}
FORMER = "旧"
_CODE5 = re.compile(r"^\d{5}$")
_CODE6 = re.compile(r"^\d{6}$")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f々〆ヶ]")

Found = tuple[int, float, str, str]  # actor id, score, matched key, reason


@dataclass(frozen=True)
class ActorRow:
    """The attributes of an actor a search result shows."""

    id: int
    key: str
    kind: str
    name_en: str | None
    name_ja: str | None
    lg_type: str | None
    lg_code: str | None
    country: str | None
    population: int | None
    founded: str | None
    dissolved: str | None
    parent_label: str | None
    parent_ja: str | None

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> ActorRow:
        """From the columns of :data:`ACTOR_ROW_COLUMNS` (the actor's, then its parent's name_en,
        name_ja and key), as both sources select them."""
        *own, parent_en, parent_ja, parent_key = row
        label = actor_label(parent_en, parent_ja, parent_key) if parent_key is not None else None
        return cls(**dict(zip(ACTOR_ROW_COLUMNS, own, strict=True)), parent_label=label, parent_ja=parent_ja)


#: The actor columns :meth:`ActorRow.from_row` reads, then the parent's ``name_en, name_ja, key``.
ACTOR_ROW_COLUMNS = (
    "id",
    "key",
    "kind",
    "name_en",
    "name_ja",
    "lg_type",
    "lg_code",
    "country",
    "population",
    "founded",
    "dissolved",
)


class NameSource(Protocol):
    """What :func:`search` reads from a registry (names, codes, indexes of names)."""

    def exact(self, ref: str) -> int | None:
        """The actor a key, a code (5 or 6 digits, old ones too) or an ISO code names."""

    def countries_naming(self, ref: str) -> list[str | None]:
        """Countries of the actors bearing ``ref``'s matching key exactly, Japan first."""

    def index(self, country: str | None) -> NameIndex:
        """The name index of one country's actors (built once; preloaded ones as preloaded)."""

    def preload(self, refs: dict[str, list[tuple[frozenset[str], tuple[float, float] | None]]]) -> None:
        """Build each country's index from only the actors bearing one of the given keys."""

    def fresh(self) -> NameSource:
        """A source on the same database with no index built yet."""

    def actors_by_code(self, code: str) -> list[int]:
        """Actors that held a 6-digit code, the holder now first, then the latest holders."""

    def home_namesakes(self, key: str, *, former_only: bool = False) -> list[int]:
        """Japanese local governments (current or former) with a name of matching key ``key``,
        current ones first."""

    def dissolved(self, ids: list[int]) -> set[int]:
        """Those of ``ids`` that are former bodies."""

    def actors(self, ids: list[int]) -> dict[int, ActorRow]:
        """The rows of the given actors."""

    def names(self, ids: list[int]) -> dict[int, list[str]]:
        """Every stored name of the given actors, in stored order."""

    def successors(self, actor_id: int) -> list[dict[str, Any]]:
        """The direct successors of a former body (see :func:`.store.succession.successors`)."""


def actor_label(name_en: str | None, name_ja: str | None, key: str) -> str:
    """A one-line human name: English and Japanese where both exist (as ``Actor.label``).

    >>> actor_label("Kōbe", "神戸市", "jp-281000")
    'Kōbe (神戸市)'
    """
    if name_en and name_ja and name_en != name_ja:
        return f"{name_en} ({name_ja})"
    return name_en or name_ja or key


def as_code6(ref: str) -> str | None:
    """A local-government code as 6 digits: ``40100`` -> ``401005``; None if ``ref`` is no code."""
    ref = ref.strip()
    if _CODE6.match(ref):
        return ref
    if _CODE5.match(ref):
        from paradiplomacy.reference.japan import check_digit  # lazy: loads the postal module

        return ref + check_digit(ref)
    return None


def is_japanese_script(text: str) -> bool:
    """Whether ``text`` contains kanji or kana."""
    return bool(_JAPANESE.search(text))


Names = dict[int, list[tuple[str, str]]]


def ancestor_names(
    ids: set[int],
    parents_of: Callable[[list[int]], dict[int, int | None]],
    names_of: Callable[[list[int]], Names],
    depth: int = 3,
) -> Names:
    """(name, key) pairs of each of ``ids`` and of its ancestors up to ``depth`` levels (prefecture,
    state, country): the qualifiers a name may carry. The two callables read the registry."""
    result: Names = defaultdict(list)
    frontier = {i: i for i in ids}
    for _level in range(depth):
        if not frontier:
            break
        parent_of = parents_of(list(set(frontier.values())))
        names = names_of(list(parent_of))
        nxt = {}
        for child, current in frontier.items():
            result[child].extend(names.get(current, []))
            parent = parent_of.get(current)
            if parent is not None:
                nxt[child] = parent
        frontier = nxt
    return result


def index_actors(
    actors: Iterable[tuple[Any, ...]], names: Names, parent_names: Names, index: NameIndex | None = None
) -> NameIndex:
    """A name index of ``actors`` — rows of (id, kind, country, lat, lon, population, parent_id,
    name_en, name_ja) — under their stored ``names`` (else their English and Japanese names), with
    their ancestors' names as qualifiers; the ranking both the ORM and the sqlite3 path use."""
    index = index if index is not None else NameIndex()
    for actor_id, kind, country, lat, lon, population, parent_id, name_en, name_ja in actors:
        stored = names.get(actor_id) or [(n, normalize(n)) for n in (name_en, name_ja) if n]
        index.add(
            actor_id,
            [n for n, _ in stored],
            keys=[k for _, k in stored],
            country=country,
            qualifiers=[n for n, _ in parent_names.get(parent_id, ())],
            lat=lat,
            lon=lon,
            population=population,
            kind=kind,
            label=name_en or name_ja,
            priority=PRIORITY.get(kind, 0),
        )
    return index


def country_qualifier(ref: str, country: str | None) -> tuple[str, str | None]:
    """``"Dalian (China)"`` -> (``"Dalian"``, ``"CN"``); other qualifiers are left in place."""
    base, qualifier = split_qualifier(ref)
    if qualifier and len(qualifier) > 2:
        from paradiplomacy.reference.world import country_code  # lazy: loads pycountry

        code = country_code(qualifier)
        if code is not None and (country is None or country == code):
            return base, code
    return ref, country


def lookup(source: NameSource, text: str, *, country: str | None = None, limit: int = 10) -> list[Candidate]:
    """Ranked candidates for a free-text name, across the countries that hold it."""
    exact = source.exact(text)
    if exact is not None:
        return [Candidate(exact, text, None, 1.0, text, "key or code", None, None, None, None)]
    text, country = country_qualifier(text, country)
    countries = [country] if country else source.countries_naming(text) or [HOME_COUNTRY, None]
    found = [c for code in countries for c in source.index(code).lookup(text, limit=limit)]
    found.sort(key=lambda c: (-c.score, -(c.population or 0)))
    return found[:limit]


def search(
    source: NameSource,
    text: str,
    *,
    country: str | None = None,
    limit: int = 10,
    as_of: dt.date | None = None,
) -> list[dict[str, Any]]:
    """Ranked candidates for ``text`` in any script or spelling (or a current or old code), with
    their main attributes; former municipalities carry ``dissolved`` and ``successors``. With
    ``as_of``, only the bodies that existed on that day (a former city before its merger, not the
    body it merged into if that was founded later).

    Indexes are built for this search only (a source reused across searches starts afresh)."""
    source = source.fresh()
    code = as_code6(text)
    ids = source.actors_by_code(code) if code else []
    if ids:
        found: list[Found] = [(i, 1.0, text, "local-government code") for i in ids[:limit]]
    else:
        former = former_prefix(source, text)
        query = former or text
        home = home_country(source, query, country)
        _preload_exact(source, query, home)
        candidates = lookup(source, query, country=home, limit=max(3 * limit, 30))
        if not candidates:  # no exact name: fuzzy matching over the full indexes
            candidates = lookup(source.fresh(), query, country=home, limit=max(3 * limit, 30))
        found = [(int(c.entity_id), c.score, c.matched, c.reason) for c in candidates]
        if former:
            gone = source.dissolved([f[0] for f in found])
            found = [f for f in found if f[0] in gone]
    actors = source.actors([f[0] for f in found])
    if as_of is not None:
        found = [f for f in found if existed_on(actors[f[0]].founded, actors[f[0]].dissolved, as_of)]
    found = _primary_first(found, actors, text)[:limit]
    without_ja = [f[0] for f in found if actors[f[0]].name_ja is None]
    foreign_ja = {i: n for i, names in source.names(without_ja).items() if (n := japanese_form(names, text))}
    results = []
    for rank, (actor_id, score, matched, reason) in enumerate(found, start=1):
        actor = actors[actor_id]
        results.append(
            {
                "rank": rank,
                "id": actor.id,
                "key": actor.key,
                "name_en": actor.name_en,
                "name_ja": actor.name_ja or foreign_ja.get(actor.id),
                "kind": actor.kind,
                "lg_type": actor.lg_type,
                "lg_code": actor.lg_code or _last_code(actor.key),
                "country": actor.country,
                "parent": actor.parent_label,
                "parent_ja": actor.parent_ja,
                "population": actor.population,
                "score": round(score, 3),
                "matched": matched,
                "reason": reason,
                "founded": actor.founded,
                "dissolved": actor.dissolved,
                "successors": source.successors(actor.id) if actor.dissolved else [],
            }
        )
    return results


def japanese_form(names: list[str], query: str = "") -> str | None:
    """The name a Japanese reader would use among an actor's alternate names: ``query`` itself when
    it is one of them and in Japanese script, else the first with kana, else the first in kanji that
    Japanese writes (encodable in CP932, which rules out simplified Chinese forms such as 大连).

    >>> japanese_form(["Dalian", "大连", "大連", "旅大"])
    '大連'
    >>> japanese_form(["Seoul", "서울", "ソウル", "首爾"])
    'ソウル'
    >>> japanese_form(["Dalian"]) is None
    True
    """
    if query in names and is_japanese_script(query):
        return query
    kana = [n for n in names if re.search(r"[\u3040-\u30ff]", n)]
    if kana:
        return kana[0]
    for name in names:
        if is_japanese_script(name) and not re.search(r"[\uac00-\ud7af]", name):
            try:
                name.encode("cp932")
            except UnicodeEncodeError:
                continue
            return name
    return None


def former_prefix(source: NameSource, text: str) -> str | None:
    """``旧清水市`` -> ``清水市`` when a former municipality has that name."""
    if text.startswith(FORMER) and len(text) > 2:
        rest = text[len(FORMER) :]
        if _namesakes(source, rest, former_only=True):
            return rest
    return None


def home_country(source: NameSource, text: str, country: str | None) -> str | None:
    """``JP`` for a Japanese-script name a Japanese place holds, else ``country`` unchanged."""
    if country is None and is_japanese_script(text) and _namesakes(source, text):
        return HOME_COUNTRY
    return country


def _namesakes(source: NameSource, text: str, *, former_only: bool = False) -> list[int]:
    """Japanese local governments named exactly ``text`` (its qualifier aside), current first."""
    return source.home_namesakes(normalize(split_qualifier(text)[0]), former_only=former_only)


def _primary_first(found: list[Found], actors: dict[int, ActorRow], text: str) -> list[Found]:
    """Among equal scores, actors whose own name is ``text`` before those that only bear it as an
    alias (Portland, England before Sandusky, Ohio, a.k.a. "Portland"); the order is otherwise kept."""
    wanted = normalize(split_qualifier(text)[0])

    def own_name(actor: ActorRow) -> bool:
        return wanted in {normalize(n) for n in (actor.name_en, actor.name_ja) if n}

    return sorted(found, key=lambda f: (-f[1], not own_name(actors[f[0]])))


def _preload_exact(source: NameSource, text: str, country: str | None) -> None:
    """Index only the actors bearing one of ``text``'s exact matching keys, in the countries
    :func:`lookup` will search: exact matches rank as in the full index, without building a whole
    country's index (a second or more for a large country)."""
    base, qualifier = split_qualifier(text)
    if qualifier and len(qualifier) > 2:
        from paradiplomacy.reference.world import country_code  # lazy: loads pycountry

        if (code := country_code(qualifier)) is not None:
            text, country = base, country or code
    countries = [country] if country else source.countries_naming(text)
    keys = frozenset(lookup_keys(text))
    source.preload({c: [(keys, None)] for c in countries if c is not None})


def _last_code(key: str) -> str | None:
    """The last code of a former municipality (its key is ``jp-former-<code>-<end>``)."""
    if key.startswith("jp-former-"):
        return key.split("-")[2]
    return None
