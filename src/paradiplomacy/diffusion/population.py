"""The eligible population: which Japanese local governments could adopt a policy at a date.

This is the one place that decides the risk set: the bodies that existed at ``as_of`` (former
municipalities included, merged ones gone), as
:func:`~paradiplomacy.analysis.succession.eligible_municipalities`
reads them from the registry's code history. A body's government type is today's (a city that became a
designated city counts as one throughout).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from paradiplomacy.analysis.succession import eligible_municipalities
from paradiplomacy.model.dates import stored_date
from paradiplomacy.model.vocab import LgType
from paradiplomacy.reference import history
from paradiplomacy.store.registry import Registry
from paradiplomacy.store.schema import Actor, ActorCode

__all__ = ["ALL_TYPES", "COLUMNS", "eligible_governments"]

#: Japanese local governments that act on their own (administrative wards of designated cities do not).
ALL_TYPES: tuple[str, ...] = (
    LgType.PREFECTURE,
    LgType.DESIGNATED_CITY,
    LgType.CITY,
    LgType.SPECIAL_WARD,
    LgType.TOWN,
    LgType.VILLAGE,
)

COLUMNS = [
    "actor_id",
    "key",
    "name",
    "lg_code",
    "lg_type",
    "prefecture_id",
    "population",
    "lat",
    "lon",
    "founded",
]


def eligible_governments(
    registry: Registry, *, as_of: dt.date | None = None, types: Iterable[str] = ALL_TYPES
) -> pd.DataFrame:
    """Japanese local governments of the given types that existed at ``as_of`` (today when None):
    former municipalities count until the day they ended.

    Columns: ``actor_id, key, name, lg_code, lg_type, prefecture_id, population, lat, lon, founded``;
    ``prefecture_id`` is the prefecture itself for a prefecture and the parent prefecture otherwise.
    A prefecture's ``population`` is the sum of its municipalities' (computed: the gazetteer has none).
    ``founded`` is the recorded founding date, else the day its first code came into force (for a
    body formed after 1970-04-01, where the code history starts).
    """
    wanted = [str(t) for t in types]
    parent = aliased(Actor)
    query = (
        select(Actor, parent.id, parent.lg_type)
        .outerjoin(parent, parent.id == Actor.parent_id)
        .where(Actor.country == "JP", Actor.lg_type.in_(wanted))
        .order_by(Actor.lg_code)
    )
    rows = []
    existing = set(eligible_municipalities(registry, as_of)["actor_id"])
    with registry.reader() as session:
        began = _code_starts(session)
        for actor, parent_id, parent_type in session.execute(query):
            founded = stored_date(actor.founded, last=False) or began.get(actor.id)
            if actor.id not in existing:
                continue
            ended = stored_date(actor.dissolved, last=False)  # a former municipality (merged away)
            if ended is not None and (as_of is None or ended <= as_of):
                continue
            prefecture = (
                actor.id
                if actor.lg_type == LgType.PREFECTURE
                else (parent_id if parent_type == LgType.PREFECTURE else None)
            )
            rows.append(
                {
                    "actor_id": actor.id,
                    "key": actor.key,
                    "name": actor.label,
                    "lg_code": actor.lg_code,
                    "lg_type": actor.lg_type,
                    "prefecture_id": prefecture,
                    "population": actor.population,
                    "lat": actor.lat,
                    "lon": actor.lon,
                    "founded": founded,
                }
            )
        sums = _municipal_sums(session)
    frame = pd.DataFrame(rows, columns=COLUMNS)
    prefectures = frame["lg_type"] == LgType.PREFECTURE
    frame.loc[prefectures, "population"] = frame.loc[prefectures, "actor_id"].map(sums)
    return frame


def _code_starts(session: Session) -> dict[int, dt.date]:
    """When each body that began after 1970-04-01 (where the code history starts) came to be."""
    query = select(ActorCode.actor_id, func.min(ActorCode.valid_from)).group_by(ActorCode.actor_id)
    return {
        actor_id: day
        for actor_id, start in session.execute(query)
        if start and start > history.START and (day := stored_date(start, last=False)) is not None
    }


def _municipal_sums(session: Session) -> dict[int, int]:
    """Population of each prefecture as the sum of its municipalities' (computed; gaps count 0)."""
    query = (
        select(Actor.parent_id, func.sum(Actor.population))
        .where(
            Actor.country == "JP",
            Actor.lg_type.in_(
                [LgType.DESIGNATED_CITY, LgType.CITY, LgType.SPECIAL_WARD, LgType.TOWN, LgType.VILLAGE]
            ),
        )
        .group_by(Actor.parent_id)
    )
    return {parent: int(total) for parent, total in session.execute(query) if total}
