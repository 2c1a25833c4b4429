"""Edits by signed-in users: create and correct records, always with a source, each change audited.

Editable: ties, actors, overseas offices (with their owners), international strategies and coalition
memberships (``coalition_member``). Fields that point to an actor take its id or its key; a
membership's ``coalition_id`` also takes the coalition's key; list fields (an office's functions,
a strategy's pillars) take a list or comma-separated text. Every change writes an ``audit_log`` row
(who, when, before, after, source) in the same transaction (:mod:`.records`, :mod:`.audit`).
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from paradiplomacy.curation.records import (
    EDITABLE,
    REQUIRED,
    EditConflict,
    EditError,
    entry_json,
    log_change,
    read_state,
    record_model,
    record_state,
    set_owners,
    swap,
    version_of,
)
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
from paradiplomacy.resolve.directory import name_row
from paradiplomacy.store.registry import Registry
from paradiplomacy.store.schema import (
    Actor,
    ActorName,
    Citation,
    Coalition,
    Source,
)

__all__ = [
    "EDITABLE",
    "REQUIRED",
    "EditConflict",
    "EditError",
    "choices",
    "create_record",
    "record_state",
    "update_record",
    "version_of",
]

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


def choices(entity: str) -> dict[str, list[str]]:
    """The allowed values of the fields of ``entity`` that have a vocabulary."""
    fields = record_model(entity)[1]
    found = {name: sorted(values) for name, values in _VOCAB.get(entity, {}).items()}
    found.update({name: sorted(values) for name, values in _LIST_VOCAB.items() if name in fields})
    return found


def _clean(session: Session, entity: str, values: dict[str, Any]) -> dict[str, Any]:
    """Check and coerce submitted values (empty text means none)."""
    _, fields = record_model(entity)
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
        if name in values and values[name] is None and name in record_model(entity)[1]:
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
    model, _ = record_model(entity)
    with registry.session() as session:
        clean = _clean(session, entity, values)
        if missing := [f for f in REQUIRED[entity] if clean.get(f) in (None, [])]:
            raise EditError(f"a new {entity} needs {', '.join(missing)}")
        if entity == "tie":
            clean.setdefault("status", TieStatus.UNKNOWN.value)
        for name, default in _TEXT_DEFAULTS.items():
            if name in record_model(entity)[1]:
                clean.setdefault(name, default)
        for name in _LISTS:
            if name in record_model(entity)[1]:
                clean.setdefault(name, [])
        if entity == "actor" and session.scalar(select(Actor.id).where(Actor.key == clean["key"])):
            raise EditError(f"an actor with key {clean['key']!r} exists already")
        origin = _source(session, source, user)
        owners = clean.pop("owners", None)
        record_id = _insert(session, entity, model, clean)
        if owners is not None:
            set_owners(session, record_id, owners)
        after = read_state(session, entity, record_id)
        if entity == "actor":
            _names(session, record_id, after)
        entry = log_change(
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
        return entry_json(entry, origin.key)


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
        before = read_state(session, entity, record_id, lock=True)
        if version_of(before) != version:
            raise EditConflict(f"{entity} {record_id} changed since version {version}: reload and retry")
        after = {**before, **clean}
        if after == before:
            raise EditError("nothing to change")
        swap(session, entity, record_id, before, clean)
        if entity == "actor":
            _names(session, record_id, after)
        entry = log_change(
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
        return entry_json(entry, origin.key)


def _insert(session: Session, entity: str, model: type, values: dict[str, Any]) -> int:
    """Insert the row; a duplicate (same key, same title...) is an :class:`EditError`."""
    try:
        with session.begin_nested():
            return session.execute(insert(model).values(**values)).inserted_primary_key[0]
    except IntegrityError:
        raise EditError(f"such a {entity} exists already (a key, title or membership is taken)") from None
