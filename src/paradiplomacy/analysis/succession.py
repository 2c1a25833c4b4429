"""Who held a tie on a date, and which local governments existed then (Japan's municipal history).

A tie that names a former municipality stays attached to it and is counted for its successor from
the merger date: on the day a body ends (``Actor.dissolved``, the date of its ``succession`` rows)
its ties pass to its successor, and on through later changes. A body split between several
successors (上九一色村 → 甲府市 and 富士河口湖町) passes its ties to the successor at position 0,
the first the source lists, so that each tie is counted once.

Dates are ISO strings or ``datetime.date``; a partial date means its last day (see ``_frames``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from paradiplomacy.analysis._frames import as_date
from paradiplomacy.model.vocab import ActorKind, LgType
from paradiplomacy.reference import history
from paradiplomacy.store.registry import Registry
from paradiplomacy.store.schema import Actor, ActorCode, Succession
from paradiplomacy.store.succession import MAX_DEPTH

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Holder", "SuccessionIndex", "effective_holders", "eligible_municipalities", "holder_at"]

HISTORY_START = history.START  # the bundled history begins here: bodies of that day may be older
_HOME_KINDS = (ActorKind.PREFECTURE.value, ActorKind.MUNICIPALITY.value, ActorKind.WARD.value)


def _day(value: str | dt.date | None) -> str | None:
    day = as_date(value, end=True)
    return day.isoformat() if day is not None else None


@dataclass(frozen=True)
class Holder:
    """The body holding a tie at a date: ``since`` is when it took the tie over (None: its own)."""

    actor_id: int
    since: str | None = None


class SuccessionIndex:
    """Every body's first successor and end date, loaded once from a registry."""

    def __init__(self, registry: Registry) -> None:
        self.heir: dict[int, tuple[int, str]] = {}
        with registry.reader() as session:
            rows = session.execute(
                select(Succession.predecessor_id, Succession.successor_id, Succession.date).order_by(
                    Succession.predecessor_id, Succession.position, Succession.id
                )
            )
            for predecessor, successor, date in rows:
                self.heir.setdefault(predecessor, (successor, date))
            #: administrative wards and their city: a town merged into a ward is held by the city
            self.city_of_ward: dict[int, int] = dict(
                session.execute(
                    select(Actor.id, Actor.parent_id).where(
                        Actor.kind == ActorKind.WARD.value, Actor.parent_id.is_not(None)
                    )
                ).all()
            )
        self._cache: dict[tuple[int, str | None], Holder] = {}

    def holder(self, actor_id: int, day: str | None = None) -> Holder:
        """The body holding ``actor_id``'s ties on ``day`` (ISO; None: today)."""
        key = (actor_id, day)
        if key not in self._cache:
            current, since = actor_id, None
            for _step in range(MAX_DEPTH):
                step = self.heir.get(current)
                if step is None or (day is not None and step[1] > day):
                    break
                if step[0] in self.city_of_ward and current not in self.city_of_ward:
                    # e-Stat names the ward that took a town's area (蒲原町 -> 静岡市清水区);
                    # the body that took the town over, and its ties, is the city
                    current, since = self.city_of_ward[step[0]], step[1]
                    continue
                current, since = step
            self._cache[key] = Holder(current, since)
        return self._cache[key]


def holder_at(registry: Registry, actor_id: int, date: str | dt.date | None = None) -> int:
    """The id of the body that held ``actor_id``'s ties on ``date`` (None: today).

    The actor itself before its end date, else its successor on that date, following the chain.
    """
    return SuccessionIndex(registry).holder(actor_id, _day(date)).actor_id


def effective_holders(
    frame: pd.DataFrame,
    as_of: str | dt.date | None,
    registry: Registry,
    *,
    column: str = "actor_id",
    index: SuccessionIndex | None = None,
) -> pd.DataFrame:
    """``frame`` with ``holder_id`` and ``holder_since`` columns: who held each row's ``column``
    actor's ties on ``as_of`` (None: today) and since when (None where it is the actor itself)."""
    import pandas as pd

    index = index or SuccessionIndex(registry)
    day = _day(as_of)
    holders = [index.holder(int(a), day) for a in frame[column]]
    out = frame.copy()
    out["holder_id"] = pd.Series([h.actor_id for h in holders], index=frame.index, dtype="int64")
    out["holder_since"] = pd.Series([h.since for h in holders], index=frame.index, dtype=object)
    return out


def eligible_municipalities(
    registry: Registry, date: str | dt.date | None, *, prefectures: bool = True, wards: bool = False
) -> pd.DataFrame:
    """The Japanese local governments that existed on ``date`` (None: today's).

    A body existed when one of its codes was in force (``valid_from`` <= date < ``valid_until``;
    bodies of 1970-04-01, where the history starts, count as existing before it), or, for a body
    without code history (prefectures), when ``founded`` <= date < ``dissolved``. Prefectures are
    included unless ``prefectures`` is false; the administrative wards of designated cities are not
    local governments and are left out unless ``wards`` (Tokyo's special wards always count).
    Columns: ``actor_id, key, name_ja, name_en, lg_code`` (the code in force on that date),
    ``lg_type, kind, prefecture_id, prefecture`` (its name), ``founded, dissolved``.
    """
    import pandas as pd

    day = _day(date)
    with registry.reader() as session:
        actors = session.execute(
            select(
                Actor.id,
                Actor.key,
                Actor.name_ja,
                Actor.name_en,
                Actor.lg_code,
                Actor.lg_type,
                Actor.kind,
                Actor.parent_id,
                Actor.founded,
                Actor.dissolved,
            ).where(Actor.country == "JP", Actor.kind.in_(_HOME_KINDS))
        ).all()
        codes: dict[int, list[tuple[str, str | None, str | None]]] = defaultdict(list)
        for actor_id, code, start, until in session.execute(
            select(ActorCode.actor_id, ActorCode.code, ActorCode.valid_from, ActorCode.valid_until)
        ):
            codes[actor_id].append((code, start, until))
        kinds = dict(session.execute(select(Actor.id, Actor.kind).where(Actor.country == "JP")).all())
        parents = dict(session.execute(select(Actor.id, Actor.parent_id).where(Actor.country == "JP")).all())
    names = {a.id: a.name_ja for a in actors if a.kind == ActorKind.PREFECTURE.value}
    rows = []
    for a in actors:
        if a.kind == ActorKind.PREFECTURE.value and not prefectures:
            continue
        if a.lg_type == LgType.WARD.value and not wards:
            continue
        in_force = _code_on(codes.get(a.id, []), day)
        if codes.get(a.id):
            if in_force is None:
                continue
        elif not _between(a.founded, a.dissolved, day):
            continue
        rows.append(
            {
                "actor_id": a.id,
                "key": a.key,
                "name_ja": a.name_ja,
                "name_en": a.name_en,
                "lg_code": in_force or a.lg_code,
                "lg_type": a.lg_type,
                "kind": a.kind,
                "prefecture_id": (pref := _prefecture(a.id, kinds, parents)),
                "prefecture": names.get(pref) if pref is not None else None,
                "founded": a.founded,
                "dissolved": a.dissolved,
            }
        )
    columns = [
        "actor_id",
        "key",
        "name_ja",
        "name_en",
        "lg_code",
        "lg_type",
        "kind",
        "prefecture_id",
        "prefecture",
        "founded",
        "dissolved",
    ]
    return pd.DataFrame(rows, columns=columns).sort_values("lg_code", ignore_index=True)


def _code_on(codes: list[tuple[str, str | None, str | None]], day: str | None) -> str | None:
    for code, start, until in codes:
        if day is None:
            if until is None:
                return code
            continue
        starts = start is None or start == HISTORY_START or start <= day
        if starts and (until is None or day < until):
            return code
    return None


def _between(founded: str | None, dissolved: str | None, day: str | None) -> bool:
    if day is None:
        return dissolved is None
    return (founded is None or founded <= day) and (dissolved is None or day < dissolved)


def _prefecture(actor_id: int, kinds: dict[int, str], parents: dict[int, int | None]) -> int | None:
    current: int | None = actor_id
    for _step in range(4):
        if current is None:
            return None
        if kinds.get(current) == ActorKind.PREFECTURE.value:
            return current
        current = parents.get(current)
    return None
