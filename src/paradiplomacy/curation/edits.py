"""Edits by signed-in users: create and correct records, always with a source, each change audited.

Editable: ties, actors, overseas offices (with their owners), international strategies and coalition
memberships (``coalition_member``). Every field is checked by the importer's checks
(:mod:`.checks`): fields that point to an actor take its id, its key, its code or its name in
either script; a membership's ``coalition_id`` also takes the coalition's key; list fields (an
office's functions, a strategy's pillars) take a list or text separated by ``;`` as in an import
file. Every change writes an ``audit_log`` row (who, when, before, after, source) in the same
transaction, so a refused edit changes nothing (:mod:`.records`, :mod:`.audit`).
"""

from __future__ import annotations

import hashlib
from enum import StrEnum
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from paradiplomacy.curation.checks import check_edit, required_fields
from paradiplomacy.curation.records import (
    EDITABLE,
    BadField,
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
from paradiplomacy.ingest.specs import SPECS
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
from paradiplomacy.store.schema import ActorName, Citation, Source

__all__ = [
    "EDITABLE",
    "BadField",
    "EditConflict",
    "EditError",
    "choices",
    "create_record",
    "record_state",
    "required_fields",
    "update_record",
    "version_of",
]

VOCABULARIES: dict[str, dict[str, type[StrEnum]]] = {
    "tie": {"kind": TieKind, "status": TieStatus},
    "actor": {"kind": ActorKind},
    "office": {"model": OfficeModel, "functions": OfficeFunction},
    "strategy": {"pillars": Pillar},
}
"""The vocabulary behind each field the forms offer as a select list (the importer's converter of
the field checks the value; ``tests/test_edit_checks.py`` checks that the two agree)."""


def choices(entity: str) -> dict[str, list[str]]:
    """The allowed values of the fields of ``entity`` that have a vocabulary."""
    record_model(entity)
    return {name: [str(v) for v in enum] for name, enum in VOCABULARIES.get(entity, {}).items()}


def _source(session: Session, source: str, user: str) -> Source:
    """An existing source by key, or a new user source from the text given (a URL, a reference)."""
    text = SPECS["source"].fields["title"]("source", source if isinstance(source, str) else None)
    if not text:
        raise BadField("source", "every change needs a source: a source key, a URL or a reference", source)
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
        clean = check_edit(session, entity, values)
        origin = _source(session, source, user)
        owners = clean.pop("owners", None)
        record_id = _insert(session, entity, model, clean)
        if owners is not None:
            set_owners(session, record_id, owners)
        after = read_state(session, entity, record_id)
        return _audited(session, "create", entity, record_id, None, after, origin, user, note)


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
        before = read_state(session, entity, record_id, lock=True)
        if version_of(before) != version:
            raise EditConflict(f"{entity} {record_id} changed since version {version}: reload and retry")
        clean = check_edit(session, entity, changes, before)
        origin = _source(session, source, user)
        after = {**before, **clean}
        if after == before:
            raise EditError("nothing to change")
        swap(session, entity, record_id, before, clean)
        return _audited(session, "update", entity, record_id, before, after, origin, user, note)


def _audited(
    session: Session,
    action: str,
    entity: str,
    record_id: int,
    before: dict[str, Any] | None,
    after: dict[str, Any],
    origin: Source,
    user: str,
    note: str | None,
) -> dict[str, Any]:
    """The audit entry of a change just made (an actor's new names made findable, the record cited)."""
    if entity == "actor":
        _names(session, record_id, after)
    entry = log_change(
        session,
        user=user,
        action=action,
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
