"""Record and observation tables read from a registry, shared by the analysis modules.

Date rule (used by every ``as_of`` in this package): a partial date is widened to the days it
may denote. A tie is *in force* at date ``D`` when its start's first possible day is on or before
``D`` and its end, if any, is not certainly before ``D`` (its last possible day is on or after
``D``); the status field (today's state) is ignored for past dates. Without ``as_of`` the count is
of today: every tie not ``ended`` and with no end date, dated or not. Ties with no start date cannot
be placed in time: they are left out of every dated count and reported in an ``undated`` column
instead, so the reader sees what was set aside.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from paradiplomacy.model.dates import PartialDate, stored_date
from paradiplomacy.model.vocab import AFFILIATION_KINDS, TWINNING_KINDS, LgType
from paradiplomacy.store.profile import citations
from paradiplomacy.store.registry import Registry, RegistryError
from paradiplomacy.store.schema import Actor, Observation, Tie

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "BadDate",
    "affiliation_frame",
    "as_date",
    "government_type",
    "in_force",
    "observation_frame",
    "stored_date",
]


class BadDate(RegistryError):
    """An ``--as-of`` value that is not a (partial) ISO date."""


def as_date(value: str | dt.date | None, *, end: bool = True) -> dt.date | None:
    """A user's date as one day: a partial date becomes its last day (``end``) or its first.

    >>> as_date("2001-04")
    datetime.date(2001, 4, 30)
    """
    if value is None or isinstance(value, dt.date):
        return value
    try:
        parsed = PartialDate.parse(value)
    except ValueError:
        raise BadDate(f"not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)") from None
    return parsed.latest() if end else parsed.earliest()


def government_type(lg_type: str | None, kind: str, *, designated_as_city: bool = True) -> str:
    """The paper's government type of an actor.

    Menju's Table 1 has no column for designated cities, so they count as cities unless
    ``designated_as_city`` is false; administrative wards count with their city. Actors that are not
    Japanese local governments get their actor kind (``foreign_city``, ``foreign_region``...).
    """
    if lg_type in (LgType.DESIGNATED_CITY, LgType.WARD):
        return "city" if designated_as_city else LgType.DESIGNATED_CITY.value
    return lg_type or kind


def in_force(frame: pd.DataFrame, as_of: dt.date | None) -> pd.Series:
    """Boolean mask of the rows of an affiliation frame in force at ``as_of`` (see module doc)."""
    if as_of is None:
        return frame["status"].ne("ended") & frame["end"].isna()
    started = frame["start"].map(lambda d: d is not None and d <= as_of)
    not_ended = frame["end"].map(lambda d: d is None or d >= as_of)
    return started & not_ended


def affiliation_frame(
    registry: Registry, *, home: str | None = "JP", designated_as_city: bool = True
) -> pd.DataFrame:
    """One row per affiliation tie (sister, friendship, business, purpose-specific) seen from home.

    ``home`` is the country whose local governments are the 'home' side (Japan by default); the
    other side is the partner. With ``home=None`` each tie gives one row per side, so every
    country's affiliations are counted. Ties inside one country are left out (the papers count
    ties abroad). A twinning tie (a list's row) between two places that also have a sister or
    friendship tie is the same affiliation and is counted once, under the specific kind.
    Columns: ``tie_id, kind, actor_id, actor_key, actor, government_type, country, partner_key,
    partner, partner_country, start, end, status, start_year``.
    """
    import pandas as pd

    subject, obj = aliased(Actor), aliased(Actor)
    query = (
        select(Tie.id, Tie.kind, Tie.start, Tie.end, Tie.status, subject, obj)
        .join(subject, subject.id == Tie.subject_id)
        .join(obj, obj.id == Tie.object_id)
        .where(Tie.kind.in_([str(k) for k in AFFILIATION_KINDS]))
    )
    rows: list[dict[str, Any]] = []
    with registry.reader() as session:
        for tie_id, kind, start, end, status, a, b in session.execute(query):
            if a.country and a.country == b.country:
                continue
            for side, other in ((a, b), (b, a)):
                if home is not None and (side.country != home or not _is_local(side)):
                    continue
                if home is None and not _is_local(side):
                    continue
                rows.append(
                    {
                        "tie_id": tie_id,
                        "kind": kind,
                        "actor_id": side.id,
                        "actor_key": side.key,
                        "actor": side.label,
                        "country": side.country,
                        "government_type": government_type(
                            side.lg_type, side.kind, designated_as_city=designated_as_city
                        ),
                        "partner_key": other.key,
                        "partner": other.label,
                        "partner_country": other.country or "??",
                        "start": stored_date(start, last=False),
                        "end": stored_date(end, last=True),
                        "status": status,
                    }
                )
    specific = {(r["actor_id"], r["partner_key"]) for r in rows if r["kind"] in TWINNING_KINDS}
    rows = [r for r in rows if r["kind"] != "twinning" or (r["actor_id"], r["partner_key"]) not in specific]
    columns = [
        "tie_id",
        "kind",
        "actor_id",
        "actor_key",
        "actor",
        "country",
        "government_type",
        "partner_key",
        "partner",
        "partner_country",
        "start",
        "end",
        "status",
    ]
    frame = pd.DataFrame(rows, columns=columns).astype({"start": object, "end": object})
    frame["start_year"] = frame["start"].map(lambda d: d.year if d is not None else None)
    return frame


def _is_local(actor: Actor) -> bool:
    return actor.lg_type is not None or actor.kind in {
        "prefecture",
        "municipality",
        "ward",
        "foreign_city",
        "foreign_region",
    }


def observation_frame(registry: Registry | Session, measure: str | list[str] | None = None) -> pd.DataFrame:
    """The published figures (``Observation`` rows) with their dimensions and sources.

    Columns: ``observation_id, key, measure, value, unit, as_of, dimensions, source``; ``source`` is
    the human-readable citation of each figure (paper key and table/section).
    """
    import pandas as pd

    if isinstance(registry, Registry):
        with registry.reader() as session:
            return observation_frame(session, measure)
    session = registry
    query = select(Observation)
    if isinstance(measure, str):
        query = query.where(Observation.measure == measure)
    elif measure is not None:
        query = query.where(Observation.measure.in_(measure))
    found = list(session.scalars(query.order_by(Observation.id)))
    cites = citations(session, "observation", [o.id for o in found])
    rows = [
        {
            "observation_id": o.id,
            "key": o.key,
            "measure": o.measure,
            "value": o.value,
            "unit": o.unit,
            "as_of": o.as_of,
            "dimensions": dict(o.dimensions or {}),
            "source": "; ".join(cites.get(o.id, [])),
        }
        for o in found
    ]
    return pd.DataFrame(
        rows, columns=["observation_id", "key", "measure", "value", "unit", "as_of", "dimensions", "source"]
    )
