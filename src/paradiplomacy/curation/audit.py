"""The audit log of edits, and the revert of one entry."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from paradiplomacy.curation.records import (
    EditConflict,
    EditError,
    entry_json,
    log_change,
    read_state,
    record_model,
    swap,
)
from paradiplomacy.store.auth_schema import AuditEntry
from paradiplomacy.store.registry import Registry
from paradiplomacy.store.schema import ActorName, Citation, OfficeOwner, Source

__all__ = ["audit_log", "revert"]


def revert(registry: Registry, audit_id: int, *, user: str) -> dict[str, Any]:
    """Undo one audit entry (if the record is still as that entry left it); logs a ``revert``."""
    with registry.session() as session:
        entry = session.get(AuditEntry, audit_id)
        if entry is None:
            raise EditError(f"no audit entry {audit_id}")
        if entry.reverted_by is not None:
            raise EditError(f"audit entry {audit_id} was already reverted by {entry.reverted_by}")
        model, _ = record_model(entry.entity)
        current = read_state(session, entry.entity, entry.entity_id, lock=True)
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
            swap(session, entry.entity, entry.entity_id, current, entry.before)
        undo = log_change(
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
        return entry_json(undo, None)


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
        return [entry_json(e, key) for e, key in session.execute(query)]
