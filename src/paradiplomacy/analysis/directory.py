"""Directory queries: a CLAIR-style list of Japanese local governments' ties, as a readable DataFrame.

One row per tie with a Japanese local government on one side. The Japanese side is the body that
*holds* the tie: the signatory itself, or, when the signatory is a former municipality that had
ended by ``as_of`` (today by default), its successor (see ``analysis.succession``), with ``via``
naming the former body (``旧清水市``) and ``merged`` its end date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import aliased

from paradiplomacy.analysis._frames import as_date
from paradiplomacy.analysis.succession import SuccessionIndex
from paradiplomacy.model.dates import in_force, stored_date
from paradiplomacy.model.vocab import AFFILIATION_KINDS, ActorKind, TieKind, TieStatus
from paradiplomacy.resolve.find import find_actor, find_prefecture
from paradiplomacy.store.alternate_names import japanese_alternates
from paradiplomacy.store.profile import citations
from paradiplomacy.store.registry import Registry, RegistryError
from paradiplomacy.store.schema import Actor, ActorCode, Tie
from paradiplomacy.store.succession import former_label, predecessors

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "COLUMNS",
    "DIRECTORY_KINDS",
    "BadFilter",
    "held_through_predecessors",
    "tie_records",
    "ties_frame",
]

# Affiliations of every kind, and "twinning": a pair list's tie that does not say sister or friendship.
DIRECTORY_KINDS = frozenset({*(str(k) for k in AFFILIATION_KINDS), "twinning"})
HOME = "JP"
_HOME_KINDS = (ActorKind.PREFECTURE.value, ActorKind.MUNICIPALITY.value, ActorKind.WARD.value)
_GEONAMES_KEY = re.compile(r"^geo-(\d+)$")
_ISO2 = re.compile(r"^[A-Z]{2}$")

COLUMNS = [
    "name_ja",
    "name_en",
    "code",
    "prefecture",
    "type",
    "partner",
    "partner_ja",
    "partner_country",
    "partner_key",
    "geonames_id",
    "kind",
    "start",
    "end",
    "status",
    "via",
    "merged",
    "sources",
    "tie_id",
    "actor_id",
    "actor_key",
    "partner_id",
    "signatory_id",
]


class BadFilter(RegistryError):
    """A filter value ``ties_frame`` cannot use (unknown kind, status, country or date)."""


def _as_set(value: str | Iterable[str] | None) -> set[str] | None:
    if value is None:
        return None
    return {value} if isinstance(value, str) else set(value)


def _kinds(kind: str | Iterable[str] | None) -> set[str] | None:
    """The tie kinds to list: affiliations by default, ``all`` for every kind."""
    wanted = _as_set(kind)
    if wanted is None:
        return set(DIRECTORY_KINDS)
    if "all" in wanted:
        return None
    known = {str(k) for k in TieKind} | DIRECTORY_KINDS
    unknown = sorted(wanted - known)
    if unknown:
        raise BadFilter(f"unknown tie kind {', '.join(unknown)}: choose from all, {', '.join(sorted(known))}")
    return wanted


def _check(values: set[str] | None, allowed: set[str], what: str) -> None:
    if values and (bad := sorted(values - allowed)):
        raise BadFilter(f"unknown {what} {', '.join(bad)}: choose from {', '.join(sorted(allowed))}")


def _resolve(registry: Registry, actor: int | str | None) -> int | None:
    if actor is None or isinstance(actor, int):
        return actor
    return find_actor(registry, actor)


def ties_frame(registry: Registry, actor: int | str | None = None, **filters: Any) -> pd.DataFrame:
    """:func:`tie_records` as a DataFrame (columns :data:`COLUMNS`)."""
    import pandas as pd

    frame = pd.DataFrame(tie_records(registry, actor, **filters), columns=COLUMNS)
    return frame.astype({"geonames_id": "Int64"})


def held_through_predecessors(registry: Registry, actor: int | str, shown: int, **filters: Any) -> int:
    """How many more of ``actor``'s ties, under the same ``filters``, it holds through the former
    municipalities that became it, beyond the ``shown`` ones listed without them."""
    return len(tie_records(registry, actor, **{**filters, "with_predecessors": True})) - shown


def tie_records(
    registry: Registry,
    actor: int | str | None = None,
    *,
    prefecture: int | str | None = None,
    country: str | Iterable[str] | None = None,
    kind: str | Iterable[str] | None = None,
    since: str | int | None = None,
    until: str | int | None = None,
    status: str | Iterable[str] | None = None,
    with_predecessors: bool = False,
    as_of: str | dt.date | None = None,
    left_out: Counter[str] | None = None,
) -> list[dict[str, Any]]:
    """The ties of Japanese local governments, one dict each, Japanese side first, ordered by
    code, start and partner (no pandas: the ``ties`` command starts fast).

    ``actor`` (id, key, code or name) keeps the ties it signed or whose partner it is; with
    ``with_predecessors`` also those of the former municipalities that became it (all lines of a
    split, ``via`` naming the former body). ``prefecture`` (id, name or code) keeps the ties held
    or signed by the prefecture, its municipalities and their wards. ``country`` filters on the
    partner's ISO code(s); ``kind`` on tie kinds (affiliations and ``twinning`` by default,
    ``all`` for every kind); ``since``/``until`` on the start (a year or date; undated ties are
    then left out); ``status`` on the status. ``as_of`` keeps the ties in force on that date
    (dated ones only, see ``_frames``) and names the bodies that held them on that day; ``left_out``,
    when given, counts the ties the dates left out among those the other filters keep.
    Columns: see :data:`COLUMNS`.
    """
    kinds = _kinds(kind)
    statuses = _as_set(status)
    _check(statuses, {str(s) for s in TieStatus}, "status")
    countries = {c.upper() for c in _as_set(country) or ()} or None
    if countries and (bad := sorted(c for c in countries if not _ISO2.match(c))):
        raise BadFilter(f"not an ISO 3166-1 country code: {', '.join(bad)}")
    try:
        day = as_date(as_of, end=True)
        low = as_date(str(since), end=False) if since is not None else None
        high = as_date(str(until), end=True) if until is not None else None
    except RegistryError as error:
        raise BadFilter(str(error)) from None
    actor_id = _resolve(registry, actor)
    prefecture_id = (
        prefecture
        if isinstance(prefecture, int) or prefecture is None
        else find_prefecture(registry, prefecture)
    )
    iso_day = day.isoformat() if day else None
    index = SuccessionIndex(registry)
    subject, obj = aliased(Actor), aliased(Actor)
    query = (
        select(
            Tie.id,
            Tie.kind,
            Tie.start,
            Tie.end,
            Tie.status,
            subject.id,
            subject.country,
            subject.kind,
            obj.id,
            obj.country,
            obj.kind,
        )
        .join(subject, subject.id == Tie.subject_id)
        .join(obj, obj.id == Tie.object_id)
        .where(
            or_(
                and_(subject.country == HOME, subject.kind.in_(_HOME_KINDS)),
                and_(obj.country == HOME, obj.kind.in_(_HOME_KINDS)),
            )
        )
    )
    if kinds is not None:
        query = query.where(Tie.kind.in_(sorted(kinds)))
    if statuses:
        query = query.where(Tie.status.in_(sorted(statuses)))
    with registry.reader() as session:
        raw = session.execute(query).all()
        lines = (
            {p["id"]: p for p in predecessors(session, actor_id)}
            if (actor_id is not None and with_predecessors)
            else {}
        )
        prefectures = _prefectures(session)
        rows = []
        for tie_id, tkind, start, end, tstatus, a_id, a_country, a_kind, b_id, b_country, b_kind in raw:
            a_home = a_country == HOME and a_kind in _HOME_KINDS
            b_home = b_country == HOME and b_kind in _HOME_KINDS
            signatory, partner = (a_id, b_id) if a_home else (b_id, a_id)
            # a tie inside Japan is listed under the side asked for (the actor, or one in the prefecture)
            in_asked_prefecture = prefecture_id is not None and (
                _prefecture_of(a_id, prefectures) != prefecture_id == _prefecture_of(b_id, prefectures)
            )
            if a_home and b_home and (b_id == actor_id or b_id in lines or in_asked_prefecture):
                signatory, partner = b_id, a_id
            holder = index.holder(signatory, iso_day)
            if signatory in lines and (iso_day is None or lines[signatory]["reached"] <= iso_day):
                holder_id = actor_id
            else:
                holder_id = holder.actor_id
            if (
                actor_id is not None
                and actor_id not in (signatory, partner)
                and not (signatory in lines and holder_id == actor_id)
            ):
                continue
            rows.append(
                {
                    "tie_id": tie_id,
                    "kind": tkind,
                    "start": start,
                    "end": end,
                    "status": tstatus,
                    "signatory_id": signatory,
                    "actor_id": holder_id,
                    "partner_id": partner,
                }
            )
        actors = _actors(
            session, {i for r in rows for i in (r["signatory_id"], r["actor_id"], r["partner_id"])}
        )
        if prefecture_id is not None:
            rows = [
                r
                for r in rows
                if prefecture_id
                in (
                    _prefecture_of(r["actor_id"], prefectures),
                    _prefecture_of(r["signatory_id"], prefectures),
                )
            ]
        if countries:
            rows = [r for r in rows if actors[r["partner_id"]]["country"] in countries]
        kept = [r for r in rows if _dated(r, day, low, high)]
        if left_out is not None and (day or low or high):
            undated = sum(1 for r in rows if stored_date(r["start"], last=False) is None)
            left_out["without a start date"] += undated
            left_out["not in force then" if day else "outside --since/--until"] += (
                len(rows) - len(kept) - undated
            )
        rows = kept
        codes = _codes(session, {r["actor_id"] for r in rows})
        cited = citations(session, "tie", [r["tie_id"] for r in rows])
    out = [_row(r, actors, prefectures, codes, cited, iso_day) for r in rows]
    return sorted(
        out, key=lambda r: tuple("" if r[c] is None else str(r[c]) for c in ("code", "start", "partner"))
    )


def _dated(row: dict[str, Any], day: dt.date | None, low: dt.date | None, high: dt.date | None) -> bool:
    first = stored_date(row["start"], last=False)
    if (low is not None or high is not None or day is not None) and first is None:
        return False
    if low is not None and first < low:
        return False
    if high is not None and first > high:
        return False
    return day is None or in_force(row["start"], row["end"], day)


def _actors(session, ids: set[int]) -> dict[int, dict[str, Any]]:
    found: dict[int, dict[str, Any]] = {}
    chunk = sorted(ids)
    for i in range(0, len(chunk), 500):
        for a in session.scalars(select(Actor).where(Actor.id.in_(chunk[i : i + 500]))):
            found[a.id] = {
                "key": a.key,
                "name_en": a.name_en,
                "name_ja": a.name_ja,
                "country": a.country,
                "lg_code": a.lg_code,
                "lg_type": a.lg_type,
                "kind": a.kind,
                "parent_id": a.parent_id,
                "dissolved": a.dissolved,
            }
    abroad = [i for i, a in found.items() if a["name_ja"] is None and a["country"] != HOME]
    for actor_id, name in japanese_alternates(session, abroad).items():  # ホノルル, 福州
        found[actor_id]["name_ja"] = name
    return found


def _prefectures(session) -> dict[int, dict[str, Any]]:
    """Japanese prefectures and every JP local government's parent, for prefecture lookups."""
    rows = session.execute(
        select(Actor.id, Actor.kind, Actor.parent_id, Actor.name_ja).where(
            Actor.country == HOME, Actor.kind.in_(_HOME_KINDS)
        )
    )
    return {r.id: {"kind": r.kind, "parent_id": r.parent_id, "name_ja": r.name_ja} for r in rows}


def _prefecture_of(actor_id: int, prefectures: dict[int, dict[str, Any]]) -> int | None:
    current: int | None = actor_id
    for _step in range(4):
        if current is None or current not in prefectures:
            return None
        if prefectures[current]["kind"] == ActorKind.PREFECTURE.value:
            return current
        current = prefectures[current]["parent_id"]
    return None


def _codes(session, ids: set[int]) -> dict[int, list[tuple[str, str | None, str | None]]]:
    found: dict[int, list[tuple[str, str | None, str | None]]] = defaultdict(list)
    rows = session.execute(
        select(ActorCode.actor_id, ActorCode.code, ActorCode.valid_from, ActorCode.valid_until).where(
            ActorCode.actor_id.in_(sorted(ids))
        )
    )
    for actor_id, code, start, until in rows:
        found[actor_id].append((code, start, until))
    return found


def _code_at(
    actor: dict[str, Any], codes: list[tuple[str, str | None, str | None]], day: str | None
) -> str | None:
    """The code an actor held on ``day`` (today's, else its last)."""
    if day is not None:
        for code, start, until in codes:
            if (start is None or start <= day) and (until is None or day < until):
                return code
    if actor["lg_code"]:
        return actor["lg_code"]
    return max(codes, key=lambda c: c[2] or "9999")[0] if codes else None


def _row(
    r: dict[str, Any],
    actors: dict[int, dict[str, Any]],
    prefectures: dict[int, dict[str, Any]],
    codes,
    cited: dict[int, list[str]],
    day: str | None,
) -> dict[str, Any]:
    holder, partner, signatory = (actors[r["actor_id"]], actors[r["partner_id"]], actors[r["signatory_id"]])
    pref = _prefecture_of(r["actor_id"], prefectures)
    via = r["signatory_id"] != r["actor_id"]
    geonames = _GEONAMES_KEY.match(partner["key"])
    return {
        "name_ja": holder["name_ja"],
        "name_en": holder["name_en"],
        "code": _code_at(holder, codes.get(r["actor_id"], []), day),
        "prefecture": prefectures[pref]["name_ja"] if pref is not None else None,
        "type": holder["lg_type"] or holder["kind"],
        "partner": partner["name_en"] or partner["name_ja"],
        "partner_ja": partner["name_ja"],
        "partner_country": partner["country"],
        "partner_key": partner["key"],
        "geonames_id": int(geonames.group(1)) if geonames else None,
        "kind": r["kind"],
        "start": r["start"],
        "end": r["end"],
        "status": r["status"],
        "via": former_label(signatory["name_ja"], signatory["key"]) if via else None,
        "merged": signatory["dissolved"] if via else None,
        "sources": "; ".join(cited.get(r["tie_id"], [])),
        "tie_id": r["tie_id"],
        "actor_id": r["actor_id"],
        "actor_key": holder["key"],
        "partner_id": r["partner_id"],
        "signatory_id": r["signatory_id"],
    }
