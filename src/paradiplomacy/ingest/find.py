"""Find actors by any of their names: ranked search, and resolution of one reference."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from paradiplomacy.ingest.directory import ActorDirectory
from paradiplomacy.ingest.errors import FieldError
from paradiplomacy.reference.names import normalize
from paradiplomacy.store.registry import Registry, RegistryError
from paradiplomacy.store.schema import Actor, ActorName


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


def search_actors(registry: Registry, text: str, *, country: str | None = None,
                  limit: int = 10) -> list[dict[str, Any]]:
    """Ranked candidates for ``text`` in any script or spelling, with their main attributes."""
    with registry.reader() as session:
        directory = ActorDirectory(session)
        candidates = directory.lookup(text, country=country, limit=limit)
        actors = {a.id: a for a in session.scalars(
            select(Actor).where(Actor.id.in_([int(c.entity_id) for c in candidates])))}
        results = []
        for rank, candidate in enumerate(candidates, start=1):
            actor = actors[int(candidate.entity_id)]
            parent = actor.parent.label if actor.parent else None
            results.append({
                "rank": rank, "id": actor.id, "key": actor.key, "name_en": actor.name_en,
                "name_ja": actor.name_ja, "kind": actor.kind, "lg_type": actor.lg_type,
                "lg_code": actor.lg_code, "country": actor.country, "parent": parent,
                "population": actor.population, "score": round(candidate.score, 3),
                "matched": candidate.matched, "reason": candidate.reason,
            })
        return results


def find_actor(registry: Registry, ref: str, *, country: str | None = None) -> int:
    """The id of the one actor ``ref`` names; raise :class:`ActorNotFound` with candidates otherwise."""
    with registry.reader() as session:
        exact = session.scalar(select(Actor.id).where((Actor.key == ref) | (Actor.lg_code == ref)))
        if exact is not None:
            return exact
        named = set(session.scalars(
            select(ActorName.actor_id).where(ActorName.norm == normalize(ref))))
        if country:
            named = set(session.scalars(
                select(Actor.id).where(Actor.id.in_(named), Actor.country == country)))
        if len(named) == 1:
            return named.pop()
        directory = ActorDirectory(session)
        try:
            return directory.resolve("actor", ref, country=country)
        except FieldError as error:
            raise ActorNotFound(ref, error.reason, error.candidates) from None


__all__ = ["ActorNotFound", "find_actor", "search_actors"]
