"""Editable records: their kinds and fields, their state and version, the compare-and-swap update,
and the audit entry every change writes.

Updates are a compare-and-swap: the caller passes the ``version`` it read (a digest of the record's
fields); the row is updated only ``WHERE`` every field still has the value that version described,
so two editors of the same record never silently overwrite each other (the second gets
:class:`EditConflict`, re-reads and retries).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from sqlalchemy import JSON, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from paradiplomacy.errors import FieldError
from paradiplomacy.store.auth_schema import AuditEntry
from paradiplomacy.store.registry import Registry, RegistryError
from paradiplomacy.store.schema import (
    Actor,
    CoalitionMember,
    Office,
    OfficeOwner,
    Strategy,
    Tie,
)

__all__ = [
    "EDITABLE",
    "BadField",
    "EditConflict",
    "EditError",
    "entry_json",
    "log_change",
    "read_state",
    "record_model",
    "record_state",
    "set_owners",
    "swap",
    "version_of",
]

EDITABLE: dict[str, tuple[type, tuple[str, ...]]] = {
    "tie": (Tie, ("kind", "subject_id", "object_id", "role", "start", "end", "status", "note")),
    "actor": (
        Actor,
        (
            "key",
            "kind",
            "name_en",
            "name_ja",
            "name_kana",
            "country",
            "lat",
            "lon",
            "population",
            "founded",
            "dissolved",
            "note",
        ),
    ),
    "office": (
        Office,
        (
            "key",
            "name",
            "owners",
            "city_id",
            "country",
            "opened",
            "closed",
            "model",
            "functions",
            "focus",
            "staff",
            "note",
        ),
    ),
    "strategy": (
        Strategy,
        ("actor_id", "title", "title_ja", "adopted", "revised", "pillars", "themes", "note"),
    ),
    "coalition_member": (CoalitionMember, ("coalition_id", "actor_id", "role", "note")),
}
"""Record kinds (named as the citations name their tables) and their editable fields.
An office's ``owners`` are its owners' actor ids, the lead owner first."""


class EditError(RegistryError):
    """An edit that cannot be made: unknown record or field, bad value, no source."""


class BadField(EditError, FieldError):
    """A submitted value the importer's checks refuse: the field, the reason, the value given and,
    for a name that fits several actors, the candidates."""

    def __init__(self, field: str, reason: str, value: Any = None, candidates: tuple[str, ...] = ()) -> None:
        FieldError.__init__(self, field, reason, tuple(candidates))
        self.value = value


class EditConflict(EditError):
    """The record changed since the caller read it (its version no longer matches)."""


def now() -> str:
    """The current time in UTC, to the second."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def record_model(entity: str) -> tuple[type, tuple[str, ...]]:
    if entity not in EDITABLE:
        raise EditError(f"records of {entity!r} cannot be edited here: choose from {', '.join(EDITABLE)}")
    return EDITABLE[entity]


def version_of(state: dict[str, Any]) -> str:
    """A short digest of a record's editable fields: the token of optimistic concurrency."""
    return hashlib.sha256(json.dumps(state, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _columns(entity: str) -> tuple[str, ...]:
    """The fields stored in the record's own row (not an office's owners)."""
    return tuple(f for f in record_model(entity)[1] if f != "owners")


def read_state(session: Session, entity: str, record_id: int, *, lock: bool = False) -> dict[str, Any]:
    """The record's editable fields; ``lock`` holds its row until the transaction ends (PostgreSQL
    ``FOR UPDATE``; a SQLite writer holds the whole database already)."""
    model, _ = record_model(entity)
    columns = _columns(entity)
    query = select(*(getattr(model, f) for f in columns)).where(model.id == record_id)
    row = session.execute(query.with_for_update() if lock else query).first()
    if row is None:
        raise EditError(f"no {entity} with id {record_id}")
    state = dict(zip(columns, row, strict=True))
    if entity == "office":
        owners = list(
            session.scalars(
                select(OfficeOwner.actor_id)
                .where(OfficeOwner.office_id == record_id)
                .order_by(OfficeOwner.position)
            )
        )
        state = {f: owners if f == "owners" else state[f] for f in record_model(entity)[1]}
    return state


def record_state(registry: Registry, entity: str, record_id: int) -> dict[str, Any]:
    """A record's editable fields and its ``version``."""
    with registry.reader() as session:
        state = read_state(session, entity, record_id)
    return {"entity": entity, "id": record_id, "fields": state, "version": version_of(state)}


def log_change(session: Session, **values: Any) -> AuditEntry:
    """Write one audit entry (who, what, before, after, source) in the caller's transaction."""
    entry = AuditEntry(at=now(), **values)
    session.add(entry)
    session.flush()
    return entry


def set_owners(session: Session, office_id: int, owners: list[int]) -> None:
    """Replace an office's owners (the first is the lead owner)."""
    session.execute(delete(OfficeOwner).where(OfficeOwner.office_id == office_id))
    if owners:
        session.execute(
            insert(OfficeOwner),
            [
                {"office_id": office_id, "actor_id": actor, "position": position}
                for position, actor in enumerate(owners)
            ],
        )


def swap(
    session: Session, entity: str, record_id: int, expected: dict[str, Any], values: dict[str, Any]
) -> None:
    """UPDATE ... WHERE every scalar field still equals ``expected``: the compare-and-swap (list
    fields and owners are guarded by the row lock :func:`read_state` took before comparing versions)."""
    model, _ = record_model(entity)
    columns = model.__table__.columns
    guard = [
        getattr(model, f).is_(None) if v is None else getattr(model, f) == v
        for f, v in expected.items()
        if f in columns and not isinstance(columns[f].type, JSON)
    ]
    row = {f: v for f, v in values.items() if f != "owners"}
    try:
        with session.begin_nested():
            result = session.execute(
                update(model)
                .where(model.id == record_id, *guard)
                .values(**(row or {"id": record_id}))
                .execution_options(synchronize_session=False)
            )
    except IntegrityError:
        raise EditError(f"such a {entity} exists already (a key, title or membership is taken)") from None
    if result.rowcount != 1:
        raise EditConflict(f"{entity} {record_id} was changed by someone else: reload and retry")
    if "owners" in values and values["owners"] != expected.get("owners"):
        set_owners(session, record_id, values["owners"])


def entry_json(entry: AuditEntry, source_key: str | None) -> dict[str, Any]:
    """An audit entry as the faces show it."""
    return {
        "id": entry.id,
        "at": entry.at,
        "user": entry.user,
        "action": entry.action,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "before": entry.before,
        "after": entry.after,
        "source": source_key,
        "reverts": entry.reverts,
        "reverted_by": entry.reverted_by,
        "note": entry.note,
    }
