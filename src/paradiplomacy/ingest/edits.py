"""Edits by signed-in users: create and correct records, always with a source, each change audited.

Editable: ties, actors, overseas offices (with their owners), international strategies and coalition
memberships (``coalition_member``). Fields that point to an actor take its id or its key; a
membership's ``coalition_id`` also takes the coalition's key; list fields (an office's functions,
a strategy's pillars) take a list or comma-separated text.

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

from sqlalchemy import JSON, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from paradiplomacy.ingest.directory import name_row
from paradiplomacy.model.dates import PartialDate
from paradiplomacy.model.vocab import (
    ActorKind,
    OfficeFunction,
    OfficeModel,
    Pillar,
    SourceKind,
    TieKind,
    TieStatus,
)
from paradiplomacy.store.auth_schema import AuditEntry
from paradiplomacy.store.registry import Registry, RegistryError
from paradiplomacy.store.schema import (
    Actor,
    ActorName,
    Citation,
    Coalition,
    CoalitionMember,
    Office,
    OfficeOwner,
    Source,
    Strategy,
    Tie,
)

__all__ = [
    "EDITABLE",
    "REQUIRED",
    "EditConflict",
    "EditError",
    "audit_log",
    "choices",
    "create_record",
    "record_state",
    "revert",
    "update_record",
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
REQUIRED = {
    "tie": ("kind", "subject_id", "object_id"),
    "actor": ("key", "kind"),
    "office": ("key", "owners"),
    "strategy": ("actor_id", "title"),
    "coalition_member": ("coalition_id", "actor_id"),
}
"""Fields a new record of each kind must have."""
_DATES = ("start", "end", "founded", "dissolved", "opened", "closed", "adopted")
_ACTORS = ("subject_id", "object_id", "actor_id", "city_id")
_INTS = ("population", "staff")
_FLOATS = ("lat", "lon")
_LISTS = ("owners", "functions", "focus", "revised", "pillars", "themes")
_TEXT_DEFAULTS = {"role": "", "model": OfficeModel.UNKNOWN.value}
_VOCAB: dict[str, dict[str, set[str]]] = {
    "tie": {"kind": {str(k) for k in TieKind}, "status": {str(s) for s in TieStatus}},
    "actor": {"kind": {str(k) for k in ActorKind}},
    "office": {"model": {str(m) for m in OfficeModel}},
}
_LIST_VOCAB = {"functions": {str(f) for f in OfficeFunction}, "pillars": {str(p) for p in Pillar}}


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


def choices(entity: str) -> dict[str, list[str]]:
    """The allowed values of the fields of ``entity`` that have a vocabulary."""
    fields = _spec(entity)[1]
    found = {name: sorted(values) for name, values in _VOCAB.get(entity, {}).items()}
    found.update({name: sorted(values) for name, values in _LIST_VOCAB.items() if name in fields})
    return found


def version_of(state: dict[str, Any]) -> str:
    """A short digest of a record's editable fields: the token of optimistic concurrency."""
    return hashlib.sha256(json.dumps(state, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _columns(entity: str) -> tuple[str, ...]:
    """The fields stored in the record's own row (not an office's owners)."""
    return tuple(f for f in _spec(entity)[1] if f != "owners")


def _state(session: Session, entity: str, record_id: int, *, lock: bool = False) -> dict[str, Any]:
    """The record's editable fields; ``lock`` holds its row until the transaction ends (PostgreSQL
    ``FOR UPDATE``; a SQLite writer holds the whole database already)."""
    model, _ = _spec(entity)
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
        state = {f: owners if f == "owners" else state[f] for f in _spec(entity)[1]}
    return state


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
            if name in _LISTS:
                value = _as_list(value)
                if name == "owners":
                    value = [_actor_id(session, name, v) for v in value]
            elif value is not None and name in _DATES:
                value = PartialDate.parse(str(value)).iso
            elif value is not None and name in _INTS:
                value = int(value)
            elif value is not None and name in _FLOATS:
                value = float(value)
            elif value is not None and name in _ACTORS:
                value = _actor_id(session, name, value)
            elif name == "coalition_id":
                value = _coalition_id(session, value)
        except (TypeError, ValueError) as error:
            raise EditError(f"{name}: {error}") from None
        out[name] = value
    _check_vocab(session, entity, out)
    return out


def _as_list(value: Any) -> list[Any]:
    """A list from a list, comma-separated text or nothing."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list | tuple):
        return [v.strip() if isinstance(v, str) else v for v in value if v not in (None, "")]
    raise EditError(f"expected a list or comma-separated text, got {value!r}")


def _actor_id(session: Session, name: str, value: Any) -> int:
    """An actor's id from its id or key."""
    text = str(value).strip()
    if text.isdigit():
        if session.get(Actor, int(text)) is None:
            raise EditError(f"{name}: no actor with id {text}")
        return int(text)
    found = session.scalar(select(Actor.id).where(Actor.key == text))
    if found is None:
        raise EditError(f"{name}: no actor with id or key {text!r}")
    return found


def _coalition_id(session: Session, value: Any) -> int:
    """A coalition's id from its id or key."""
    text = "" if value is None else str(value).strip()
    found = session.scalar(
        select(Coalition.id).where(Coalition.id == int(text) if text.isdigit() else Coalition.key == text)
    )
    if found is None:
        raise EditError(f"coalition_id: no coalition with id or key {text!r}")
    return found


def _check_vocab(session: Session, entity: str, values: dict[str, Any]) -> None:
    for name, choices in _VOCAB.get(entity, {}).items():
        if name in values and values[name] not in choices:
            raise EditError(f"{name} must be one of {', '.join(sorted(choices))}")
    for name, choices in _LIST_VOCAB.items():
        if bad := [v for v in values.get(name) or [] if v not in choices]:
            raise EditError(f"{name}: {', '.join(map(str, bad))} not among {', '.join(sorted(choices))}")
    for name, default in _TEXT_DEFAULTS.items():
        if name in values and values[name] is None and name in _spec(entity)[1]:
            values[name] = default
    for name in ("subject_id", "object_id", "actor_id"):
        if name in values and values[name] is None:
            raise EditError(f"{name}: a {entity} needs an actor")
    if "status" in values and values["status"] is None:
        raise EditError("status must be one of " + ", ".join(sorted(str(s) for s in TieStatus)))
    if entity == "office" and "owners" in values:
        if not values["owners"]:
            raise EditError("an office needs at least one owner")
        if len(set(values["owners"])) != len(values["owners"]):
            raise EditError("owners: an actor is listed twice")
    if entity in ("office", "strategy") and any(values.get(f, "x") is None for f in ("key", "title")):
        raise EditError(f"a {entity} needs a {'key' if entity == 'office' else 'title'}")
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
        found = Source(
            key=key,
            kind=SourceKind.USER.value,
            title=text[:500],
            author=user,
            url=text if text.startswith(("http://", "https://")) else None,
        )
        session.add(found)
        session.flush()
    return found


def _cite(session: Session, source: Source, entity: str, record_id: int, audit_id: int) -> None:
    session.execute(
        insert(Citation).values(
            source_id=source.id, entity=entity, entity_id=record_id, locator=f"edit {audit_id}", row=0
        )
    )


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


def create_record(
    registry: Registry,
    entity: str,
    values: dict[str, Any],
    *,
    user: str,
    source: str,
    note: str | None = None,
) -> dict[str, Any]:
    """Add a record of one of the :data:`EDITABLE` kinds with its source; returns the audit entry."""
    model, _ = _spec(entity)
    with registry.session() as session:
        clean = _clean(session, entity, values)
        if missing := [f for f in REQUIRED[entity] if clean.get(f) in (None, [])]:
            raise EditError(f"a new {entity} needs {', '.join(missing)}")
        if entity == "tie":
            clean.setdefault("status", TieStatus.UNKNOWN.value)
        for name, default in _TEXT_DEFAULTS.items():
            if name in _spec(entity)[1]:
                clean.setdefault(name, default)
        for name in _LISTS:
            if name in _spec(entity)[1]:
                clean.setdefault(name, [])
        if entity == "actor" and session.scalar(select(Actor.id).where(Actor.key == clean["key"])):
            raise EditError(f"an actor with key {clean['key']!r} exists already")
        origin = _source(session, source, user)
        owners = clean.pop("owners", None)
        record_id = _insert(session, entity, model, clean)
        if owners is not None:
            _set_owners(session, record_id, owners)
        after = _state(session, entity, record_id)
        if entity == "actor":
            _names(session, record_id, after)
        entry = _log(
            session,
            user=user,
            action="create",
            entity=entity,
            entity_id=record_id,
            before=None,
            after=after,
            source_id=origin.id,
            note=note,
        )
        _cite(session, origin, entity, record_id, entry.id)
        return _entry(entry, origin.key)


def update_record(
    registry: Registry,
    entity: str,
    record_id: int,
    changes: dict[str, Any],
    *,
    user: str,
    source: str,
    version: str,
    note: str | None = None,
) -> dict[str, Any]:
    """Correct a record if it is still at ``version``; raise :class:`EditConflict` if not."""
    with registry.session() as session:
        clean = _clean(session, entity, changes)
        origin = _source(session, source, user)
        before = _state(session, entity, record_id, lock=True)
        if version_of(before) != version:
            raise EditConflict(f"{entity} {record_id} changed since version {version}: reload and retry")
        after = {**before, **clean}
        if after == before:
            raise EditError("nothing to change")
        _swap(session, entity, record_id, before, clean)
        if entity == "actor":
            _names(session, record_id, after)
        entry = _log(
            session,
            user=user,
            action="update",
            entity=entity,
            entity_id=record_id,
            before=before,
            after=after,
            source_id=origin.id,
            note=note,
        )
        _cite(session, origin, entity, record_id, entry.id)
        return _entry(entry, origin.key)


def _insert(session: Session, entity: str, model: type, values: dict[str, Any]) -> int:
    """Insert the row; a duplicate (same key, same title...) is an :class:`EditError`."""
    try:
        with session.begin_nested():
            return session.execute(insert(model).values(**values)).inserted_primary_key[0]
    except IntegrityError:
        raise EditError(f"such a {entity} exists already (a key, title or membership is taken)") from None


def _set_owners(session: Session, office_id: int, owners: list[int]) -> None:
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


def _swap(
    session: Session, entity: str, record_id: int, expected: dict[str, Any], values: dict[str, Any]
) -> None:
    """UPDATE ... WHERE every scalar field still equals ``expected``: the compare-and-swap (list
    fields and owners are guarded by the row lock :func:`_state` took before comparing versions)."""
    model, _ = _spec(entity)
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
        _set_owners(session, record_id, values["owners"])


def revert(registry: Registry, audit_id: int, *, user: str) -> dict[str, Any]:
    """Undo one audit entry (if the record is still as that entry left it); logs a ``revert``."""
    with registry.session() as session:
        entry = session.get(AuditEntry, audit_id)
        if entry is None:
            raise EditError(f"no audit entry {audit_id}")
        if entry.reverted_by is not None:
            raise EditError(f"audit entry {audit_id} was already reverted by {entry.reverted_by}")
        model, _ = _spec(entry.entity)
        current = _state(session, entry.entity, entry.entity_id, lock=True)
        if current != entry.after:
            raise EditConflict(
                f"{entry.entity} {entry.entity_id} changed after entry {audit_id}: "
                "revert the later entries first"
            )
        if entry.before is None:  # a creation: remove the record and what points to it
            session.execute(
                delete(Citation).where(Citation.entity == entry.entity, Citation.entity_id == entry.entity_id)
            )
            if entry.entity == "actor":
                session.execute(delete(ActorName).where(ActorName.actor_id == entry.entity_id))
            if entry.entity == "office":
                session.execute(delete(OfficeOwner).where(OfficeOwner.office_id == entry.entity_id))
            try:
                with session.begin_nested():
                    session.execute(delete(model).where(model.id == entry.entity_id))
            except IntegrityError:
                raise EditConflict(
                    f"other records point to {entry.entity} {entry.entity_id}: revert or change them first"
                ) from None
        else:
            _swap(session, entry.entity, entry.entity_id, current, entry.before)
        undo = _log(
            session,
            user=user,
            action="revert",
            entity=entry.entity,
            entity_id=entry.entity_id,
            before=current,
            after=entry.before,
            source_id=entry.source_id,
            reverts=entry.id,
        )
        entry.reverted_by = undo.id
        return _entry(undo, None)


def audit_log(
    registry: Registry, *, entity: str | None = None, entity_id: int | None = None, limit: int = 100
) -> list[dict[str, Any]]:
    """The latest changes, newest first, optionally for one record."""
    query = (
        select(AuditEntry, Source.key)
        .outerjoin(Source, Source.id == AuditEntry.source_id)
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    )
    if entity:
        query = query.where(AuditEntry.entity == entity)
    if entity_id is not None:
        query = query.where(AuditEntry.entity_id == entity_id)
    with registry.reader() as session:
        return [_entry(e, key) for e, key in session.execute(query)]


def _entry(entry: AuditEntry, source_key: str | None) -> dict[str, Any]:
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
