"""The audit log of edits, and the revert of one entry."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from paradiplomacy.curation.labels import actor_ids, actor_labels, record_label
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

__all__ = ["audit_entry", "audit_log", "revert"]


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
    registry: Registry,
    *,
    entity: str | None = None,
    entity_id: int | None = None,
    audit_id: int | None = None,
    limit: int = 100,
    lang: str = "en",
) -> list[dict[str, Any]]:
    """The latest changes, newest first, optionally for one record. Each entry names its record as a
    reader does (``label``, in ``lang``), gives its source's ``source_title`` and ``source_url``, and
    ``actors``: the names of the actors its before and after states point to (id -> name)."""
    query = (
        select(AuditEntry, Source.key, Source.title, Source.url)
        .outerjoin(Source, Source.id == AuditEntry.source_id)
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    )
    if entity:
        query = query.where(AuditEntry.entity == entity)
    if entity_id is not None:
        query = query.where(AuditEntry.entity_id == entity_id)
    if audit_id is not None:
        query = query.where(AuditEntry.id == audit_id)
    with registry.reader() as session:
        rows = session.execute(query).all()
        names = actor_labels(session, actor_ids(*(s for e, *_ in rows for s in (e.before, e.after))), lang)
        entries = []
        for e, key, title, url in rows:
            entry = entry_json(e, key)
            entry["label"] = record_label(session, e.entity, e.entity_id, e.after or e.before, lang)
            entry["source_title"] = title
            entry["source_url"] = url
            entry["actors"] = {i: names[i] for i in actor_ids(e.before, e.after)}
            entries.append(entry)
        return entries


def audit_entry(registry: Registry, audit_id: int, *, lang: str = "en") -> dict[str, Any]:
    """One audit entry as :func:`audit_log` shows it."""
    found = audit_log(registry, audit_id=audit_id, limit=1, lang=lang)
    if not found:
        raise EditError(f"no audit entry {audit_id}")
    return found[0]
