"""Working the unresolved queue: pick a candidate, create the missing place, or reject a row.

Every step goes through the importer (:func:`paradiplomacy.ingest.importer.import_records` on the
queued row alone, cited to the queued row's source and row number): the same checks and loaders as
the import that kept it aside. Every step writes an audit entry (who, what, the queued row's source)
and a decision (:class:`~paradiplomacy.store.schema.UnresolvedDecision`) that takes the row out of
the open queue, also after a re-import of the same file.

* ``pick`` — the N-th candidate (as listed, from 1) for the field the row was kept aside for: the
  field's value becomes the candidate's key and the row is loaded. When the row then stops at its
  other field (both places of a pair were unsure), the queue entry moves on to that field, with its
  reason and candidates, and stays open.
* ``create`` — a pair's ``city1``/``city2`` or a tie's ``subject``/``object``: a foreign place is
  created from the row (its name, country and, for a pair, the side's coordinates; a foreign city:
  correct its kind on the edit page if it is a region), the way ``import --create-missing`` creates
  one, then the row is loaded with it. Never a Japanese place (the gazetteer holds every Japanese
  local government: pick one), never without a country.
* ``reject`` — the row is marked rejected: kept in the queue, out of the open list.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from paradiplomacy.curation.records import EditError, log_change, now, read_state
from paradiplomacy.errors import FieldError
from paradiplomacy.ingest.queue import create_queued_place, load_queued_row
from paradiplomacy.store.registry import Registry
from paradiplomacy.store.schema import Actor, Citation, Source, Tie, UnresolvedDecision, UnresolvedRow
from paradiplomacy.store.unresolved import decisions_for, record_digest

__all__ = ["QueueError", "candidate_key", "resolve_row"]


class QueueError(EditError):
    """A queue step that cannot be taken (no such row, a bad candidate number, nothing to create)."""


def candidate_key(candidate: str) -> str | None:
    """The actor key a listed candidate ends with (``Salisbury ... = geo-2062013``), or None."""
    head, sep, key = candidate.rpartition(" = ")
    return key.strip() or None if sep and head else None


def resolve_row(
    registry: Registry,
    row_id: int,
    *,
    pick: int | None = None,
    create: bool = False,
    reject: bool = False,
    user: str,
    note: str | None = None,
) -> dict[str, Any]:
    """Take one step on queue entry ``row_id`` (exactly one of ``pick``, ``create``, ``reject``).

    Returns ``{"id", "status", "message", "tie_id", "actor_id", "audit"}``; ``status`` is the
    decision taken, or ``open`` when the row moved on to another field. Raises :class:`QueueError`
    (nothing is stored) when the step cannot be taken or the row still does not load.
    """
    if sum((pick is not None, bool(create), bool(reject))) != 1:
        raise QueueError("choose one step: pick a candidate (N), create the place, or reject the row")
    if not user or not user.strip():
        raise QueueError("say who takes the step (--user, or $USER)")
    registry.require_initialised()
    registry.create_schema()  # the decision and audit tables of registries made before them
    with registry.session() as session:
        queued = session.get(UnresolvedRow, row_id)
        if queued is None:
            raise QueueError(f"no queued row {row_id}: see `paradiplomacy unresolved` for the ids")
        source = session.get(Source, queued.source_id)
        where = f"{source.title or source.key} row {queued.row}"
        digest = record_digest(queued.record or {})
        taken = decisions_for(session, {queued.source_id}).get((queued.source_id, queued.row, digest))
        if taken is not None:
            raise QueueError(f"queued row {row_id} ({where}) was already {taken.decision} by {taken.user}")
        step = _Step(session, queued, source, where, user.strip(), note)
        if reject:
            return step.reject(digest)
        if pick is not None:
            return step.pick(pick, digest)
        return step.create(digest)


class _Step:
    """One queue step inside the caller's transaction."""

    def __init__(
        self,
        session: Session,
        queued: UnresolvedRow,
        source: Source,
        where: str,
        user: str,
        note: str | None,
    ) -> None:
        self.session, self.queued, self.source, self.where = session, queued, source, where
        self.user, self.note = user, (note or "").strip() or None
        self.audit: list[int] = []

    def _log(self, action: str, entity: str, entity_id: int, before: Any, after: Any, what: str) -> None:
        text = f"unresolved row {self.queued.id} ({self.where}): {what}"
        entry = log_change(
            self.session,
            user=self.user,
            action=action,
            entity=entity,
            entity_id=entity_id,
            before=before,
            after=after,
            source_id=self.source.id,
            note=f"{text}; {self.note}" if self.note else text,
        )
        self.audit.append(entry.id)

    def _decide(self, decision: str, digest: str, choice: str | None, tie_id: int | None) -> None:
        q = self.queued
        self.session.add(
            UnresolvedDecision(
                source_id=q.source_id,
                row=q.row,
                digest=digest,
                decision=decision,
                field=q.field,
                choice=choice,
                tie_id=tie_id,
                user=self.user,
                at=now(),
                note=self.note,
            )
        )
        self.session.flush()

    def _result(self, status: str, message: str, **ids: int | None) -> dict[str, Any]:
        return {
            "id": self.queued.id,
            "status": status,
            "message": message,
            "tie_id": ids.get("tie_id"),
            "actor_id": ids.get("actor_id"),
            "audit": list(self.audit),
        }

    def reject(self, digest: str) -> dict[str, Any]:
        q = self.queued
        state = {"field": q.field, "reason": q.reason, "status": "open"}
        self._log("reject", "unresolved_row", q.id, state, {**state, "status": "rejected"}, "rejected")
        self._decide("rejected", digest, None, None)
        return self._result("rejected", f"{self.where}: rejected; it stays out of the open queue")

    def pick(self, number: int, digest: str) -> dict[str, Any]:
        q = self.queued
        candidates = list(q.candidates or [])
        if not candidates:
            raise QueueError(
                f"queued row {q.id} ({self.where}) has no candidates for {q.field}: "
                "create the place or reject the row"
            )
        if not 1 <= number <= len(candidates):
            raise QueueError(
                f"queued row {q.id} ({self.where}) has {len(candidates)} candidate(s) for {q.field}: "
                f"pick a number from 1 to {len(candidates)}, not {number}"
            )
        key = candidate_key(candidates[number - 1])
        if key is None:
            raise QueueError(
                f"candidate {number} of queued row {q.id} names no actor key: {candidates[number - 1]}"
            )
        return self._load(key, f"{q.field} = candidate {number} ({key})", "picked", digest)

    def create(self, digest: str) -> dict[str, Any]:
        q = self.queued
        record = dict(q.record or {})
        try:
            actor_id = create_queued_place(self.session, self.source, q.kind, q.field, record, q.row)
        except FieldError as error:
            raise QueueError(f"queued row {q.id} ({self.where}): {error.field}: {error.reason}") from None
        key = self.session.scalar(select(Actor.key).where(Actor.id == actor_id))
        after = read_state(self.session, "actor", actor_id)
        self._log("create", "actor", actor_id, None, after, f"{q.field}: created {key} ({after['name_en']})")
        return self._load(key, f"{q.field} = the created place {key}", "created", digest, actor_id=actor_id)

    def _load(
        self, key: str, what: str, decision: str, digest: str, actor_id: int | None = None
    ) -> dict[str, Any]:
        """Load the queued row with ``key`` in its field, through the importer, cited to its source."""
        q, session = self.queued, self.session
        record = {**(q.record or {}), q.field: key}
        cited = self._cited_ties()
        newest = session.scalar(select(func.max(Tie.id))) or 0
        previous = self._ties_of(key)  # a tie the row enriches is audited with its state before
        rejections = load_queued_row(session, q.kind, self.source, q.row, record)
        if rejections:
            first = rejections[0]
            if first.field == q.field or first.field == "-":
                raise QueueError(
                    f"{self.where} still does not load with {what}: {first.field}: {first.reason}"
                )
            before = {"field": q.field, "reason": q.reason, "record": dict(q.record or {})}
            q.record, q.field, q.reason, q.candidates = (
                record,
                first.field,
                first.reason,
                list(first.candidates),
            )
            after = {"field": q.field, "reason": q.reason, "record": record}
            self._log("update", "unresolved_row", q.id, before, after, f"{what}; now stops at {first.field}")
            return self._result(
                "open",
                f"{self.where}: {what}; the row now stops at {first.field}: {first.reason}",
                actor_id=actor_id,
            )
        ties = sorted(self._cited_ties() - cited) or sorted(self._cited_ties())
        tie_id = ties[0] if ties else None
        if tie_id is not None:
            after = read_state(session, "tie", tie_id)
            created = tie_id > newest
            before = None if created else previous.get(tie_id, after)
            change = "its citation was added" if before == after else "the row enriched it"
            self._log(
                "create" if created else "update",
                "tie",
                tie_id,
                before,
                after,
                what if created else f"{what}; the tie existed: {change}",
            )
        self._decide(decision, digest, key, tie_id)
        return self._result(decision, f"{self.where}: {what}; loaded", tie_id=tie_id, actor_id=actor_id)

    def _ties_of(self, key: str) -> dict[int, dict[str, Any]]:
        """The states of the ties of the actor with ``key``, before the row is loaded."""
        actor = self.session.scalar(select(Actor.id).where(Actor.key == key))
        ids = self.session.scalars(select(Tie.id).where(or_(Tie.subject_id == actor, Tie.object_id == actor)))
        return {tie_id: read_state(self.session, "tie", tie_id) for tie_id in ids}

    def _cited_ties(self) -> set[int]:
        """Ties that cite the queued row's source at its row."""
        query = select(Citation.entity_id).where(
            Citation.source_id == self.source.id, Citation.entity == "tie", Citation.row == self.queued.row
        )
        return set(self.session.scalars(query))
