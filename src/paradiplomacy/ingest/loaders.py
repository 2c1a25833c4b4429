"""One loader per record kind: resolve references, write or merge the record, cite its sources.

Every loader takes a validated record and returns ``"added"``, ``"updated"`` or ``"unchanged"``;
the tie loaders (:mod:`.ties`) say how they enriched a tie the registry held (``"enriched"``,
``"refined"``, ``"conflict"``).
Loaders raise :class:`FieldError` before writing anything for the row.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from paradiplomacy.ingest.context import LoadContext
from paradiplomacy.ingest.errors import FieldError
from paradiplomacy.ingest.specs import UNITS
from paradiplomacy.ingest.ties import one_partner_of, store_tie
from paradiplomacy.ingest.validate import check_owners, check_parent
from paradiplomacy.model.vocab import ActorKind
from paradiplomacy.resolve.directory import name_row
from paradiplomacy.store.schema import (
    Actor,
    ActorName,
    Adoption,
    Base,
    BudgetLine,
    Coalition,
    CoalitionEvent,
    CoalitionMember,
    Observation,
    Office,
    OfficeOwner,
    Programme,
    Source,
    Strategy,
)

Record = dict[str, Any]


def merge(obj: Base, values: Record) -> bool:
    """Set the given non-empty values on ``obj``; True when anything changed."""
    changed = False
    for name, value in values.items():
        if value is None or value == [] or value == {}:
            continue
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _finish(
    ctx: LoadContext, obj: Base, entity: str, record: Record, row: int, new: bool, changed: bool
) -> str:
    ctx.session.flush()
    cited = ctx.cite(entity, obj.id, record, row)
    if new:
        return "added"
    return "updated" if changed or cited else "unchanged"


def _upsert(
    ctx: LoadContext, model: type[Base], where: dict[str, Any], values: Record, record: Record, row: int
) -> tuple[Base, str]:
    stmt = select(model).filter_by(**where)
    obj = ctx.session.scalar(stmt)
    new = obj is None
    if new:
        obj = model(**where)
        ctx.session.add(obj)
    else:
        label = " ".join(str(v) for v in where.values())
        ctx.guard.check(obj, values, f"{model.__tablename__} {label}")
    changed = merge(obj, values)
    return obj, _finish(ctx, obj, model.__tablename__, record, row, new, changed)


def _ref(
    ctx: LoadContext,
    record: Record,
    field: str,
    default_country: str | None = None,
    near: tuple[float, float] | None = None,
    tied_to: int | None = None,
) -> int | None:
    """The id of the actor ``record[field]`` names; with ``tied_to``, a name several places share is
    the one of them the registry already ties to that actor, when exactly one is (an office's list
    dating the ties the registry holds: 新潟市–"Galveston" is Galveston, Texas)."""
    value = record.get(field)
    if not value:
        return None
    country = record.get(f"{field}_country") or default_country
    tie_break = None if tied_to is None else (lambda ids: one_partner_of(ctx.session, tied_to, ids))
    return ctx.directory.resolve(field, value, country=country, near=near, tie_break=tie_break)


def load_source(ctx: LoadContext, record: Record, row: int) -> str:
    values = {k: record[k] for k in ("title", "author", "year", "publication", "url", "note")}
    values["kind"] = record["kind"] or "user"
    where = {"key": record["key"]}
    obj = ctx.session.scalar(select(Source).filter_by(**where))
    if obj is None:
        ctx.session.add(Source(**where, **values))
        return "added"
    ctx.guard.check(obj, values, f"source {record['key']}")
    return "updated" if merge(obj, values) else "unchanged"


def load_actor(ctx: LoadContext, record: Record, row: int) -> str:
    parent = _ref(ctx, record, "parent", record.get("country"))
    values = {
        k: record[k]
        for k in (
            "kind",
            "name_en",
            "name_ja",
            "name_kana",
            "country",
            "lat",
            "lon",
            "population",
            "population_year",
            "founded",
            "note",
        )
    }
    values["parent_id"] = parent
    check_parent(ctx.session, record["key"], parent)
    if not (record["name_en"] or record["name_ja"]):
        raise FieldError("name_en", "an actor needs name_en or name_ja")
    ctx.check_source(record)
    obj, outcome = _upsert(ctx, Actor, {"key": record["key"]}, values, record, row)
    names = [n for n in (record["name_en"], record["name_ja"], record["name_kana"], *record["aliases"]) if n]
    known = set(ctx.session.scalars(select(ActorName.name).where(ActorName.actor_id == obj.id)))
    fresh = [n for n in dict.fromkeys(names) if n not in known]
    for name in fresh:
        ctx.session.add(ActorName(**name_row(obj.id, name)))
    ctx.directory.register(obj, names)
    return "updated" if fresh and outcome == "unchanged" else outcome


def load_tie(ctx: LoadContext, record: Record, row: int) -> str:
    try:
        subject = _ref(ctx, record, "subject")
    except FieldError as unresolved:  # an ambiguous name: perhaps the one the partner is tied to
        try:
            obj = _ref(ctx, record, "object")
        except FieldError:
            raise unresolved from None
        subject = _ref(ctx, record, "subject", tied_to=obj)
    else:
        obj = _ref(ctx, record, "object", tied_to=subject)
    ctx.check_source(record)
    return store_tie(ctx, record["kind"], subject, obj, record, row)


def load_pair(ctx: LoadContext, record: Record, row: int) -> str:
    places = [_place(ctx, record, side) for side in ("1", "2")]  # resolve both before writing
    if places[0] == places[1]:
        raise FieldError("city2", "both sides name the same place")
    ctx.check_source(record)
    ids = [p if isinstance(p, int) else create_place(ctx, *p, row) for p in places]
    return store_tie(ctx, ctx.tie_kind, ids[0], ids[1], record, row)


def _place(ctx: LoadContext, record: Record, side: str) -> int | tuple:
    """The id of one side's place, or the (name, country, lat, lon) of a place to create."""
    name, country = record[f"city{side}"], record[f"country{side}"]
    lat, lon = record[f"lat{side}"], record[f"lng{side}"]
    near = (lat, lon) if lat is not None and lon is not None else None
    field = f"city{side}"
    if not ctx.create_missing:
        return ctx.directory.resolve(field, name, country=country, near=near)
    resolution = ctx.directory.try_resolve(name, country=country, near=near)
    if resolution.status == "resolved" and resolution.match is not None:
        return int(resolution.match.entity_id)
    if resolution.status == "ambiguous" or country is None:
        return ctx.directory.resolve(field, name, country=country, near=near)
    return (name, country, lat, lon)


def create_place(
    ctx: LoadContext, name: str, country: str, lat: float | None, lon: float | None, row: int
) -> int:
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "place"
    key = f"place-{country.lower()}-{base}"
    suffix = 1
    while ctx.directory.by_key(key) is not None:
        suffix += 1
        key = f"place-{country.lower()}-{base}-{suffix}"
    actor = Actor(
        key=key,
        kind=ActorKind.FOREIGN_CITY.value,
        name_en=name,
        country=country,
        lat=lat,
        lon=lon,
        note="created from an import file: not in the gazetteer",
    )
    ctx.session.add(actor)
    ctx.session.flush()
    ctx.session.add(ActorName(**name_row(actor.id, name)))
    ctx.cite("actor", actor.id, {}, row)
    ctx.directory.register(actor, [name])
    return actor.id


def load_office(ctx: LoadContext, record: Record, row: int) -> str:
    owners = [
        ctx.directory.resolve("owners", ref, country=record.get("owners_country") or "JP")
        for ref in record["owners"]
    ]
    check_owners(owners, record["owners"])
    city = _ref(ctx, record, "city", record.get("country"))
    country = record["country"]
    if country is None and city is not None:
        country = ctx.session.get(Actor, city).country
    values = {
        k: record[k] for k in ("name", "opened", "closed", "model", "functions", "focus", "staff", "note")
    }
    values.update(city_id=city, country=country)
    ctx.check_source(record)
    obj, outcome = _upsert(ctx, Office, {"key": record["key"]}, values, record, row)
    current = [owner.actor_id for owner in obj.owners]
    if owners and current != owners:
        if current and not ctx.allow_overwrite_builtin and ctx.guard.is_builtin(obj):
            raise FieldError(
                "owners",
                f"conflict: built-in office {record['key']} has other "
                "owners (nothing changed; pass --allow-overwrite-builtin)",
            )
        obj.owners.clear()
        ctx.session.flush()
        obj.owners.extend(OfficeOwner(actor_id=a, position=i) for i, a in enumerate(owners))
        outcome = "updated" if outcome == "unchanged" else outcome
    return outcome


def load_strategy(ctx: LoadContext, record: Record, row: int) -> str:
    actor = _ref(ctx, record, "actor", "JP")
    values = {k: record[k] for k in ("title_ja", "adopted", "revised", "pillars", "themes", "note")}
    ctx.check_source(record)
    return _upsert(ctx, Strategy, {"actor_id": actor, "title": record["title"]}, values, record, row)[1]


def load_budget(ctx: LoadContext, record: Record, row: int) -> str:
    actor = _ref(ctx, record, "actor", "JP")
    unit = (record.get("unit") or "yen").lower()
    if unit not in UNITS:
        raise FieldError("unit", f"unknown unit {unit!r} (allowed: {', '.join(UNITS)})")
    values = {
        "amount": record["amount"] * UNITS[unit],
        "currency": record["currency"] or "JPY",
        "note": record["note"],
    }
    where = {"actor_id": actor, "fiscal_year": record["fiscal_year"], "category": record["category"]}
    ctx.check_source(record)
    return _upsert(ctx, BudgetLine, where, values, record, row)[1]


def load_programme(ctx: LoadContext, record: Record, row: int) -> str:
    actor = _ref(ctx, record, "actor", "JP")
    partner = _ref(ctx, record, "partner")
    values = {
        "actor_id": actor,
        "partner_id": partner,
        "name": record["name"],
        "kind": record["kind"] or "other",
        "start": record["start"],
        "end": record["end"],
        "note": record["note"],
    }
    ctx.check_source(record)
    return _upsert(ctx, Programme, {"key": record["key"]}, values, record, row)[1]


def load_adoption(ctx: LoadContext, record: Record, row: int) -> str:
    actor = _ref(ctx, record, "actor", "JP")
    values = {"date": record["date"], "note": record["note"]}
    ctx.check_source(record)
    return _upsert(ctx, Adoption, {"actor_id": actor, "policy": record["policy"]}, values, record, row)[1]


def load_coalition(ctx: LoadContext, record: Record, row: int) -> str:
    values = {k: record[k] for k in ("name", "issue_area", "scope", "started", "ended", "note")}
    ctx.check_source(record)
    return _upsert(ctx, Coalition, {"key": record["key"]}, values, record, row)[1]


def _coalition(ctx: LoadContext, key: str) -> int:
    found = ctx.session.scalar(select(Coalition.id).where(Coalition.key == key))
    if found is None:
        raise FieldError("coalition", f"unknown coalition {key!r} (import it with --kind coalition)")
    return found


def load_coalition_member(ctx: LoadContext, record: Record, row: int) -> str:
    coalition = _coalition(ctx, record["coalition"])
    member = _ref(ctx, record, "member")
    where = {"coalition_id": coalition, "actor_id": member, "role": record["role"] or ""}
    ctx.check_source(record)
    return _upsert(ctx, CoalitionMember, where, {"note": record["note"]}, record, row)[1]


def load_coalition_event(ctx: LoadContext, record: Record, row: int) -> str:
    coalition = _coalition(ctx, record["coalition"])
    actors = [
        ctx.directory.resolve("actors", ref, country=record.get("actors_country")) for ref in record["actors"]
    ]
    where = {"coalition_id": coalition, "date": record["date"], "title": record["title"]}
    values = {"channel": record["channel"], "actor_ids": actors, "note": record["note"]}
    ctx.check_source(record)
    return _upsert(ctx, CoalitionEvent, where, values, record, row)[1]


def load_observation(ctx: LoadContext, record: Record, row: int) -> str:
    values = {k: record[k] for k in ("measure", "value", "as_of", "dimensions", "note")}
    values["unit"] = record["unit"] or "count"
    ctx.check_source(record)
    return _upsert(ctx, Observation, {"key": record["key"]}, values, record, row)[1]


LOADERS: dict[str, Callable[[LoadContext, Record, int], str]] = {
    "source": load_source,
    "actor": load_actor,
    "tie": load_tie,
    "pair": load_pair,
    "office": load_office,
    "strategy": load_strategy,
    "budget": load_budget,
    "programme": load_programme,
    "adoption": load_adoption,
    "coalition": load_coalition,
    "coalition_member": load_coalition_member,
    "coalition_event": load_coalition_event,
    "observation": load_observation,
}
