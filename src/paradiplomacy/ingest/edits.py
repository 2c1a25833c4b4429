"""Edits by signed-in users: create and correct records, always with a source, each change audited.

Updates are a compare-and-swap: the caller passes the ``version`` it read (a digest of the record's
fields); the row is updated only ``WHERE`` every field still has the value that version described,
so two editors of the same record never silently overwrite each other (the second gets
:class:`EditConflict`, re-reads and retries). Every change writes an ``audit_log`` row (who, when,
before, after, source) in the same transaction; :func:`revert` undoes one entry the same way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from paradiplomacy.ingest.directory import name_row
from paradiplomacy.model.dates import PartialDate
from paradiplomacy.model.vocab import ActorKind, SourceKind, TieKind, TieStatus
from paradiplomacy.store.auth_schema import AuditEntry
from paradiplomacy.store.registry import Registry, RegistryError
from paradiplomacy.store.schema import Actor, ActorName, Citation, Source, Tie

__all__ = ["EDITABLE", "EditConflict", "EditError", "audit_log", "create_record", "record_state",
           "revert", "update_record", "version_of"]

EDITABLE: dict[str, tuple[type, tuple[str, ...]]] = {
    "tie": (Tie, ("kind", "subject_id", "object_id", "role", "start", "end", "status", "note")),
    "actor": (Actor, ("key", "kind", "name_en", "name_ja", "name_kana", "country", "lat", "lon",
                      "population", "founded", "dissolved", "note")),
}
_DATES = ("start", "end", "founded", "dissolved")
_INTS = ("subject_id", "object_id", "population")
_FLOATS = ("lat", "lon")


class EditError(RegistryError):
    """An edit that cannot be made: unknown record or field, bad value, no source."""


class EditConflict(EditError):
    """The record changed since the caller read it (its version no longer matches)."""


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _spec(entity: str) -> tuple[type, tuple[str, ...]]:
    if entity not in EDITABLE:
        raise EditError(f"records of {entity!r} cannot be edited here: choose from {', '.join(EDITABLE)}")
    return EDITABLE[entity]


def version_of(state: dict[str, Any]) -> str:
    """A short digest of a record's editable fields: the token of optimistic concurrency."""
    return hashlib.sha256(json.dumps(state, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _state(session: Session, entity: str, record_id: int) -> dict[str, Any]:
    model, fields = _spec(entity)
    row = session.execute(select(*(getattr(model, f) for f in fields))
                          .where(model.id == record_id)).first()
    if row is None:
        raise EditError(f"no {entity} with id {record_id}")
    return dict(zip(fields, row, strict=True))


def record_state(registry: Registry, entity: str, record_id: int) -> dict[str, Any]:
    """A record's editable fields and its ``version``."""
    with registry.reader() as session:
        state = _state(session, entity, record_id)
    return {"entity": entity, "id": record_id, "fields": state, "version": version_of(state)}


def _clean(session: Session, entity: str, values: dict[str, Any]) -> dict[str, Any]:
    """Check and coerce submitted values (empty text means none)."""
    _, fields = _spec(entity)
    unknown = sorted(set(values) - set(fields))
    if unknown:
        raise EditError(f"unknown field(s) for {entity}: {', '.join(unknown)}")
    out: dict[str, Any] = {}
    for name, raw in values.items():
        value = raw.strip() if isinstance(raw, str) else raw
        if value == "":
            value = None
        try:
            if value is not None and name in _DATES:
                value = PartialDate.parse(str(value)).iso
            elif value is not None and name in _INTS:
                value = int(value)
            elif value is not None and name in _FLOATS:
                value = float(value)
        except (TypeError, ValueError) as error:
            raise EditError(f"{name}: {error}") from None
        out[name] = value
    _check_vocab(session, entity, out)
    return out


def _check_vocab(session: Session, entity: str, values: dict[str, Any]) -> None:
    allowed = {"tie": {"kind": {str(k) for k in TieKind}, "status": {str(s) for s in TieStatus}},
               "actor": {"kind": {str(k) for k in ActorKind}}}[entity]
    for name, choices in allowed.items():
        if name in values and values[name] not in choices:
            raise EditError(f"{name} must be one of {', '.join(sorted(choices))}")
    if entity == "tie":
        for name in ("subject_id", "object_id"):
            if name in values and (values[name] is None or session.get(Actor, values[name]) is None):
                raise EditError(f"{name}: no actor with id {values[name]}")
        if "role" in values and values["role"] is None:
            values["role"] = ""
        if "status" in values and values["status"] is None:
            raise EditError("status must be one of " + ", ".join(sorted(str(s) for s in TieStatus)))
    if entity == "actor" and "key" in values and not values["key"]:
        raise EditError("an actor needs a key")
    if entity == "actor" and values.get("country"):
        values["country"] = str(values["country"]).upper()[:2]


def _source(session: Session, source: str, user: str) -> Source:
    """An existing source by key, or a new user source from the text given (a URL, a reference)."""
    text = (source or "").strip()
    if not text:
        raise EditError("every change needs a source: a source key, a URL or a reference")
    found = session.scalar(select(Source).where(Source.key == text))
    if found is not None:
        return found
    key = "user-" + hashlib.sha256(text.encode()).hexdigest()[:12]
    found = session.scalar(select(Source).where(Source.key == key))
    if found is None:
        found = Source(key=key, kind=SourceKind.USER.value, title=text[:500], author=user,
                       url=text if text.startswith(("http://", "https://")) else None)
        session.add(found)
        session.flush()
    return found


def _cite(session: Session, source: Source, entity: str, record_id: int, audit_id: int) -> None:
    session.execute(insert(Citation).values(source_id=source.id, entity=entity, entity_id=record_id,
                                            locator=f"edit {audit_id}", row=0))


def _names(session: Session, actor_id: int, state: dict[str, Any]) -> None:
    """Make new names of an actor findable by search."""
    have = set(session.scalars(select(ActorName.name).where(ActorName.actor_id == actor_id)))
    for field in ("name_en", "name_ja", "name_kana"):
        name = state.get(field)
        if name and name not in have:
            session.execute(insert(ActorName).values(**name_row(actor_id, name)))
            have.add(name)


def _log(session: Session, **values: Any) -> AuditEntry:
    entry = AuditEntry(at=_now(), **values)
    session.add(entry)
    session.flush()
    return entry


def create_record(registry: Registry, entity: str, values: dict[str, Any], *, user: str,
                  source: str, note: str | None = None) -> dict[str, Any]:
    """Add a tie or an actor with its source; returns the audit entry."""
    model, _ = _spec(entity)
    with registry.session() as session:
        clean = _clean(session, entity, values)
        required = {"tie": ("kind", "subject_id", "object_id"), "actor": ("key", "kind")}[entity]
        if missing := [f for f in required if clean.get(f) is None]:
            raise EditError(f"a new {entity} needs {', '.join(missing)}")
        if entity == "tie":
            clean.setdefault("status", TieStatus.UNKNOWN.value)
            clean.setdefault("role", "")
        if entity == "actor" and session.scalar(select(Actor.id).where(Actor.key == clean["key"])):
            raise EditError(f"an actor with key {clean['key']!r} exists already")
        origin = _source(session, source, user)
        record_id = session.execute(insert(model).values(**clean)).inserted_primary_key[0]
        after = _state(session, entity, record_id)
        if entity == "actor":
            _names(session, record_id, after)
        entry = _log(session, user=user, action="create", entity=entity, entity_id=record_id,
                     before=None, after=after, source_id=origin.id, note=note)
        _cite(session, origin, entity, record_id, entry.id)
        return _entry(entry, origin.key)


def update_record(registry: Registry, entity: str, record_id: int, changes: dict[str, Any], *,
                  user: str, source: str, version: str, note: str | None = None) -> dict[str, Any]:
    """Correct a record if it is still at ``version``; raise :class:`EditConflict` if not."""
    with registry.session() as session:
        clean = _clean(session, entity, changes)
        origin = _source(session, source, user)
        before = _state(session, entity, record_id)
        if version_of(before) != version:
            raise EditConflict(f"{entity} {record_id} changed since version {version}: reload and retry")
        after = {**before, **clean}
        if after == before:
            raise EditError("nothing to change")
        _swap(session, entity, record_id, before, clean)
        if entity == "actor":
            _names(session, record_id, after)
        entry = _log(session, user=user, action="update", entity=entity, entity_id=record_id,
                     before=before, after=after, source_id=origin.id, note=note)
        _cite(session, origin, entity, record_id, entry.id)
        return _entry(entry, origin.key)


def _swap(session: Session, entity: str, record_id: int, expected: dict[str, Any],
          values: dict[str, Any]) -> None:
    """UPDATE ... WHERE every field still equals ``expected``: the compare-and-swap."""
    model, _ = _spec(entity)
    guard = [getattr(model, f).is_(None) if v is None else getattr(model, f) == v
             for f, v in expected.items()]
    result = session.execute(update(model).where(model.id == record_id, *guard).values(**values)
                             .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise EditConflict(f"{entity} {record_id} was changed by someone else: reload and retry")


def revert(registry: Registry, audit_id: int, *, user: str) -> dict[str, Any]:
    """Undo one audit entry (if the record is still as that entry left it); logs a ``revert``."""
    with registry.session() as session:
        entry = session.get(AuditEntry, audit_id)
        if entry is None:
            raise EditError(f"no audit entry {audit_id}")
        if entry.reverted_by is not None:
            raise EditError(f"audit entry {audit_id} was already reverted by {entry.reverted_by}")
        model, _ = _spec(entry.entity)
        current = _state(session, entry.entity, entry.entity_id)
        if current != entry.after:
            raise EditConflict(f"{entry.entity} {entry.entity_id} changed after entry {audit_id}: "
                               "revert the later entries first")
        if entry.before is None:  # a creation: remove the record and what points to it
            session.execute(delete(Citation).where(Citation.entity == entry.entity,
                                                   Citation.entity_id == entry.entity_id))
            if entry.entity == "actor":
                session.execute(delete(ActorName).where(ActorName.actor_id == entry.entity_id))
            try:
                with session.begin_nested():
                    session.execute(delete(model).where(model.id == entry.entity_id))
            except IntegrityError:
                raise EditConflict(f"other records point to {entry.entity} {entry.entity_id}: "
                                   "revert or change them first") from None
        else:
            _swap(session, entry.entity, entry.entity_id, current, entry.before)
        undo = _log(session, user=user, action="revert", entity=entry.entity,
                    entity_id=entry.entity_id, before=current, after=entry.before,
                    source_id=entry.source_id, reverts=entry.id)
        entry.reverted_by = undo.id
        return _entry(undo, None)


def audit_log(registry: Registry, *, entity: str | None = None, entity_id: int | None = None,
              limit: int = 100) -> list[dict[str, Any]]:
    """The latest changes, newest first, optionally for one record."""
    query = (select(AuditEntry, Source.key).outerjoin(Source, Source.id == AuditEntry.source_id)
             .order_by(AuditEntry.id.desc()).limit(limit))
    if entity:
        query = query.where(AuditEntry.entity == entity)
    if entity_id is not None:
        query = query.where(AuditEntry.entity_id == entity_id)
    with registry.reader() as session:
        return [_entry(e, key) for e, key in session.execute(query)]


def _entry(entry: AuditEntry, source_key: str | None) -> dict[str, Any]:
    return {"id": entry.id, "at": entry.at, "user": entry.user, "action": entry.action,
            "entity": entry.entity, "entity_id": entry.entity_id, "before": entry.before,
            "after": entry.after, "source": source_key, "reverts": entry.reverts,
            "reverted_by": entry.reverted_by, "note": entry.note}
