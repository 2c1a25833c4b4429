"""Resolve actor references (keys, local-government codes, ISO codes, names) against the registry.

Exact name lookups are index probes on ``actor_name.norm``; ranking, qualifiers, coordinates and fuzzy
matching use a :class:`~paradiplomacy.reference.resolver.NameIndex` built lazily per country, so a command
pays only for the countries it touches.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from paradiplomacy.errors import FieldError
from paradiplomacy.reference.names import normalize, split_qualifier
from paradiplomacy.reference.resolver import Candidate, NameIndex, Resolution
from paradiplomacy.resolve.japanese_rules import JapaneseHistory, resolve_by_rules
from paradiplomacy.resolve.point_country import RegistryPoints
from paradiplomacy.resolve.ranking import (
    HOME_COUNTRY,
    PRIORITY,
    ancestor_names,
    country_qualifier,
    index_actors,
)
from paradiplomacy.store.schema import Actor, ActorCode, ActorName

_CODE6 = re.compile(r"^\d{6}$")
_CODE5 = re.compile(r"^\d{5}$")
_JAPANESE_SCRIPT = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
_ISO2 = re.compile(r"^[A-Z]{2}$")
_KEY = re.compile(r"^[a-z0-9][a-z0-9._:\-]*$")  # what an actor key can look like (see ingest.fields.slug)


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
        self._history: JapaneseHistory | None = None
        #: the registry's places as points (loaded on first use)
        self.points = RegistryPoints(session)
        self._regions_at: dict[tuple[float, float], frozenset[int]] = {}

    @property
    def history(self) -> JapaneseHistory:
        """Former Japanese bodies and their successors (loaded once)."""
        if self._history is None:
            self._history = JapaneseHistory(self.session)
        return self._history

    def regions_at(self, point: tuple[float, float]) -> frozenset[int]:
        """The regions a point lies in, as far as the registry can tell: those that hold the place
        nearest to it (its parent and the parent's parent)."""
        if point not in self._regions_at:
            nearest = self.points.nearest(point)
            found: set[int] = set()
            at = nearest[0] if nearest is not None else None
            for _ in range(2):
                at = self.session.scalar(select(Actor.parent_id).where(Actor.id == at)) if at else None
                if at is not None:
                    found.add(at)
            self._regions_at[point] = frozenset(found)
        return self._regions_at[point]

    def _rows(self, query):
        """Run a select as Core rows (the ORM's per-row bookkeeping is not needed for the plain
        columns read here), after flushing what the session holds so that nothing is missed."""
        self.session.flush()
        return self.session.connection().execute(query)

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
        where = f" in {actor.parent.label}" if actor.parent is not None else ""
        bits = [f"{actor.label}{where}", actor.country or "-", actor.lg_type or actor.kind]
        if actor.population:
            bits.append(f"pop. {actor.population:,}")
        return f"{' / '.join(bits)} = {actor.key}"

    def exact(self, ref: str) -> int | None:
        """The actor a key, a local-government code (five or six digits, old codes included) or
        an ISO country code names exactly, or None."""
        ref = ref.strip()
        if _KEY.match(ref) and (found := self.by_key(ref)) is not None:
            return found
        if _CODE5.match(ref):
            from paradiplomacy.reference.japan import check_digit  # lazy: loads the postal data

            ref = ref + check_digit(ref)
        if _CODE6.match(ref):
            found = self.session.scalar(select(Actor.id).where(Actor.lg_code == ref))
            if found is None:  # an old code: the body that held it last
                found = self.session.scalar(
                    select(ActorCode.actor_id)
                    .where(ActorCode.code == ref)
                    .order_by(ActorCode.valid_until.desc())
                    .limit(1)
                )
            return found
        if _ISO2.match(ref):
            return self.by_key(national_government_key(ref))
        return None

    # -- names ---------------------------------------------------------------------------------
    def resolve(
        self,
        field: str,
        ref: str,
        *,
        country: str | None = None,
        near: tuple[float, float] | None = None,
        levels: bool = False,
        tie_break: Callable[[list[int]], int | None] | None = None,
    ) -> int:
        """The id of the one actor ``ref`` names; raise :class:`FieldError` with candidates otherwise.

        ``levels`` applies the level rule to Japanese names (see :mod:`.japanese_rules`);
        ``tie_break`` may choose one of the ids of an ambiguous name (or none)."""
        exact = self.exact(ref)
        if exact is not None:
            return exact
        resolution = self.try_resolve(ref, country=country, near=near, levels=levels)
        if resolution.status == "resolved" and resolution.match is not None:
            return int(resolution.match.entity_id)
        if resolution.status == "ambiguous" and tie_break is not None:
            chosen = tie_break([int(c.entity_id) for c in resolution.candidates])
            if chosen is not None:
                return chosen
        raise self.failure(field, ref, country, resolution)

    def failure(self, field: str, ref: str, country: str | None, resolution: Resolution) -> FieldError:
        """The error that explains why ``ref`` was not resolved, with its candidates."""
        candidates = tuple(self.describe(c) for c in resolution.candidates[:8])
        where = f" in {country}" if country else ""
        if resolution.reason:
            return FieldError(field, resolution.reason, candidates)
        reason = "ambiguous" if resolution.status == "ambiguous" else "no actor named"
        return FieldError(field, f"{reason} {ref!r}{where}", candidates)

    def try_resolve(
        self,
        ref: str,
        *,
        country: str | None = None,
        near: tuple[float, float] | None = None,
        levels: bool = False,
        level_by: str = "name",
        partner_level: int | None = None,
    ) -> Resolution:
        """Resolve a name, across the countries that hold it when no country is given.

        Japanese names follow :mod:`.japanese_rules` (former municipalities, coordinates first, the
        level rule when ``levels``, read by ``level_by``, like with like given ``partner_level``); a
        name in Japanese script that a Japanese place bears never resolves abroad."""
        ref, country = country_qualifier(ref, country)
        if country is None and _JAPANESE_SCRIPT.search(ref) and HOME_COUNTRY in self._countries_naming(ref):
            country = HOME_COUNTRY
        if country == HOME_COUNTRY or (country is not None and near is not None and levels):
            return resolve_by_rules(
                self.index(country),
                self.history,
                ref,
                near=near,
                levels=levels,
                level_by=level_by,
                partner_level=partner_level,
                regions_at=self.regions_at,
            )
        if country is not None:
            return self.index(country).resolve(ref, near=near)
        results = [self.index(c).resolve(ref, near=near) for c in self._countries_naming(ref)]
        exact = [r for r in results if r.status != "unresolved"]
        if len(exact) == 1:
            return exact[0]
        if not exact:
            return resolve_by_rules(self.index(HOME_COUNTRY), self.history, ref, near=near, levels=levels)
        candidates = tuple(c for r in exact for c in r.candidates)
        return Resolution("ambiguous", ref, None, candidates)

    def lookup(self, text: str, *, country: str | None = None, limit: int = 10) -> list[Candidate]:
        """Ranked candidates for a free-text name (used by ``search``)."""
        exact = self.exact(text)
        if exact is not None:
            return [Candidate(exact, text, None, 1.0, text, "key or code", None, None, None, None)]
        text, country = country_qualifier(text, country)
        countries = [country] if country else self._countries_naming(text) or [HOME_COUNTRY, None]
        found = [c for code in countries for c in self.index(code).lookup(text, limit=limit)]
        found.sort(key=lambda c: (-c.score, -(c.population or 0)))
        return found[:limit]

    def _countries_naming(self, ref: str) -> list[str | None]:
        base, _ = split_qualifier(ref)
        key = normalize(base)
        rows = self._rows(
            select(Actor.country)
            .join(ActorName, ActorName.actor_id == Actor.id)
            .where(ActorName.norm == key)
            .distinct()
        )
        return sorted((r[0] for r in rows), key=lambda c: (c != HOME_COUNTRY, c or ""))

    def index(self, country: str | None) -> NameIndex:
        """The name index of one country's actors (``None``: actors with no country), built once."""
        if country not in self._indexes:
            self._indexes[country] = self._build(country)
        return self._indexes[country]

    def preload(
        self,
        refs: dict[str, list[tuple[frozenset[str], tuple[float, float] | None]]],
        radius_km: float = 20.0,
    ) -> None:
        """Build each given country's index from only the actors a bulk import can need.

        ``refs`` gives, per country, each reference's matching keys (see
        :func:`~.resolver.lookup_keys`) and its point. The index holds the actors bearing one of
        the keys (under those names) and, for a reference none of whose keys any actor bears, every
        actor within ``radius_km`` of its point (under all their names, for fuzzy matching). Exact
        resolution is then the same as with the full index; misspelt names are matched only near
        the row's point (20 km: a place's point in a list and in the gazetteer lie a few kilometres
        apart, and a look-alike name farther off is more often another place)."""
        for country, wanted in sorted(refs.items()):
            if country in self._indexes:
                continue
            keys = sorted({k for ref_keys, _point in wanted for k in ref_keys})
            names: dict[int, list[tuple[str, str]]] = defaultdict(list)
            for start in range(0, len(keys), 500):
                for actor_id, name, norm in self._rows(
                    select(ActorName.actor_id, ActorName.name, ActorName.norm)
                    .join(Actor, Actor.id == ActorName.actor_id)
                    .where(Actor.country == country, ActorName.norm.in_(keys[start : start + 500]))
                ):
                    names[actor_id].append((name, norm))
            found = {norm for pairs in names.values() for _name, norm in pairs}
            misses = {point for ref_keys, point in wanted if point is not None and not ref_keys & found}
            near = self.points.within(country, misses, radius_km) - set(names)
            names.update(self._names(sorted(near), None))
            self._indexes[country] = self._build(country, sorted(names), names)

    def _build(
        self,
        country: str | None,
        only: list[int] | None = None,
        given: dict[int, list[tuple[str, str]]] | None = None,
    ) -> NameIndex:
        where = Actor.country == country if country is not None else Actor.country.is_(None)
        query = select(
            Actor.id,
            Actor.kind,
            Actor.country,
            Actor.lat,
            Actor.lon,
            Actor.population,
            Actor.parent_id,
            Actor.name_en,
            Actor.name_ja,
        )
        if only is not None:
            actors = []
            for start in range(0, len(only), 500):
                actors.extend(self._rows(query.where(Actor.id.in_(only[start : start + 500]))).all())
            names = given if given is not None else (self._names(only, where) if only else {})
        else:
            actors = self._rows(query.where(where)).all()
            names = self._names([a.id for a in actors] if len(actors) < 900 else None, where)
        parent_names = self._parent_names({a.parent_id for a in actors if a.parent_id is not None})
        return index_actors(actors, names, parent_names)

    def _names(self, ids: list[int] | None, where) -> dict[int, list[tuple[str, str]]]:
        """(name, matching key) pairs of the given actors, or of the actors ``where`` selects."""
        query = select(ActorName.actor_id, ActorName.name, ActorName.norm).order_by(ActorName.id)
        names: dict[int, list[tuple[str, str]]] = defaultdict(list)
        if ids is not None:
            for start in range(0, len(ids), 500):
                for actor_id, name, norm in self._rows(
                    query.where(ActorName.actor_id.in_(ids[start : start + 500]))
                ):
                    names[actor_id].append((name, norm))
            return names
        query = query.join(Actor, Actor.id == ActorName.actor_id).where(where)
        for actor_id, name, norm in self._rows(query):
            names[actor_id].append((name, norm))
        return names

    def _parent_names(self, ids: set[int]) -> dict[int, list[tuple[str, str]]]:
        """Names of each parent and of its own parents (see :func:`.ranking.ancestor_names`)."""
        return ancestor_names(ids, self._parents_of, lambda wanted: self._names(wanted, None))

    def _parents_of(self, ids: list[int]) -> dict[int, int | None]:
        found: dict[int, int | None] = {}
        for start in range(0, len(ids), 500):
            found.update(
                self._rows(
                    select(Actor.id, Actor.parent_id).where(Actor.id.in_(ids[start : start + 500]))
                ).all()
            )
        return found

    def register(self, actor: Actor, names: list[str]) -> None:
        """Make an actor created during this import resolvable by the rows that follow."""
        self._keys[actor.key] = actor.id
        if actor.country in self._indexes:
            parent_names = self._parent_names({actor.parent_id}) if actor.parent_id else {}
            self._indexes[actor.country].add(
                actor.id,
                names,
                country=actor.country,
                qualifiers=[n for n, _ in parent_names.get(actor.parent_id, ())],
                lat=actor.lat,
                lon=actor.lon,
                population=actor.population,
                kind=actor.kind,
                priority=PRIORITY.get(actor.kind, 0),
            )


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
