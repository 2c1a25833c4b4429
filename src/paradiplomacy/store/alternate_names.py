"""Names a reader of Japanese would use for places that have no Japanese name of their own."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from paradiplomacy.reference.names import japanese_name
from paradiplomacy.store.schema import Actor, ActorName

__all__ = ["japanese_alternates"]


def japanese_alternates(session: Session, actor_ids: Iterable[int]) -> dict[int, str]:
    """A Japanese name for each of ``actor_ids`` that has one among its alternate names (kana
    first, else, for East Asian places, kanji that Shift_JIS writes: ホノルル, 福州)."""
    found: dict[int, list[str]] = {}
    country: dict[int, str | None] = {}
    wanted = sorted(set(actor_ids))
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        for actor_id, name, code in session.execute(
            select(ActorName.actor_id, ActorName.name, Actor.country)
            .join(Actor, Actor.id == ActorName.actor_id)
            .where(ActorName.actor_id.in_(chunk))
        ):
            found.setdefault(actor_id, []).append(name)
            country[actor_id] = code
    return {a: n for a, names in found.items() if (n := japanese_name(names, country[a]))}
