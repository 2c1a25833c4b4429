"""Resolve actor references (keys, local-government codes, ISO codes, names) against the registry.

Exact name lookups are index probes on ``actor_name.norm``; ranking, qualifiers, coordinates and fuzzy
matching use a :class:`~paradiplomacy.reference.resolver.NameIndex` built lazily per country, so a command
pays only for the countries it touches.
"""

from __future__ import annotations

import re
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from paradiplomacy.ingest.errors import FieldError
from paradiplomacy.model.vocab import ActorKind
from paradiplomacy.reference.names import normalize, split_qualifier
from paradiplomacy.reference.resolver import Candidate, NameIndex, Resolution
from paradiplomacy.reference.world import country_code
from paradiplomacy.store.schema import Actor, ActorName

_CODE6 = re.compile(r"^\d{6}$")
_ISO2 = re.compile(r"^[A-Z]{2}$")
_KEY = re.compile(r"^[a-z0-9][a-z0-9._:\-]*$")  # what an actor key can look like (see ingest.fields.slug)
# Between exact namesakes of one country, governments outrank organisations and a foreign city outranks
# the region named after it (Paris, Seoul, Tianjin). Japanese prefectures, municipalities and wards rank
# alike, so "Minami" (a town and many wards) or "Niigata" (city and prefecture) stay ambiguous.
_PRIORITY = {ActorKind.PREFECTURE.value: 1, ActorKind.MUNICIPALITY.value: 1, ActorKind.WARD.value: 1,
             ActorKind.FOREIGN_REGION.value: 1, ActorKind.FOREIGN_CITY.value: 2}
HOME_COUNTRY = "JP"


def national_government_key(country: str) -> str:
    """The key of a country's national-government actor (``cn-gov``)."""
    return f"{country.lower()}-gov"


def name_row(actor_id: int, name: str) -> dict[str, object]:
    """An ``actor_name`` row with its matching key."""
    return {"actor_id": actor_id, "name": name, "norm": normalize(name)}


class ActorDirectory:
    """Finds the actor a reference names, within one session."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._indexes: dict[str | None, NameIndex] = {}
        self._keys: dict[str, int | None] = {}

    # -- exact references -------------------------------------------------------------------
    def by_key(self, key: str) -> int | None:
        """The id of the actor with this key, or None."""
        if key not in self._keys:
            self._keys[key] = self.session.scalar(select(Actor.id).where(Actor.key == key))
        return self._keys[key]

    def describe(self, candidate: Candidate) -> str:
        """A candidate as a user can tell it apart: names, parent, type, population and key."""
        actor = self.session.get(Actor, int(candidate.entity_id))
        if actor is None:
            return describe(candidate)
        where = f", {actor.parent.label}" if actor.parent is not None else ""
        bits = [f"{actor.label}{where}", actor.country or "-", actor.lg_type or actor.kind]
        if actor.population:
            bits.append(f"pop. {actor.population:,}")
        return f"{' / '.join(bits)} = {actor.key}"

    def _exact(self, ref: str) -> int | None:
        ref = ref.strip()
        if _KEY.match(ref) and (found := self.by_key(ref)) is not None:
            return found
        if _CODE6.match(ref):
            return self.session.scalar(select(Actor.id).where(Actor.lg_code == ref))
        if _ISO2.match(ref):
            return self.by_key(national_government_key(ref))
        return None

    # -- names ---------------------------------------------------------------------------------
    def resolve(self, field: str, ref: str, *, country: str | None = None,
                near: tuple[float, float] | None = None) -> int:
        """The id of the one actor ``ref`` names; raise :class:`FieldError` with candidates otherwise."""
        exact = self._exact(ref)
        if exact is not None:
            return exact
        resolution = self.try_resolve(ref, country=country, near=near)
        if resolution.status == "resolved" and resolution.match is not None:
            return int(resolution.match.entity_id)
        candidates = tuple(self.describe(c) for c in resolution.candidates[:8])
        where = f" in {country}" if country else ""
        reason = "ambiguous" if resolution.status == "ambiguous" else "no actor named"
        raise FieldError(field, f"{reason} {ref!r}{where}", candidates)

    def try_resolve(self, ref: str, *, country: str | None = None,
                    near: tuple[float, float] | None = None) -> Resolution:
        """Resolve a name, across the countries that hold it when no country is given."""
        ref, country = _country_qualifier(ref, country)
        if country is not None:
            return self.index(country).resolve(ref, near=near)
        results = [self.index(c).resolve(ref, near=near) for c in self._countries_naming(ref)]
        exact = [r for r in results if r.status != "unresolved"]
        if len(exact) == 1:
            return exact[0]
        if not exact:
            return self.index(HOME_COUNTRY).resolve(ref, near=near)
        candidates = tuple(c for r in exact for c in r.candidates)
        return Resolution("ambiguous", ref, None, candidates)

    def lookup(self, text: str, *, country: str | None = None, limit: int = 10) -> list[Candidate]:
        """Ranked candidates for a free-text name (used by ``search``)."""
        exact = self._exact(text)
        if exact is not None:
            return [Candidate(exact, text, None, 1.0, text, "key or code", None, None, None, None)]
        text, country = _country_qualifier(text, country)
        countries = [country] if country else self._countries_naming(text) or [HOME_COUNTRY, None]
        found = [c for code in countries for c in self.index(code).lookup(text, limit=limit)]
        found.sort(key=lambda c: (-c.score, -(c.population or 0)))
        return found[:limit]

    def _countries_naming(self, ref: str) -> list[str | None]:
        base, _ = split_qualifier(ref)
        key = normalize(base)
        rows = self.session.execute(
            select(Actor.country).join(ActorName, ActorName.actor_id == Actor.id)
            .where(ActorName.norm == key).distinct()
        )
        return sorted((r[0] for r in rows), key=lambda c: (c != HOME_COUNTRY, c or ""))

    def index(self, country: str | None) -> NameIndex:
        """The name index of one country's actors (``None``: actors with no country), built once."""
        if country not in self._indexes:
            self._indexes[country] = self._build(country)
        return self._indexes[country]

    def _build(self, country: str | None) -> NameIndex:
        where = Actor.country == country if country is not None else Actor.country.is_(None)
        actors = self.session.execute(
            select(Actor.id, Actor.kind, Actor.country, Actor.lat, Actor.lon, Actor.population,
                   Actor.parent_id, Actor.name_en, Actor.name_ja).where(where)
        ).all()
        names = self._names([a.id for a in actors] if len(actors) < 900 else None, where)
        parents = {a.id: a.parent_id for a in actors}
        parent_names = self._parent_names({p for p in parents.values() if p is not None})
        index = NameIndex()
        for a in actors:
            stored = names.get(a.id) or [(n, normalize(n)) for n in (a.name_en, a.name_ja) if n]
            index.add(a.id, [n for n, _ in stored], keys=[k for _, k in stored], country=a.country,
                      qualifiers=[n for n, _ in parent_names.get(a.parent_id, ())],
                      lat=a.lat, lon=a.lon, population=a.population, kind=a.kind,
                      label=a.name_en or a.name_ja,
                      priority=_PRIORITY.get(a.kind, 0))
        return index

    def _names(self, ids: list[int] | None, where) -> dict[int, list[tuple[str, str]]]:
        """(name, matching key) pairs of the given actors, or of the actors ``where`` selects."""
        query = select(ActorName.actor_id, ActorName.name, ActorName.norm).order_by(ActorName.id)
        if ids is not None:
            query = query.where(ActorName.actor_id.in_(ids))
        else:
            query = query.join(Actor, Actor.id == ActorName.actor_id).where(where)
        names: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for actor_id, name, norm in self.session.execute(query):
            names[actor_id].append((name, norm))
        return names

    def _parent_names(self, ids: set[int]) -> dict[int, list[tuple[str, str]]]:
        """Names of each parent and of its own parents (prefecture, state, country level)."""
        result: dict[int, list[tuple[str, str]]] = defaultdict(list)
        frontier = {i: i for i in ids}
        for _depth in range(3):
            if not frontier:
                break
            rows = self.session.execute(
                select(Actor.id, Actor.parent_id).where(Actor.id.in_(list(set(frontier.values()))))
            ).all()
            names = self._names(list({r.id for r in rows}), None)
            nxt = {}
            for child, current in frontier.items():
                result[child].extend(names.get(current, []))
                parent = next((r.parent_id for r in rows if r.id == current), None)
                if parent is not None:
                    nxt[child] = parent
            frontier = nxt
        return result

    def register(self, actor: Actor, names: list[str]) -> None:
        """Make an actor created during this import resolvable by the rows that follow."""
        self._keys[actor.key] = actor.id
        if actor.country in self._indexes:
            parent_names = self._parent_names({actor.parent_id}) if actor.parent_id else {}
            self._indexes[actor.country].add(
                actor.id, names, country=actor.country,
                qualifiers=[n for n, _ in parent_names.get(actor.parent_id, ())],
                lat=actor.lat, lon=actor.lon,
                population=actor.population, kind=actor.kind,
                priority=_PRIORITY.get(actor.kind, 0))


def _country_qualifier(ref: str, country: str | None) -> tuple[str, str | None]:
    """``"Dalian (China)"`` -> (``"Dalian"``, ``"CN"``); other qualifiers are left in place."""
    base, qualifier = split_qualifier(ref)
    if qualifier and len(qualifier) > 2:
        code = country_code(qualifier)
        if code is not None and (country is None or country == code):
            return base, code
    return ref, country


def describe(candidate: Candidate, key: str | None = None) -> str:
    """A one-line description of a candidate for rejection reports: name, country, kind and key."""
    bits = [candidate.name]
    if candidate.country:
        bits.append(candidate.country)
    if candidate.kind:
        bits.append(candidate.kind)
    if candidate.population:
        bits.append(f"pop. {candidate.population:,}")
    return f"{' / '.join(bits)} = {key or candidate.entity_id}"
