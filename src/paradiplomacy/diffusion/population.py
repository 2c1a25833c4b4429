"""The eligible population: which Japanese local governments could adopt a policy at a date.

This is the one place that decides the risk set. It reads only the actor table's current fields
(``kind``, ``lg_type``, ``lg_code``, ``founded``, ``note``, ``parent``): today's governments, dropping
those whose ``founded`` date is after ``as_of``. When the registry records former municipalities (an
end date and succession records), only :func:`eligible_governments` needs to change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from paradiplomacy.model.dates import parse_optional
from paradiplomacy.model.vocab import LgType
from paradiplomacy.store.registry import Registry
from paradiplomacy.store.schema import Actor

__all__ = ["ALL_TYPES", "COLUMNS", "eligible_governments"]

#: Japanese local governments that act on their own (administrative wards of designated cities do not).
ALL_TYPES: tuple[str, ...] = (LgType.PREFECTURE, LgType.DESIGNATED_CITY, LgType.CITY,
                              LgType.SPECIAL_WARD, LgType.TOWN, LgType.VILLAGE)

COLUMNS = ["actor_id", "key", "name", "lg_code", "lg_type", "prefecture_id", "population", "lat",
           "lon", "founded"]


def eligible_governments(registry: Registry, *, as_of: dt.date | None = None,
                         types: Iterable[str] = ALL_TYPES) -> pd.DataFrame:
    """Japanese local governments of the given types that existed at ``as_of`` (today when None):
    former municipalities count until the day they ended.

    Columns: ``actor_id, key, name, lg_code, lg_type, prefecture_id, population, lat, lon, founded``;
    ``prefecture_id`` is the prefecture itself for a prefecture and the parent prefecture otherwise.
    A prefecture's ``population`` is the sum of its municipalities' (computed: the gazetteer has none).
    A government whose ``founded`` date cannot be placed, or is not given, counts as existing.
    """
    wanted = [str(t) for t in types]
    parent = aliased(Actor)
    query = (select(Actor, parent.id, parent.lg_type)
             .outerjoin(parent, parent.id == Actor.parent_id)
             .where(Actor.country == "JP", Actor.lg_type.in_(wanted))
             .order_by(Actor.lg_code))
    rows = []
    with registry.reader() as session:
        for actor, parent_id, parent_type in session.execute(query):
            founded = _first_day(actor.founded)
            if as_of is not None and founded is not None and founded > as_of:
                continue
            ended = _first_day(actor.dissolved)   # a former municipality (merged away)
            if ended is not None and (as_of is None or ended <= as_of):
                continue
            prefecture = actor.id if actor.lg_type == LgType.PREFECTURE else (
                parent_id if parent_type == LgType.PREFECTURE else None)
            rows.append({"actor_id": actor.id, "key": actor.key, "name": actor.label,
                         "lg_code": actor.lg_code, "lg_type": actor.lg_type,
                         "prefecture_id": prefecture, "population": actor.population,
                         "lat": actor.lat, "lon": actor.lon, "founded": founded})
        sums = _municipal_sums(session)
    frame = pd.DataFrame(rows, columns=COLUMNS)
    prefectures = frame["lg_type"] == LgType.PREFECTURE
    frame.loc[prefectures, "population"] = frame.loc[prefectures, "actor_id"].map(sums)
    return frame


def _municipal_sums(session: Session) -> dict[int, int]:
    """Population of each prefecture as the sum of its municipalities' (computed; gaps count 0)."""
    query = (select(Actor.parent_id, func.sum(Actor.population))
             .where(Actor.country == "JP",
                    Actor.lg_type.in_([LgType.DESIGNATED_CITY, LgType.CITY, LgType.SPECIAL_WARD,
                                       LgType.TOWN, LgType.VILLAGE]))
             .group_by(Actor.parent_id))
    return {parent: int(total) for parent, total in session.execute(query) if total}


def _first_day(value: str | None) -> dt.date | None:
    try:
        parsed = parse_optional(value)
    except ValueError:
        return None
    return parsed.earliest() if parsed else None
