"""Find actors by any of their names or codes: ranked search, and resolution of one reference.

The ranked search is :func:`.ranking.search` (shared with the ``sqlite3`` read path of
:mod:`.sqlite_read`), fed here through a session by :class:`OrmSource`. Rules on top of
:class:`~paradiplomacy.resolve.directory.ActorDirectory`:

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

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from paradiplomacy.errors import FieldError
from paradiplomacy.model.vocab import ActorKind
from paradiplomacy.reference.japan import check_digit
from paradiplomacy.reference.names import normalize, split_qualifier
from paradiplomacy.reference.resolver import NameIndex
from paradiplomacy.resolve.directory import HOME_COUNTRY, ActorDirectory
from paradiplomacy.resolve.ranking import (
    ACTOR_ROW_COLUMNS,
    FORMER,
    HOME_KINDS,
    ActorRow,
    NameSource,
    as_code6,
    former_prefix,
    home_country,
    is_japanese_script,
    japanese_form,
    search,
)
from paradiplomacy.store.registry import Registry, RegistryError
from paradiplomacy.store.schema import Actor, ActorName
from paradiplomacy.store.succession import actors_by_code, successors

__all__ = [
    "ActorNotFound",
    "OrmSource",
    "as_code6",
    "find_actor",
    "find_prefecture",
    "former_namesakes",
    "home_namesakes",
    "is_japanese_script",
    "japanese_form",
    "search_actors",
]


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


def home_namesakes(session: Session, text: str, *, former_only: bool = False) -> list[int]:
    """Japanese local governments (current or former) with exactly the name ``text`` (qualifier
    aside), current ones first."""
    return _namesakes(session, normalize(split_qualifier(text)[0]), former_only)


def _namesakes(session: Session, key: str, former_only: bool) -> list[int]:
    query = (
        select(Actor.id)
        .join(ActorName, ActorName.actor_id == Actor.id)
        .where(ActorName.norm == key, Actor.country == HOME_COUNTRY, Actor.kind.in_(HOME_KINDS))
        .order_by(Actor.dissolved.is_not(None), Actor.id)
    )  # duplicates: dict.fromkeys
    if former_only:
        query = query.where(Actor.dissolved.is_not(None))
    return list(dict.fromkeys(session.scalars(query)))


class OrmSource:
    """The rows :func:`.ranking.search` reads, through a SQLAlchemy session (any backend)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.directory = ActorDirectory(session)

    def exact(self, ref: str) -> int | None:
        return self.directory.exact(ref)

    def countries_naming(self, ref: str) -> list[str | None]:
        return self.directory._countries_naming(ref)

    def index(self, country: str | None) -> NameIndex:
        return self.directory.index(country)

    def preload(self, refs: dict[str, list[tuple[frozenset[str], tuple[float, float] | None]]]) -> None:
        self.directory.preload(refs)

    def fresh(self) -> NameSource:
        return OrmSource(self.session)

    def actors_by_code(self, code: str) -> list[int]:
        return actors_by_code(self.session, code)

    def home_namesakes(self, key: str, *, former_only: bool = False) -> list[int]:
        return _namesakes(self.session, key, former_only)

    def dissolved(self, ids: list[int]) -> set[int]:
        return set(
            self.session.scalars(select(Actor.id).where(Actor.id.in_(ids), Actor.dissolved.is_not(None)))
        )

    def actors(self, ids: list[int]) -> dict[int, ActorRow]:
        parent = aliased(Actor)
        query = (
            select(
                *(getattr(Actor, column) for column in ACTOR_ROW_COLUMNS),
                parent.name_en,
                parent.name_ja,
                parent.key,
            )
            .outerjoin(parent, parent.id == Actor.parent_id)
            .where(Actor.id.in_(ids))
        )
        return {row[0]: ActorRow.from_row(row) for row in self.session.execute(query)}

    def names(self, ids: list[int]) -> dict[int, list[str]]:
        names: dict[int, list[str]] = {}
        rows = self.session.execute(
            select(ActorName.actor_id, ActorName.name)
            .where(ActorName.actor_id.in_(ids))
            .order_by(ActorName.id)
        )
        for actor_id, name in rows:
            names.setdefault(actor_id, []).append(name)
        return names

    def successors(self, actor_id: int) -> list[dict[str, Any]]:
        return successors(self.session, actor_id)


def search_actors(
    registry: Registry,
    text: str,
    *,
    country: str | None = None,
    limit: int = 10,
    as_of: dt.date | None = None,
) -> list[dict[str, Any]]:
    """Ranked candidates for ``text`` in any script or spelling (or a current or old code), with
    their main attributes; former municipalities carry ``dissolved`` and ``successors``
    (:func:`.ranking.search` through a session; ``search`` on a SQLite file reads it with
    :mod:`.sqlite_read` instead, with the same results)."""
    with registry.reader() as session:
        return search(OrmSource(session), text, country=country, limit=limit, as_of=as_of)


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
            given = ref.strip()
            shown = code if given == code else f"{given} ({code} with its check digit)"
            raise ActorNotFound(ref, f"no local government has code {shown}")
        source = OrmSource(session)
        if (former := former_prefix(source, ref)) is not None:
            return _one_former(session, former)
        country = home_country(source, ref, country)
        named = set(session.scalars(select(ActorName.actor_id).where(ActorName.norm == normalize(ref))))
        if country:
            named = set(
                session.scalars(select(Actor.id).where(Actor.id.in_(named), Actor.country == country))
            )
        if len(named) > 1 and country == HOME_COUNTRY:
            current = set(
                session.scalars(select(Actor.id).where(Actor.id.in_(named), Actor.dissolved.is_(None)))
            )
            named = current if len(current) == 1 else named
        if len(named) == 1:
            return named.pop()
        directory = ActorDirectory(session)
        try:
            return directory.resolve("actor", ref, country=country)
        except FieldError as error:
            raise ActorNotFound(ref, error.reason, error.candidates) from None


def former_namesakes(registry: Registry, ref: str, chosen: int) -> str | None:
    """When ``ref`` picked the current body ``chosen``, a note naming the former bodies that bore
    the name too (``河北町``: the Yamagata town, not 桃生郡河北町, merged into 石巻市), else
    ``None``."""
    with registry.reader() as session:
        current = session.get(Actor, chosen)
        if current is None or current.dissolved is not None:
            return None
        formers = [i for i in home_namesakes(session, ref, former_only=True) if i != chosen]
        described = []
        for actor in session.scalars(select(Actor).where(Actor.id.in_(formers)).order_by(Actor.dissolved)):
            now = ", ".join(s["name_ja"] or s["name"] for s in successors(session, actor.id))
            ended = f"ended {actor.dissolved}" + (f", now {now}" if now else "")
            described.append(f"{actor.label} ({ended}) = {actor.key}")
        if not described:
            return None
        return (
            f"{ref} is read as the current {current.label}; former bodies of the name (give the key, or "
            f"旧{ref}): {'; '.join(described)}"
        )


def _one_former(session: Session, name: str) -> int:
    ids = home_namesakes(session, name, former_only=True)
    if len(ids) == 1:
        return ids[0]
    rows = session.scalars(select(Actor).where(Actor.id.in_(ids)))
    candidates = tuple(
        f"{a.label}, {a.parent.label if a.parent else '-'}, ended {a.dissolved} = {a.key}" for a in rows
    )
    raise ActorNotFound(name, f"ambiguous '{FORMER}{name}'", candidates)


def find_prefecture(registry: Registry, ref: str) -> int:
    """The id of the Japanese prefecture ``ref`` names: a name in any script (``新潟県``,
    ``Niigata``), a key, a 6-digit, 5-digit or 2-digit code (``15``)."""
    ref = ref.strip()
    with registry.reader() as session:
        prefectures = select(Actor.id).where(
            Actor.kind == ActorKind.PREFECTURE.value, Actor.country == HOME_COUNTRY
        )
        code = as_code6(ref) or (f"{int(ref):02d}0000" if ref.isdigit() and len(ref) <= 2 else None)
        if code is not None and len(code) == 6 and code.endswith("0000"):
            code = code[:5] + check_digit(code[:5])
        query = prefectures.where(Actor.key == ref)
        if code is not None:
            query = prefectures.where(Actor.lg_code == code)
        found = session.scalar(query)
        if found is None:
            found = session.scalar(
                prefectures.join(ActorName, ActorName.actor_id == Actor.id)
                .where(ActorName.norm.in_(_prefecture_forms(ref)))
                .limit(1)
            )
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
