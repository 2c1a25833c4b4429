"""Find actors by any of their names or codes: ranked search, and resolution of one reference.

Rules on top of :class:`~paradiplomacy.ingest.directory.ActorDirectory`:

- Local-government codes are accepted with 6 digits (with check digit) or 5 (as e-Stat writes
  them), current or old: ``40100``, ``401005`` and 静岡市's pre-2005 ``222011`` all work; the
  body holding a code now comes first, then the latest former holder.
- A name in Japanese script names a Japanese place whenever one, current or former, has exactly
  that name: ``清水市`` is former Shimizu City, never Eau Claire through a GeoNames alias.
- ``旧清水市`` (the ``旧`` prefix of Japanese lists) names only former municipalities.
- When one current and some former Japanese bodies share a name, :func:`find_actor` takes the
  current one (``search`` lists them all).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from paradiplomacy.ingest.directory import HOME_COUNTRY, ActorDirectory
from paradiplomacy.ingest.errors import FieldError
from paradiplomacy.model.vocab import ActorKind
from paradiplomacy.reference.japan import check_digit
from paradiplomacy.reference.names import normalize, split_qualifier
from paradiplomacy.reference.resolver import lookup_keys
from paradiplomacy.reference.world import country_code
from paradiplomacy.store.registry import Registry, RegistryError
from paradiplomacy.store.schema import Actor, ActorName
from paradiplomacy.store.succession import actors_by_code, successors

__all__ = ["ActorNotFound", "as_code6", "find_actor", "find_prefecture", "home_namesakes",
           "is_japanese_script", "search_actors"]

_CODE5 = re.compile(r"^\d{5}$")
_CODE6 = re.compile(r"^\d{6}$")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f々〆ヶ]")
_FORMER = "旧"
_HOME_KINDS = (ActorKind.PREFECTURE.value, ActorKind.MUNICIPALITY.value, ActorKind.WARD.value)


@dataclass
class ActorNotFound(RegistryError):
    """A reference that names no actor, or several."""

    ref: str
    reason: str
    candidates: tuple[str, ...] = ()

    def __str__(self) -> str:
        text = f"{self.reason}"
        if self.candidates:
            text += "; candidates:\n  " + "\n  ".join(self.candidates)
        return text


def as_code6(ref: str) -> str | None:
    """A local-government code as 6 digits: ``40100`` -> ``401005``; None if ``ref`` is no code."""
    ref = ref.strip()
    if _CODE6.match(ref):
        return ref
    if _CODE5.match(ref):
        return ref + check_digit(ref)
    return None


def is_japanese_script(text: str) -> bool:
    """Whether ``text`` contains kanji or kana."""
    return bool(_JAPANESE.search(text))


def home_namesakes(session: Session, text: str, *, former_only: bool = False) -> list[int]:
    """Japanese local governments (current or former) with exactly the name ``text`` (qualifier
    aside), current ones first."""
    base, _ = split_qualifier(text)
    query = (select(Actor.id).join(ActorName, ActorName.actor_id == Actor.id)
             .where(ActorName.norm == normalize(base), Actor.country == HOME_COUNTRY,
                    Actor.kind.in_(_HOME_KINDS))
             .order_by(Actor.dissolved.is_not(None), Actor.id))  # duplicates: dict.fromkeys
    if former_only:
        query = query.where(Actor.dissolved.is_not(None))
    return list(dict.fromkeys(session.scalars(query)))


def _former_prefix(session: Session, text: str) -> str | None:
    """``旧清水市`` -> ``清水市`` when a former municipality has that name."""
    if text.startswith(_FORMER) and len(text) > 2:
        rest = text[len(_FORMER):]
        if home_namesakes(session, rest, former_only=True):
            return rest
    return None


def _home_country(session: Session, text: str, country: str | None) -> str | None:
    """``JP`` for a Japanese-script name a Japanese place holds, else ``country`` unchanged."""
    if country is None and is_japanese_script(text) and home_namesakes(session, text):
        return HOME_COUNTRY
    return country


def search_actors(registry: Registry, text: str, *, country: str | None = None,
                  limit: int = 10) -> list[dict[str, Any]]:
    """Ranked candidates for ``text`` in any script or spelling (or a current or old code), with
    their main attributes; former municipalities carry ``dissolved`` and ``successors``."""
    with registry.reader() as session:
        code = as_code6(text)
        ids = actors_by_code(session, code) if code else []
        if ids:
            found = [(i, 1.0, text, "local-government code") for i in ids[:limit]]
        else:
            former = _former_prefix(session, text)
            query = former or text
            directory = ActorDirectory(session)
            home = _home_country(session, query, country)
            _preload_exact(directory, query, home)
            candidates = directory.lookup(query, country=home, limit=max(3 * limit, 30))
            if not candidates:  # no exact name: fuzzy matching over the full indexes
                directory = ActorDirectory(session)
                candidates = directory.lookup(query, country=home, limit=max(3 * limit, 30))
            found = [(int(c.entity_id), c.score, c.matched, c.reason) for c in candidates]
            if former:
                gone = set(session.scalars(select(Actor.id).where(
                    Actor.id.in_([f[0] for f in found]), Actor.dissolved.is_not(None))))
                found = [f for f in found if f[0] in gone]
        actors = {a.id: a for a in session.scalars(select(Actor).where(Actor.id.in_([f[0] for f in found])))}
        found = _primary_first(found, actors, text)[:limit]
        foreign_ja = _japanese_names(session, [f[0] for f in found if actors[f[0]].name_ja is None],
                                     text)
        results = []
        for rank, (actor_id, score, matched, reason) in enumerate(found, start=1):
            actor = actors[actor_id]
            parent = actor.parent.label if actor.parent else None
            results.append({
                "rank": rank, "id": actor.id, "key": actor.key, "name_en": actor.name_en,
                "name_ja": actor.name_ja or foreign_ja.get(actor.id), "kind": actor.kind,
                "lg_type": actor.lg_type,
                "lg_code": actor.lg_code or _last_code(actor), "country": actor.country,
                "parent": parent, "population": actor.population, "score": round(score, 3),
                "matched": matched, "reason": reason, "founded": actor.founded,
                "dissolved": actor.dissolved,
                "successors": successors(session, actor.id) if actor.dissolved else [],
            })
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


def _japanese_names(session: Session, ids: list[int], query: str) -> dict[int, str]:
    """:func:`japanese_form` of each given actor's stored names (for actors with no ``name_ja``)."""
    names: dict[int, list[str]] = {}
    rows = session.execute(select(ActorName.actor_id, ActorName.name)
                           .where(ActorName.actor_id.in_(ids)).order_by(ActorName.id))
    for actor_id, name in rows:
        names.setdefault(actor_id, []).append(name)
    found = {i: japanese_form(n, query) for i, n in names.items()}
    return {i: n for i, n in found.items() if n}


def _primary_first(found: list[tuple[int, float, str, str]], actors: dict[int, Actor],
                   text: str) -> list[tuple[int, float, str, str]]:
    """Among equal scores, actors whose own name is ``text`` before those that only bear it as an
    alias (Portland, England before Sandusky, Ohio, a.k.a. "Portland"); the order is otherwise kept."""
    wanted = normalize(split_qualifier(text)[0])

    def own_name(actor: Actor) -> bool:
        return wanted in {normalize(n) for n in (actor.name_en, actor.name_ja) if n}

    return sorted(found, key=lambda f: (-f[1], not own_name(actors[f[0]])))


def _preload_exact(directory: ActorDirectory, text: str, country: str | None) -> None:
    """Index only the actors bearing one of ``text``'s exact matching keys, in the countries
    :meth:`ActorDirectory.lookup` will search: exact matches rank as in the full index, without
    building a whole country's index (a second or more for a large country)."""
    base, qualifier = split_qualifier(text)
    if qualifier and len(qualifier) > 2 and (code := country_code(qualifier)) is not None:
        text, country = base, country or code
    countries = [country] if country else directory._countries_naming(text)
    keys = frozenset(lookup_keys(text))
    directory.preload({c: [(keys, None)] for c in countries if c is not None})


def _last_code(actor: Actor) -> str | None:
    """The last code of a former municipality (its key is ``jp-former-<code>-<end>``)."""
    if actor.key.startswith("jp-former-"):
        return actor.key.split("-")[2]
    return None


def find_actor(registry: Registry, ref: str, *, country: str | None = None) -> int:
    """The id of the one actor ``ref`` names; raise :class:`ActorNotFound` with candidates otherwise."""
    with registry.reader() as session:
        exact = session.scalar(select(Actor.id).where(Actor.key == ref))
        if exact is not None:
            return exact
        code = as_code6(ref)
        if code is not None:
            held = actors_by_code(session, code)
            if held:
                return held[0]
            raise ActorNotFound(ref, f"no local government has code {code}")
        if (former := _former_prefix(session, ref)) is not None:
            return _one_former(session, former)
        country = _home_country(session, ref, country)
        named = set(session.scalars(
            select(ActorName.actor_id).where(ActorName.norm == normalize(ref))))
        if country:
            named = set(session.scalars(
                select(Actor.id).where(Actor.id.in_(named), Actor.country == country)))
        if len(named) > 1 and country == HOME_COUNTRY:
            current = set(session.scalars(
                select(Actor.id).where(Actor.id.in_(named), Actor.dissolved.is_(None))))
            named = current if len(current) == 1 else named
        if len(named) == 1:
            return named.pop()
        directory = ActorDirectory(session)
        try:
            return directory.resolve("actor", ref, country=country)
        except FieldError as error:
            raise ActorNotFound(ref, error.reason, error.candidates) from None


def _one_former(session: Session, name: str) -> int:
    ids = home_namesakes(session, name, former_only=True)
    if len(ids) == 1:
        return ids[0]
    rows = session.scalars(select(Actor).where(Actor.id.in_(ids)))
    candidates = tuple(f"{a.label}, {a.parent.label if a.parent else '-'}, ended {a.dissolved} "
                       f"= {a.key}" for a in rows)
    raise ActorNotFound(name, f"ambiguous '{_FORMER}{name}'", candidates)


def find_prefecture(registry: Registry, ref: str) -> int:
    """The id of the Japanese prefecture ``ref`` names: a name in any script (``新潟県``,
    ``Niigata``), a key, a 6-digit, 5-digit or 2-digit code (``15``)."""
    ref = ref.strip()
    with registry.reader() as session:
        prefectures = select(Actor.id).where(Actor.kind == ActorKind.PREFECTURE.value,
                                             Actor.country == HOME_COUNTRY)
        code = as_code6(ref) or (f"{int(ref):02d}0000" if ref.isdigit() and len(ref) <= 2 else None)
        if code is not None and len(code) == 6 and code.endswith("0000"):
            code = code[:5] + check_digit(code[:5])
        query = prefectures.where(Actor.key == ref)
        if code is not None:
            query = prefectures.where(Actor.lg_code == code)
        found = session.scalar(query)
        if found is None:
            found = session.scalar(prefectures.join(ActorName, ActorName.actor_id == Actor.id)
                                   .where(ActorName.norm.in_(_prefecture_forms(ref))).limit(1))
        if found is None:
            raise ActorNotFound(ref, f"no Japanese prefecture named {ref!r}")
        return found


def _prefecture_forms(ref: str) -> set[str]:
    """Matching keys of ``ref`` with and without a prefecture suffix (Niigata, Niigata-ken...)."""
    forms = {normalize(ref)}
    for suffix in ("-ken", " ken", " prefecture", "-fu", " fu", "-to", " to"):
        if ref.lower().endswith(suffix):
            forms.add(normalize(ref[: -len(suffix)]))
    for suffix in ("都", "道", "府", "県"):
        forms.add(normalize(ref + suffix))
    forms.add(normalize(f"{ref} Prefecture"))
    return forms
